using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Providers.Common;
using Providers.Generators.Models;

namespace Providers.Generators.Parsing;

/// <summary>Turns a <c>[WithRetry]</c> class or partial method into a <see cref="RetryModel"/>; <see langword="null"/> when nothing can be emitted.</summary>
internal static class RetryParser
{
    private static readonly SymbolDisplayFormat TypeFormat =
        SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    // The parameters of a class-level wrapper are one of two fixed lists: shared, so models compare by reference.
    private static readonly EquatableArray<ParameterModel> ClassLevelParameters = ClassLevel(withOverrides: false);
    private static readonly EquatableArray<ParameterModel> ClassLevelParametersWithOverrides = ClassLevel(withOverrides: true);

    private static EquatableArray<ParameterModel> ClassLevel(bool withOverrides)
    {
        var parameters = new List<ParameterModel>
        {
            new("string", "systemPrompt", false, null, false),
            new("global::System.Collections.Generic.IReadOnlyList<global::Providers.ChatMessage>", "messages", false, null, false),
            new("global::System.Collections.Generic.IReadOnlyList<global::Providers.ToolDefinition>?", "tools", false, withOverrides ? null : "null", false),
        };
        if (withOverrides)
        {
            parameters.Add(new("global::Providers.RequestOverrides", "overrides", false, null, false));
        }

        parameters.Add(new("global::System.Threading.CancellationToken", "cancellationToken", true, "default", false));
        return parameters.ToEquatableArray();
    }

    public static RetryModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.Attributes.Length == 0)
        {
            return null;
        }

        var numbers = RetryNumbers.From(context.Attributes[0]);
        return context.TargetSymbol switch
        {
            INamedTypeSymbol type => TryParseClassFromDeclaration(type, context.TargetNode, context.SemanticModel, numbers, out var read, cancellationToken)
                ? read
                : ParseClass(type, context.SemanticModel, numbers, cancellationToken),
            IMethodSymbol method => ParseMethod(method, context.TargetNode, context.SemanticModel.Compilation, numbers, cancellationToken),
            _ => null,
        };
    }

    // The usual class: one top-level declaration (see HandlerSyntax.For). Its syntax facts are read once per node
    // (RetryClassFacts); per compilation only the name checks, the options member's type and the attribute values are
    // looked at, and the model is the previous one while those agree. False sends the class to ParseClass.
    private static bool TryParseClassFromDeclaration(INamedTypeSymbol type, SyntaxNode node, SemanticModel model, RetryNumbers numbers, out RetryModel? result, CancellationToken cancellationToken)
    {
        result = null;
        if (node is not ClassDeclarationSyntax syntax || HandlerSyntax.For(type, model, cancellationToken) is not { } declaration
            || declaration.Declaration != syntax)
        {
            return false;
        }

        var facts = RetryClassFacts.Of(syntax, type);
        if (!facts.IsPartial || facts.DeclaresCreateMessage)
        {
            return true;
        }

        cancellationToken.ThrowIfCancellationRequested();
        bool hasCore;
        bool withOverrides;
        CoreLookup core;
        if (facts.CoreShapes is { } shapes && facts.Imports is { } imports && OptionsNames.Hold(facts.CoreNames, imports, type.ContainingNamespace, model.Compilation))
        {
            // None declared: one may be inherited (HandlerSyntax.For took only a base from metadata, so this is cheap).
            core = shapes.Count > 0 ? default : RetryRules.FindInheritedCreateMessageCore(type, model.Compilation);
            hasCore = shapes.Count > 0 || core.Found;
            withOverrides = shapes.Count > 0 ? shapes.Contains(5) : core.TakesOverrides;
        }
        else
        {
            core = RetryRules.FindCreateMessageCore(type, model.Compilation);
            hasCore = core.Found;
            withOverrides = core.TakesOverrides;
        }

        var optionsExpression = declaration.InstanceOptionsExpression(out var decided);
        if (!decided)
        {
            optionsExpression = ProviderShape.OptionsExpression(type, isStatic: false);
        }

        result = facts.Model(
            hasCore,
            withOverrides ? ClassLevelParametersWithOverrides : ClassLevelParameters,
            optionsExpression,
            ProviderIdOf(type),
            numbers.MaxRetries,
            numbers.BaseDelayMs,
            numbers.MaxDelayMs,
            numbers.RetryAllErrors,
            RetryRules.CoreOwnerCref(core));
        return true;
    }

    private static RetryModel? ParseClass(INamedTypeSymbol type, SemanticModel model, RetryNumbers numbers, CancellationToken cancellationToken)
    {
        // From the declaration where it can say (see HandlerSyntax), so the class's members are not built.
        var declaration = HandlerSyntax.For(type, model, cancellationToken);
        if (!RetryRules.IsPartialChain(type)
            || (declaration is not null
                ? declaration.DeclaresMethod(KnownNames.CreateMessageMethod)
                : type.GetMembers(KnownNames.CreateMessageMethod).Any(m => m is IMethodSymbol { MethodKind: MethodKind.Ordinary })))
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var shapes = declaration?.CreateMessageCoreShapes();

        // The type's own Core from syntax where it can say; an inherited one (or every one, without syntax) from symbols.
        var core = shapes is { Count: > 0 } ? default
            : shapes is not null ? RetryRules.FindInheritedCreateMessageCore(type, model.Compilation)
            : RetryRules.FindCreateMessageCore(type, model.Compilation);
        var hasCore = shapes is { Count: > 0 } || core.Found;

        // A Core method that takes RequestOverrides gets both CreateMessageAsync overloads (IApiHandlerWithOverrides).
        var withOverrides = shapes is { Count: > 0 } ? shapes.Contains(5) : core.TakesOverrides;
        var decided = false;
        var optionsExpression = declaration?.InstanceOptionsExpression(out decided);
        if (!decided)
        {
            optionsExpression = ProviderShape.OptionsExpression(type, isStatic: false);
        }
        var parameters = withOverrides ? ClassLevelParametersWithOverrides : ClassLevelParameters;

        return new RetryModel(
            FileName(type),
            TypeName(type),
            Namespace(type),
            ContainingTypes(type),
            KnownNames.CreateMessageMethod,
            hasCore ? KnownNames.CreateMessageCoreMethod : "",
            "public",
            "global::System.Collections.Generic.IAsyncEnumerable<global::Providers.ApiStreamChunk>",
            "global::Providers.ApiStreamChunk",
            RetryShape.AsyncEnumerable,
            parameters,
            IsClassLevel: true,
            IsStatic: false,
            ProviderIdOf(type),
            optionsExpression,
            numbers.MaxRetries,
            numbers.BaseDelayMs,
            numbers.MaxDelayMs,
            numbers.RetryAllErrors,
            RetryRules.CoreOwnerCref(core));
    }

    private static RetryModel? ParseMethod(IMethodSymbol method, SyntaxNode node, Compilation compilation, RetryNumbers numbers, CancellationToken cancellationToken)
    {
        if (node is not MethodDeclarationSyntax syntax || !method.IsPartialDefinition || method.PartialImplementationPart is not null && !RetryRules.IsInGeneratedWrapper(method.PartialImplementationPart))
        {
            return null;
        }

        var type = method.ContainingType;
        if (!RetryRules.IsPartialChain(type))
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var (shape, element) = RetryRules.ShapeOf(method.ReturnType);
        var coreName = KnownNames.CoreMethodName(method.Name);
        var core = shape is not null ? RetryRules.FindCore(method, compilation) : default;
        var hasCore = core.Found;

        var parameters = method.Parameters.Select(p => new ParameterModel(
            p.Type.ToDisplayString(TypeFormat),
            Escape(p.Name),
            SymbolNames.Is(p.Type, "System.Threading.CancellationToken"),
            null,
            p.GetAttributes().Any(a => SymbolNames.IsAttribute(a, KnownNames.EnumeratorCancellationAttribute)))).ToEquatableArray();

        return new RetryModel(
            FileName(type),
            TypeName(type),
            Namespace(type),
            ContainingTypes(type),
            method.Name,
            hasCore ? coreName : "",
            string.Join(" ", syntax.Modifiers.Select(m => m.Text)),
            method.ReturnType.ToDisplayString(TypeFormat),
            element ?? "",
            shape ?? RetryShape.Task,
            parameters,
            IsClassLevel: false,
            method.IsStatic,
            ProviderIdOf(type),
            ProviderShape.OptionsExpression(type, method.IsStatic),
            numbers.MaxRetries,
            numbers.BaseDelayMs,
            numbers.MaxDelayMs,
            numbers.RetryAllErrors,
            RetryRules.CoreOwnerCref(core));
    }

    private static string ProviderIdOf(INamedTypeSymbol type)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (SymbolNames.IsAttribute(attribute, KnownNames.ProviderAttribute))
            {
                return attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string id ? id : type.Name;
            }
        }

        return type.Name;
    }

    internal static string Namespace(INamedTypeSymbol type) =>
        DisplayNames.Namespace(type.ContainingNamespace);

    internal static EquatableArray<string> ContainingTypes(INamedTypeSymbol type)
    {
        var chain = new List<string>();
        for (var t = type; t is not null; t = t.ContainingType)
        {
            var keyword = t.IsRecord
                ? t.TypeKind == TypeKind.Struct ? "record struct" : "record"
                : t.TypeKind switch { TypeKind.Struct => "struct", TypeKind.Interface => "interface", _ => "class" };
            var typeParameters = t.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", t.TypeParameters.Select(p => p.Name)) + ">";
            chain.Insert(0, $"partial {keyword} {t.Name}{typeParameters}");
        }

        return chain.ToEquatableArray();
    }

    /// <summary>
    /// The file the wrappers of <paramref name="type"/>'s namespace go in: <c>Contoso.Llm.Retries.g.cs</c>,
    /// <c>global.Retries.g.cs</c> for the global namespace. Characters a hint name may not hold become <c>_</c>; two
    /// namespaces that then share a name share the file, each wrapper keeping its own namespace block.
    /// </summary>
    internal static string FileName(INamedTypeSymbol type)
    {
        var name = DisplayNames.Namespace(type.ContainingNamespace);
        if (name.Length == 0)
        {
            return KnownNames.GlobalNamespaceFileStem + KnownNames.RetryFileSuffix;
        }

        var safe = new System.Text.StringBuilder(name.Length + KnownNames.RetryFileSuffix.Length);
        foreach (var c in name)
        {
            safe.Append(char.IsLetterOrDigit(c) || c == '.' ? c : '_');
        }

        return safe.Append(KnownNames.RetryFileSuffix).ToString();
    }

    /// <summary><c>Ns.Outer.Inner&lt;T&gt;</c>: names the class in the file's comment and orders the wrappers.</summary>
    internal static string TypeName(INamedTypeSymbol type) => DisplayNames.Plain(type);

    private static string Escape(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private readonly record struct RetryNumbers(int MaxRetries, int BaseDelayMs, int MaxDelayMs, bool RetryAllErrors)
    {
        public static RetryNumbers From(AttributeData attribute)
        {
            // One pass, the first of a repeated name winning as FirstOrDefault would.
            int? maxRetries = null, baseDelayMs = null, maxDelayMs = null;
            bool? all = null;
            foreach (var argument in attribute.NamedArguments)
            {
                var value = argument.Value.Value;
                switch (argument.Key)
                {
                    case "MaxRetries": maxRetries ??= value is int m ? m : RetryDefaults.MaxRetries; break;
                    case "BaseDelayMs": baseDelayMs ??= value is int b ? b : RetryDefaults.BaseDelayMs; break;
                    case "MaxDelayMs": maxDelayMs ??= value is int d ? d : RetryDefaults.MaxDelayMs; break;
                    case "RetryAllErrors": all ??= value is true; break;
                }
            }

            return new RetryNumbers(
                maxRetries ?? RetryDefaults.MaxRetries,
                baseDelayMs ?? RetryDefaults.BaseDelayMs,
                maxDelayMs ?? RetryDefaults.MaxDelayMs,
                all ?? false);
        }
    }
}

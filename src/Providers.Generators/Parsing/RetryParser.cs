using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Providers.Generators.Models;

namespace Providers.Generators.Parsing;

/// <summary>Turns a <c>[WithRetry]</c> class or partial method into a <see cref="RetryModel"/>; <see langword="null"/> when nothing can be emitted.</summary>
internal static class RetryParser
{
    private static readonly SymbolDisplayFormat TypeFormat =
        SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static RetryModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.Attributes.Length == 0)
        {
            return null;
        }

        var numbers = RetryNumbers.From(context.Attributes[0]);
        return context.TargetSymbol switch
        {
            INamedTypeSymbol type => ParseClass(type, context.TargetNode, numbers, cancellationToken),
            IMethodSymbol method => ParseMethod(method, context.TargetNode, numbers, cancellationToken),
            _ => null,
        };
    }

    private static RetryModel? ParseClass(INamedTypeSymbol type, SyntaxNode node, RetryNumbers numbers, CancellationToken cancellationToken)
    {
        if (!IsPartialChain(type) || type.GetMembers(KnownNames.CreateMessageMethod).Any(m => m is IMethodSymbol { MethodKind: MethodKind.Ordinary }))
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var cores = type.GetMembers(KnownNames.CreateMessageCoreMethod).OfType<IMethodSymbol>().Where(IsCreateMessageShape).ToList();
        var hasCore = cores.Count > 0;

        // A Core method that takes RequestOverrides gets both CreateMessageAsync overloads (IApiHandlerWithOverrides).
        var withOverrides = cores.Any(c => c.Parameters.Length == 5);
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

        return new RetryModel(
            HintName(type, KnownNames.CreateMessageMethod),
            Namespace(type),
            ContainingTypes(type),
            KnownNames.CreateMessageMethod,
            hasCore ? KnownNames.CreateMessageCoreMethod : "",
            "public",
            "global::System.Collections.Generic.IAsyncEnumerable<global::Providers.ApiStreamChunk>",
            "global::Providers.ApiStreamChunk",
            RetryShape.AsyncEnumerable,
            parameters.ToEquatableArray(),
            IsClassLevel: true,
            IsStatic: false,
            ProviderIdOf(type),
            ProviderShape.OptionsExpression(type, isStatic: false),
            numbers.MaxRetries,
            numbers.BaseDelayMs,
            numbers.MaxDelayMs,
            numbers.RetryAllErrors);
    }

    private static RetryModel? ParseMethod(IMethodSymbol method, SyntaxNode node, RetryNumbers numbers, CancellationToken cancellationToken)
    {
        if (node is not MethodDeclarationSyntax syntax || !method.IsPartialDefinition || method.PartialImplementationPart is not null && !IsOurs(method.PartialImplementationPart))
        {
            return null;
        }

        var type = method.ContainingType;
        if (!IsPartialChain(type))
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var (shape, element) = ShapeOf(method.ReturnType);
        var coreName = KnownNames.CoreMethodName(method.Name);
        var hasCore = shape is not null && type.GetMembers(coreName).OfType<IMethodSymbol>().Any(core =>
            core.Parameters.Length == method.Parameters.Length
            && core.Parameters.Zip(method.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same)
            && SymbolEqualityComparer.Default.Equals(core.ReturnType, method.ReturnType));

        var parameters = method.Parameters.Select(p => new ParameterModel(
            p.Type.ToDisplayString(TypeFormat),
            Escape(p.Name),
            SymbolNames.Is(p.Type, "System.Threading.CancellationToken"),
            null,
            p.GetAttributes().Any(a => SymbolNames.IsAttribute(a, KnownNames.EnumeratorCancellationAttribute)))).ToEquatableArray();

        return new RetryModel(
            HintName(type, method.Name),
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
            numbers.RetryAllErrors);
    }

    /// <summary>The retry shape of a return type, or <see langword="null"/> when the wrapper cannot handle it.</summary>
    public static (RetryShape? Shape, string? Element) ShapeOf(ITypeSymbol returnType)
    {
        if (returnType is not INamedTypeSymbol named)
        {
            return (null, null);
        }

        var definition = named.OriginalDefinition;
        RetryShape? shape =
            SymbolNames.Is(definition, "System.Collections.Generic.IAsyncEnumerable`1") ? RetryShape.AsyncEnumerable
            : SymbolNames.Is(definition, "System.Threading.Tasks.Task`1") ? RetryShape.TaskOfT
            : SymbolNames.Is(definition, "System.Threading.Tasks.ValueTask`1") ? RetryShape.ValueTaskOfT
            : SymbolNames.Is(definition, "System.Threading.Tasks.Task") ? RetryShape.Task
            : SymbolNames.Is(definition, "System.Threading.Tasks.ValueTask") ? RetryShape.ValueTask
            : null;
        var element = shape is not null && named.TypeArguments.Length == 1 ? named.TypeArguments[0].ToDisplayString(TypeFormat) : null;
        return (shape, element);
    }

    /// <summary>
    /// Whether a method has the shape of <c>CreateMessageCoreAsync</c>: the parameters and return type of
    /// <c>IApiHandler.CreateMessageAsync</c>, optionally with a <c>RequestOverrides</c> before the token (the shape of
    /// <c>IApiHandlerWithOverrides.CreateMessageAsync</c>).
    /// </summary>
    public static bool IsCreateMessageShape(IMethodSymbol method) =>
        method.Parameters.Length is 4 or 5
        && method.Parameters[0].Type.SpecialType == SpecialType.System_String
        && IsListOf(method.Parameters[1].Type, "Providers.ChatMessage")
        && IsListOf(method.Parameters[2].Type, "Providers.ToolDefinition")
        && (method.Parameters.Length == 4 || SymbolNames.Is(method.Parameters[3].Type, "Providers.RequestOverrides"))
        && SymbolNames.Is(method.Parameters[method.Parameters.Length - 1].Type, "System.Threading.CancellationToken")
        && method.ReturnType is INamedTypeSymbol { TypeArguments.Length: 1 } stream
        && SymbolNames.IsGeneric(stream, "System.Collections.Generic.IAsyncEnumerable`1")
        && SymbolNames.Is(stream.TypeArguments[0], KnownNames.ApiStreamChunk);

    private static bool IsListOf(ITypeSymbol type, string element) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } list
        && SymbolNames.IsGeneric(list, "System.Collections.Generic.IReadOnlyList`1")
        && SymbolNames.Is(list.TypeArguments[0], element);

    /// <summary>Whether the type and every type containing it are declared partial.</summary>
    public static bool IsPartialChain(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            var partial = t.DeclaringSyntaxReferences.Any(r =>
                r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial)
            {
                return false;
            }
        }

        return true;
    }

    // The implementation part of a partial method we generate lives in a file we named; any other means the user wrote it.
    private static bool IsOurs(IMethodSymbol implementation) =>
        implementation.DeclaringSyntaxReferences.All(r => r.SyntaxTree.FilePath.EndsWith(".Retry.g.cs", System.StringComparison.Ordinal));

    private static string ProviderIdOf(INamedTypeSymbol type) =>
        type.GetAttributes().FirstOrDefault(a => SymbolNames.IsAttribute(a, KnownNames.ProviderAttribute))?
            .ConstructorArguments.FirstOrDefault().Value as string ?? type.Name;

    private static string Namespace(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "";

    private static EquatableArray<string> ContainingTypes(INamedTypeSymbol type)
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

    private static string HintName(INamedTypeSymbol type, string method)
    {
        var name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "");
        var safe = new string(name.Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '_').ToArray());
        return $"{safe}.{method}.Retry.g.cs";
    }

    private static string Escape(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private readonly record struct RetryNumbers(int MaxRetries, int BaseDelayMs, int MaxDelayMs, bool RetryAllErrors)
    {
        public static RetryNumbers From(AttributeData attribute)
        {
            int Int(string name, int fallback) => attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value is int v ? v : fallback;
            var all = attribute.NamedArguments.FirstOrDefault(a => a.Key == "RetryAllErrors").Value.Value is true;
            return new RetryNumbers(Int("MaxRetries", 3), Int("BaseDelayMs", 1000), Int("MaxDelayMs", 10000), all);
        }
    }
}

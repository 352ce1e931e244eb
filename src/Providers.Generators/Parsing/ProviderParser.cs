using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Providers.Generators.Models;

namespace Providers.Generators.Parsing;

/// <summary>Turns a <c>[Provider]</c> class into a <see cref="ProviderModel"/>; returns <see langword="null"/> when no code can be generated for it (the analyzers say why).</summary>
internal static class ProviderParser
{
    public static ProviderModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.Attributes.Length == 0)
        {
            return null;
        }

        var attribute = context.Attributes[0];
        if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string id || !SettingKeys.IsValidId(id))
        {
            return null;
        }

        if (!ProviderShape.IsInstantiable(type) || !ProviderShape.ImplementsApiHandler(type))
        {
            return null;
        }

        var declaration = HandlerSyntax.For(type, context.SemanticModel, cancellationToken);
        if ((declaration is not null ? declaration.OptionsType() : ProviderShape.OptionsTypeOf(type)) is not { } optionsType)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();

        // A class with one top-level declaration: its names are its declaration's, so they are built once per node.
        LastProvider? names = null;
        if (declaration is not null && context.TargetNode == declaration.Declaration && !HandlerNames.TryGetValue(declaration.Declaration, out names))
        {
            names = LastProvider.Add(declaration.Declaration, type);
        }

        var displayName = DisplayNameArgument(attribute) ?? names?.DefaultDisplayName ?? DefaultDisplayName(type.Name);

        EquatableArray<SettingModel> settings;
        string? optionsTypeName = null;
        if (FromSyntax(optionsType, id, context.SemanticModel.Compilation, out var optionsDeclaration, cancellationToken) is { } read)
        {
            if (!read.Constructible)
            {
                return null;
            }

            settings = read.Settings;
            if (!OptionsNamesByNode.TryGetValue(optionsDeclaration!, out optionsTypeName))
            {
                optionsTypeName = AddOptionsName(optionsDeclaration!, optionsType);
            }
        }
        else if (ProviderShape.IsConstructible(optionsType))
        {
            settings = FromSymbols(optionsType, id);
        }
        else
        {
            return null;
        }

        optionsTypeName ??= DisplayNames.FullyQualified(optionsType);
        var optionsArePublic = ProviderShape.IsPublicFromOutside(optionsType);
        if (names is null)
        {
            return new ProviderModel(id, displayName, DisplayNames.FullyQualified(type), DisplayNames.Plain(type), optionsTypeName, optionsArePublic, SettingKeys.MemberStem(id), settings);
        }

        // The previous model while nothing differs, so the driver compares it by one reference check.
        var last = names.Model;
        if (last is not null && last.Id == id && last.DisplayName == displayName && last.OptionsTypeName == optionsTypeName
            && last.OptionsArePublic == optionsArePublic && last.Settings == settings)
        {
            return last;
        }

        var model = new ProviderModel(id, displayName, names.HandlerTypeName, names.HandlerMetadataName, optionsTypeName, optionsArePublic, SettingKeys.MemberStem(id), settings);
        names.Model = model;
        return model;
    }

    private static readonly ConditionalWeakTable<ClassDeclarationSyntax, LastProvider> HandlerNames = new();

    private static readonly ConditionalWeakTable<ClassDeclarationSyntax, string> OptionsNamesByNode = new();

    // The names of a handler class with one top-level declaration, and the last model built for it.
    private sealed class LastProvider(INamedTypeSymbol type)
    {
        public string HandlerTypeName { get; } = DisplayNames.FullyQualified(type);

        public string HandlerMetadataName { get; } = DisplayNames.Plain(type);

        public string DefaultDisplayName { get; } = ProviderParser.DefaultDisplayName(type.Name);

        public volatile ProviderModel? Model;

        // Out of line: a lambda capturing a local makes its closure on every call of the method declaring the local.
        public static LastProvider Add(ClassDeclarationSyntax node, INamedTypeSymbol type)
        {
            var created = new LastProvider(type);
            return HandlerNames.GetValue(node, _ => created);
        }
    }

    private static string AddOptionsName(ClassDeclarationSyntax node, INamedTypeSymbol optionsType)
    {
        var name = DisplayNames.FullyQualified(optionsType);
        return OptionsNamesByNode.GetValue(node, _ => name);
    }

    private static string? DisplayNameArgument(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "DisplayName")
            {
                return argument.Value.Value as string;
            }
        }

        return null;
    }

    // The options class read from its syntax where that is exact (see OptionsSyntax), which binds none of its members.
    internal static (bool Constructible, EquatableArray<SettingModel> Settings)? FromSyntax(INamedTypeSymbol optionsType, string id, Compilation compilation, CancellationToken cancellationToken) =>
        FromSyntax(optionsType, id, compilation, out _, cancellationToken);

    internal static (bool Constructible, EquatableArray<SettingModel> Settings)? FromSyntax(INamedTypeSymbol optionsType, string id, Compilation compilation, out ClassDeclarationSyntax? declaration, CancellationToken cancellationToken)
    {
        declaration = null;
        if (optionsType.DeclaringSyntaxReferences.Length != 1 || optionsType.ContainingType is not null || optionsType.IsGenericType
            || optionsType.BaseType is not { } baseType
            || optionsType.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not ClassDeclarationSyntax found
            || OptionsSyntax.Read(found) is not { } model
            || OptionsComposer.BaseOf(baseType) is not { } bases
            || !OptionsNames.Hold(model, optionsType.ContainingNamespace, compilation))
        {
            return null;
        }

        declaration = found;
        var constructible = !model.IsAbstract && model.HasPublicParameterlessConstructor && !model.HasRequiredMembers && !bases.HasRequiredMembers
            && ProviderShape.IsAccessibleFromAssembly(optionsType);
        return (constructible, constructible ? OptionsComposer.Settings(bases, model, id) : EquatableArray<SettingModel>.Empty);
    }

    internal static EquatableArray<SettingModel> FromSymbols(INamedTypeSymbol optionsType, string id)
    {
        var bound = OptionsInspector.Inspect(optionsType, id).Where(p => p.Problem == OptionProblem.None && p.Kind is not null).ToList();
        return bound
            .Select(p => new SettingModel(
                p.Property.Name,
                p.Kind!.Value,
                p.PerMode,
                p.Required,
                p.IsSecret,
                p.PlanModeKey,
                p.ActModeKey,
                OptionsInspector.TypeDisplay(p.Kind.Value, p.Property.Type),
                p.EnvironmentVariables.Select(v => new EnvironmentVariableModel(v.Name, ConditionKey(bound, v.WhenSet))).ToEquatableArray()))
            .ToEquatableArray();
    }

    // [EnvironmentVariable(WhenSet = nameof(Other))]: the key of option Other (its Act-mode key when per-mode); text
    // that names no bound option is taken as a settings key.
    private static string? ConditionKey(System.Collections.Generic.List<OptionProperty> bound, string? whenSet) =>
        whenSet is null ? null : bound.FirstOrDefault(p => p.Property.Name == whenSet)?.ActModeKey ?? whenSet;

    /// <summary><c>CustomProviderHandler</c> -> <c>Custom Provider</c>.</summary>
    public static string DefaultDisplayName(string typeName)
    {
        var name = KnownNames.HandlerStem(typeName);
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
            {
                builder.Append(' ');
            }

            builder.Append(name[i]);
        }

        return builder.ToString();
    }
}

using System.Linq;
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
        var displayName = attribute.NamedArguments.FirstOrDefault(a => a.Key == "DisplayName").Value.Value as string
            ?? DefaultDisplayName(type.Name);

        EquatableArray<SettingModel> settings;
        if (FromSyntax(optionsType, id, context.SemanticModel.Compilation, cancellationToken) is { } read)
        {
            if (!read.Constructible)
            {
                return null;
            }

            settings = read.Settings;
        }
        else if (ProviderShape.IsConstructible(optionsType))
        {
            settings = FromSymbols(optionsType, id);
        }
        else
        {
            return null;
        }

        return new ProviderModel(
            id,
            displayName,
            DisplayNames.FullyQualified(type),
            DisplayNames.Plain(type),
            DisplayNames.FullyQualified(optionsType),
            ProviderShape.IsPublicFromOutside(optionsType),
            SettingKeys.MemberStem(id),
            settings);
    }

    // The options class read from its syntax where that is exact (see OptionsSyntax), which binds none of its members.
    internal static (bool Constructible, EquatableArray<SettingModel> Settings)? FromSyntax(INamedTypeSymbol optionsType, string id, Compilation compilation, CancellationToken cancellationToken)
    {
        if (optionsType.DeclaringSyntaxReferences.Length != 1 || optionsType.ContainingType is not null || optionsType.IsGenericType
            || optionsType.BaseType is not { } baseType
            || optionsType.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not ClassDeclarationSyntax declaration
            || OptionsSyntax.Read(declaration) is not { } model
            || OptionsComposer.BaseOf(baseType) is not { } bases
            || !OptionsNames.Hold(model, optionsType.ContainingNamespace, compilation))
        {
            return null;
        }

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

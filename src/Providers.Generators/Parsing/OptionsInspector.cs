using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Providers.Common;
using Providers.Generators.Models;

namespace Providers.Generators.Parsing;

/// <summary>Why an options property is not bound.</summary>
internal enum OptionProblem
{
    None,
    UnsupportedType,
    NoSetter,
}

/// <summary>One public property of an options type, as the binder sees it. Holds symbols: for parsing and analyzers only, never a model.</summary>
internal sealed class OptionProperty
{
    public OptionProperty(IPropertySymbol property, SettingKind? kind, OptionProblem problem, bool perMode, bool required, bool isSecret, string plan, string act, IReadOnlyList<(string Name, string? WhenSet)> environmentVariables)
    {
        EnvironmentVariables = environmentVariables;
        Property = property;
        Kind = kind;
        Problem = problem;
        PerMode = perMode;
        Required = required;
        IsSecret = isSecret;
        PlanModeKey = plan;
        ActModeKey = act;
    }

    public IPropertySymbol Property { get; }

    public SettingKind? Kind { get; }

    public OptionProblem Problem { get; }

    public bool PerMode { get; }

    public bool Required { get; }

    public bool IsSecret { get; }

    public string PlanModeKey { get; }

    public string ActModeKey { get; }

    /// <summary>The <c>[EnvironmentVariable]</c> names in declaration order, with the option each depends on.</summary>
    public IReadOnlyList<(string Name, string? WhenSet)> EnvironmentVariables { get; }
}

/// <summary>Finds the bindable properties of an options type and the keys they read.</summary>
internal static class OptionsInspector
{
    /// <summary>Every public instance property of <paramref name="optionsType"/> and its bases not marked <c>[SettingIgnore]</c>, base first.</summary>
    public static IReadOnlyList<OptionProperty> Inspect(INamedTypeSymbol optionsType, string providerId)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var t = optionsType; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
        {
            chain.Insert(0, t);
        }

        var seen = new HashSet<string>();
        var result = new List<OptionProperty>();
        foreach (var type in chain)
        {
            foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
            {
                if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public || property.IsOverride || !seen.Add(property.Name))
                {
                    continue;
                }

                if (HasAttribute(property, KnownNames.SettingIgnoreAttribute))
                {
                    continue;
                }

                var explicitKey = property.GetAttributes()
                    .FirstOrDefault(a => SymbolNames.IsAttribute(a, KnownNames.SettingKeyAttribute))?
                    .ConstructorArguments.FirstOrDefault().Value as string;
                var perMode = HasAttribute(property, KnownNames.PerModeAttribute);
                var required = HasAttribute(property, KnownNames.RequiredAttribute);
                var isSecret = HasAttribute(property, KnownNames.SecretAttribute) || LooksSecret(property.Name);
                var annotated = explicitKey is not null || perMode || required;
                var hasSetter = property.SetMethod is { DeclaredAccessibility: Accessibility.Public };
                if (!hasSetter && !annotated)
                {
                    // A get-only public property is a computed value, not a setting.
                    continue;
                }

                var kind = Classify(property.Type);
                var problem = kind is null ? OptionProblem.UnsupportedType : !hasSetter ? OptionProblem.NoSetter : OptionProblem.None;
                var (plan, act) = SettingKeys.Derive(providerId, property.Name, explicitKey, perMode, kind == SettingKind.Milliseconds);
                result.Add(new OptionProperty(property, kind, problem, perMode, required, isSecret, plan, act, EnvironmentVariablesOf(property, chain)));
            }
        }

        return result;
    }

    public static SettingKind? Classify(ITypeSymbol type)
    {
        var underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : type;

        switch (underlying.SpecialType)
        {
            case SpecialType.System_String: return SettingKind.String;
            case SpecialType.System_Boolean: return SettingKind.Boolean;
            case SpecialType.System_Int32: return SettingKind.Int32;
            case SpecialType.System_Int64: return SettingKind.Int64;
            case SpecialType.System_Double: return SettingKind.Double;
            case SpecialType.System_Decimal: return SettingKind.Decimal;
        }

        if (underlying.TypeKind == TypeKind.Enum)
        {
            return SettingKind.Enum;
        }

        if (SymbolNames.Is(underlying, "System.TimeSpan"))
        {
            return SettingKind.Milliseconds;
        }

        if (SymbolNames.Is(underlying, "System.Uri"))
        {
            return SettingKind.Url;
        }

        if (SymbolNames.Is(underlying, KnownNames.JsonElement))
        {
            return SettingKind.Json;
        }

        if (SymbolNames.Is(underlying, KnownNames.ModelInfo))
        {
            return SettingKind.ModelInfo;
        }

        if (underlying is INamedTypeSymbol { TypeArguments.Length: 2 } map
            && map.TypeArguments[0].SpecialType == SpecialType.System_String
            && map.TypeArguments[1].SpecialType == SpecialType.System_String
            && (SymbolNames.IsGeneric(map, "System.Collections.Generic.Dictionary`2")
                || SymbolNames.IsGeneric(map, "System.Collections.Generic.IDictionary`2")
                || SymbolNames.IsGeneric(map, "System.Collections.Generic.IReadOnlyDictionary`2")))
        {
            return SettingKind.StringMap;
        }

        return null;
    }

    /// <summary>How a setting's type reads in the descriptor; <paramref name="type"/> is needed only for an enum.</summary>
    public static string TypeDisplay(SettingKind kind, ITypeSymbol? type) => kind switch
    {
        SettingKind.String => "string",
        SettingKind.Boolean => "boolean",
        SettingKind.Int32 or SettingKind.Int64 => "integer",
        SettingKind.Double or SettingKind.Decimal => "number",
        SettingKind.Milliseconds => "milliseconds",
        SettingKind.Url => "url",
        SettingKind.Enum => "enum: " + string.Join("|", EnumMembers(type!)),
        SettingKind.StringMap => "json object of strings",
        SettingKind.Json => "json",
        SettingKind.ModelInfo => "json model info",
        _ => "string",
    };

    // The variables of one option: those an options class declares for it by name (most derived class first, so a
    // class can name the variable of an option it inherits), then those on the property itself.
    private static IReadOnlyList<(string Name, string? WhenSet)> EnvironmentVariablesOf(IPropertySymbol property, List<INamedTypeSymbol> chain)
    {
        List<(string, string?)>? variables = null;
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            AddVariables(chain[i].GetAttributes(), property.Name, ref variables);
        }

        AddVariables(property.GetAttributes(), forOption: null, ref variables);
        return variables ?? (IReadOnlyList<(string, string?)>)System.Array.Empty<(string, string?)>();
    }

    private static void AddVariables(IEnumerable<AttributeData> attributes, string? forOption, ref List<(string, string?)>? variables)
    {
        foreach (var attribute in attributes)
        {
            if (SymbolNames.IsAttribute(attribute, KnownNames.EnvironmentVariableAttribute)
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is string { Length: > 0 } name
                && (forOption is null || attribute.NamedArguments.FirstOrDefault(a => a.Key == "Option").Value.Value as string == forOption))
            {
                var whenSet = attribute.NamedArguments.FirstOrDefault(a => a.Key == "WhenSet").Value.Value as string;
                (variables ??= new()).Add((name, whenSet));
            }
        }
    }

    /// <summary>The valid <c>[EnvironmentVariable]</c>s among <paramref name="attributes"/>, in order, with their <c>Option</c>.</summary>
    public static IEnumerable<VariableFacts> VariablesOf(IEnumerable<AttributeData> attributes, string? forOption)
    {
        foreach (var attribute in attributes)
        {
            if (SymbolNames.IsAttribute(attribute, KnownNames.EnvironmentVariableAttribute)
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is string { Length: > 0 } name)
            {
                var option = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Option").Value.Value as string;
                if (forOption is null || option == forOption)
                {
                    yield return new VariableFacts(name, option, attribute.NamedArguments.FirstOrDefault(a => a.Key == "WhenSet").Value.Value as string);
                }
            }
        }
    }

    public static bool HasAttribute(ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().Any(a => SymbolNames.IsAttribute(a, metadataName));

    private static IEnumerable<string> EnumMembers(ITypeSymbol type)
    {
        var enumType = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;
        return enumType.GetMembers().OfType<IFieldSymbol>().Where(f => f.IsConst).Select(f => KebabCase.Convert(f.Name));
    }

    public static bool LooksSecret(string name) =>
        name.EndsWith("ApiKey", System.StringComparison.Ordinal)
        || name.EndsWith("Key", System.StringComparison.Ordinal)
        || name.IndexOf("Secret", System.StringComparison.Ordinal) >= 0
        || name.IndexOf("Token", System.StringComparison.Ordinal) >= 0 && !name.EndsWith("Tokens", System.StringComparison.Ordinal)
        || name.IndexOf("Password", System.StringComparison.Ordinal) >= 0;
}

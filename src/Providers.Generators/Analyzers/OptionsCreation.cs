using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Providers.Generators.Parsing;

namespace Providers.Generators.Analyzers;

/// <summary>Why generated code cannot write <c>new TOptions()</c>: the reasons behind <see cref="ProviderShape.IsConstructible"/>, in words.</summary>
internal static class OptionsCreation
{
    public static IReadOnlyList<string> WhyNotCreatable(INamedTypeSymbol optionsType)
    {
        var reasons = new List<string>();
        if (optionsType.IsAbstract)
        {
            reasons.Add("it is abstract");
        }
        else if (!optionsType.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public))
        {
            reasons.Add("it has no public parameterless constructor");
        }

        var required = new List<string>();
        for (var t = optionsType; t is not null; t = t.BaseType)
        {
            required.AddRange(t.GetMembers().Where(m => m is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true }).Select(m => m.Name));
        }

        if (required.Count > 0)
        {
            reasons.Add("it has required members (" + string.Join(", ", required) + ")");
        }

        if (!ProviderShape.IsAccessibleFromAssembly(optionsType))
        {
            reasons.Add("it is private or protected, or nested in such a type");
        }

        return reasons;
    }
}

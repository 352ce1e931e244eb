using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Providers.Generators.Models;

namespace Providers.Generators.Parsing;

/// <summary>
/// Settings of an options class read from syntax (<see cref="OptionsSyntax"/>) whose bases are in referenced
/// assemblies: the bases' facts come from their symbols (kept per symbol, which the compilations sharing a reference
/// share), then both are combined by the rules of <see cref="OptionsInspector.Inspect"/>: base properties first, a
/// name once, variables the classes declare for an option (most derived first) before the property's own.
/// </summary>
internal static class OptionsComposer
{
    private static readonly ConditionalWeakTable<INamedTypeSymbol, BaseFacts> Bases = new();

    /// <summary>The facts of a base chain in metadata, or <see langword="null"/> when it has nested types (whose names the reader cannot see).</summary>
    public static BaseFacts? BaseOf(INamedTypeSymbol baseType)
    {
        var facts = Bases.GetValue(baseType, static b => BaseFacts.Of(b));
        return facts.IsUsable ? facts : null;
    }

    private static readonly ConditionalWeakTable<OptionsSyntaxModel, Composed> Last = new();

    /// <summary>
    /// The bound settings of <paramref name="options"/> for provider <paramref name="providerId"/>; the same array as
    /// last time when nothing changed, so comparing the model with its previous value costs one reference check.
    /// </summary>
    public static EquatableArray<SettingModel> Settings(BaseFacts bases, OptionsSyntaxModel options, string providerId)
    {
        var holder = Last.GetValue(options, static _ => new Composed());
        var last = holder.Value;
        if (last is not null && ReferenceEquals(last.Bases, bases) && last.ProviderId == providerId)
        {
            return last.Settings;
        }

        var settings = Compose(bases, options, providerId);
        holder.Value = new ComposedValue(bases, providerId, settings);
        return settings;
    }

    private sealed class Composed
    {
        public volatile ComposedValue? Value;
    }

    private sealed record ComposedValue(BaseFacts Bases, string ProviderId, EquatableArray<SettingModel> Settings);

    /// <summary>The bound settings, in the order and with the keys the symbol path gives.</summary>
    public static EquatableArray<SettingModel> Compose(BaseFacts bases, OptionsSyntaxModel options, string providerId)
    {
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        var bound = new List<(OptionFacts Facts, string Plan, string Act)>();
        foreach (var property in bases.Properties.Concat(options.Properties))
        {
            if (!seen.Add(property.Name) || property.Ignored)
            {
                continue;
            }

            var annotated = property.ExplicitKey is not null || property.PerMode || property.Required;
            if (!property.HasSetter || property.Kind is null)
            {
                // Get-only and unannotated: a computed value; otherwise a problem the analyzers report. Not bound either way.
                _ = annotated;
                continue;
            }

            var (plan, act) = SettingKeys.Derive(providerId, property.Name, property.ExplicitKey, property.PerMode, property.Kind == SettingKind.Milliseconds);
            bound.Add((property, plan, act));
        }

        var settings = new SettingModel[bound.Count];
        for (var i = 0; i < bound.Count; i++)
        {
            var (p, plan, act) = bound[i];
            var variables = options.ClassVariables.Concat(bases.ClassVariables)
                .Where(v => v.Option == p.Name)
                .Concat(p.Variables)
                .Select(v => new EnvironmentVariableModel(v.Name, v.WhenSet is null ? null : bound.FirstOrDefault(b => b.Facts.Name == v.WhenSet).Act ?? v.WhenSet))
                .ToEquatableArray();
            settings[i] = new SettingModel(p.Name, p.Kind!.Value, p.PerMode, p.Required, p.IsSecret, plan, act, p.Description, variables);
        }

        return System.Collections.Immutable.ImmutableArray.Create(settings).AsEquatableArray();
    }

    /// <summary>What a chain of base classes in metadata contributes.</summary>
    internal sealed class BaseFacts
    {
        private BaseFacts(bool isUsable, bool hasRequiredMembers, IReadOnlyList<OptionFacts> properties, IReadOnlyList<VariableFacts> classVariables)
        {
            IsUsable = isUsable;
            HasRequiredMembers = hasRequiredMembers;
            Properties = properties;
            ClassVariables = classVariables;
        }

        public bool IsUsable { get; }

        public bool HasRequiredMembers { get; }

        /// <summary>Public instance properties, base first, as <see cref="OptionsInspector.Inspect"/> visits them.</summary>
        public IReadOnlyList<OptionFacts> Properties { get; }

        /// <summary>The classes' <c>[EnvironmentVariable(Option = ...)]</c>, most derived class first.</summary>
        public IReadOnlyList<VariableFacts> ClassVariables { get; }

        public static BaseFacts Of(INamedTypeSymbol baseType)
        {
            var chain = new List<INamedTypeSymbol>();
            for (var t = baseType; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
            {
                if (t.DeclaringSyntaxReferences.Length > 0 || t.GetTypeMembers().Length > 0 || t.IsGenericType)
                {
                    return new BaseFacts(false, false, [], []);
                }

                chain.Insert(0, t);
            }

            var properties = new List<OptionFacts>();
            var required = false;
            foreach (var type in chain)
            {
                foreach (var member in type.GetMembers())
                {
                    required |= member is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true };
                    if (member is not IPropertySymbol property || property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public || property.IsOverride)
                    {
                        continue;
                    }

                    var explicitKey = property.GetAttributes()
                        .FirstOrDefault(a => SymbolNames.IsAttribute(a, KnownNames.SettingKeyAttribute))?
                        .ConstructorArguments.FirstOrDefault().Value as string;
                    var kind = OptionsInspector.Classify(property.Type);
                    properties.Add(new OptionFacts(
                        property.Name,
                        OptionsInspector.HasAttribute(property, KnownNames.SettingIgnoreAttribute),
                        kind,
                        property.SetMethod is { DeclaredAccessibility: Accessibility.Public },
                        OptionsInspector.HasAttribute(property, KnownNames.PerModeAttribute),
                        OptionsInspector.HasAttribute(property, KnownNames.RequiredAttribute),
                        OptionsInspector.HasAttribute(property, KnownNames.SecretAttribute) || OptionsInspector.LooksSecret(property.Name),
                        explicitKey,
                        kind is { } k ? OptionsInspector.TypeDisplay(k, property.Type) : "",
                        OptionsInspector.VariablesOf(property.GetAttributes(), forOption: null).ToEquatableArray()));
                }
            }

            var classVariables = new List<VariableFacts>();
            for (var i = chain.Count - 1; i >= 0; i--)
            {
                classVariables.AddRange(OptionsInspector.VariablesOf(chain[i].GetAttributes(), forOption: null).Where(v => v.Option is not null));
            }

            return new BaseFacts(true, required, properties, classVariables);
        }
    }
}

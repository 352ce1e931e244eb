using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Providers.Generators.Parsing;

namespace Providers.Generators.Analyzers;

/// <summary>
/// Rules for <c>[Provider]</c> classes: the id (PRV0001, PRV0002), the class shape (PRV0003 to PRV0005), the options
/// type (PRV0006) and the binding of its properties (PRV0012 to PRV0014). PRV0012 and PRV0013 are checked on every
/// type derived from <c>ProviderOptions</c>, whether a provider uses it yet or not.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ProviderAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Diagnostics.DuplicateProviderId,
        Diagnostics.InvalidProviderId,
        Diagnostics.MissingApiHandler,
        Diagnostics.UnusableProviderClass,
        Diagnostics.NoOptionsConstructor,
        Diagnostics.OptionsNotCreatable,
        Diagnostics.OptionUnsupportedType,
        Diagnostics.OptionNoSetter,
        Diagnostics.OptionKeyCollision);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (start.Compilation.GetTypeByMetadataName(KnownNames.ProviderAttribute) is not { } providerAttribute)
            {
                return;
            }

            var state = new CompilationState(start.Compilation, providerAttribute, start.CancellationToken);
            start.RegisterSymbolAction(state.AnalyzeType, SymbolKind.NamedType);
            start.RegisterCompilationEndAction(state.ReportDuplicates);
        });
    }

    private sealed class CompilationState
    {
        private readonly INamedTypeSymbol _providerAttribute;
        private readonly Lazy<Dictionary<string, string>> _referencedIds;
        private readonly ConcurrentBag<DeclaredId> _declaredIds = new();

        public CompilationState(Compilation compilation, INamedTypeSymbol providerAttribute, System.Threading.CancellationToken cancellationToken)
        {
            _providerAttribute = providerAttribute;

            // Read the referenced assemblies only once a provider is found, and only once per compilation.
            _referencedIds = new Lazy<Dictionary<string, string>>(() =>
            {
                var ids = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (id, _, assembly) in ReferencedProvidersParser.FindAttributes(compilation, cancellationToken))
                {
                    if (!ids.ContainsKey(id))
                    {
                        ids.Add(id, assembly.Name);
                    }
                }

                return ids;
            });
        }

        public void AnalyzeType(SymbolAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;

            // Most types derive from object directly; only the rest can be options types.
            if (type.TypeKind == TypeKind.Class && type.BaseType is { SpecialType: not SpecialType.System_Object } && ProviderShape.IsOptionsType(type))
            {
                CheckDeclaredOptionProperties(context, type);
            }

            var attribute = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _providerAttribute));
            if (attribute is null)
            {
                return;
            }

            var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) as AttributeSyntax;
            var attributeLocation = attributeSyntax?.GetLocation() ?? type.Locations[0];
            var idLocation = attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault()?.GetLocation() ?? attributeLocation;
            var typeLocation = type.Locations.FirstOrDefault(l => l.IsInSource) ?? attributeLocation;

            var id = CheckId(context, type, attribute, idLocation);
            if (!CheckClass(context, type, typeLocation) || OptionsParameter(context, type, typeLocation) is not { Type: INamedTypeSymbol optionsType } parameter)
            {
                return;
            }

            var reasons = ProviderShape.OptionsCreationProblems(optionsType);
            if (reasons.Count > 0)
            {
                var location = parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken) is ParameterSyntax { Type: { } parameterType }
                    ? parameterType.GetLocation()
                    : attributeLocation;
                context.ReportDiagnostic(Diagnostic.Create(Diagnostics.OptionsNotCreatable, location, optionsType.Name, string.Join(", ", reasons)));
            }

            CheckOptionProperties(context, optionsType, id, attributeLocation);
        }

        public void ReportDuplicates(CompilationAnalysisContext context)
        {
            foreach (var group in _declaredIds.GroupBy(d => d.Id, StringComparer.Ordinal))
            {
                var all = group.OrderBy(d => d.TypeName, StringComparer.Ordinal).ToList();
                if (all.Count < 2)
                {
                    continue;
                }

                foreach (var declared in all)
                {
                    var others = string.Join(", ", all.Where(o => !ReferenceEquals(o, declared)).Select(o => "'" + o.TypeName + "'"));
                    context.ReportDiagnostic(Diagnostic.Create(Diagnostics.DuplicateProviderId, declared.Location, declared.Id, others));
                }
            }
        }

        /// <summary>PRV0002 for an invalid id; a valid one is recorded for PRV0001 and returned.</summary>
        private string? CheckId(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData attribute, Location idLocation)
        {
            var id = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
            if (!SettingKeys.IsValidId(id))
            {
                var suggestion = ProviderIds.Suggest(id, type.Name);
                var properties = ImmutableDictionary<string, string?>.Empty.Add(Diagnostics.SuggestedIdProperty, suggestion);
                context.ReportDiagnostic(Diagnostic.Create(Diagnostics.InvalidProviderId, idLocation, properties, id ?? "null", suggestion));
                return null;
            }

            _declaredIds.Add(new DeclaredId(id!, type.ToDisplayString(), idLocation));
            if (_referencedIds.Value.TryGetValue(id!, out var assemblyName))
            {
                context.ReportDiagnostic(Diagnostic.Create(Diagnostics.DuplicateProviderId, idLocation, id, $"a provider in referenced assembly '{assemblyName}'"));
            }

            return id;
        }

        /// <summary>PRV0003 and PRV0004; <see langword="false"/> when the class is abstract or static, so its constructors do not matter yet.</summary>
        private static bool CheckClass(SymbolAnalysisContext context, INamedTypeSymbol type, Location location)
        {
            if (!ProviderShape.ImplementsApiHandler(type))
            {
                context.ReportDiagnostic(Diagnostic.Create(Diagnostics.MissingApiHandler, location, type.Name));
            }

            var problems = ProviderShape.ProviderClassProblems(type);
            if (problems.Count > 0)
            {
                context.ReportDiagnostic(Diagnostic.Create(Diagnostics.UnusableProviderClass, location, type.Name, string.Join(" and ", problems)));
            }

            return !type.IsStatic && !type.IsAbstract;
        }

        /// <summary>PRV0005; the parameter of the one options constructor, or <see langword="null"/>.</summary>
        private static IParameterSymbol? OptionsParameter(SymbolAnalysisContext context, INamedTypeSymbol type, Location location)
        {
            var constructors = ProviderShape.OptionsConstructors(type);
            if (constructors.Count == 1)
            {
                return constructors[0].Parameters[0];
            }

            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.NoOptionsConstructor, location, type.Name, DescribeConstructors(type, constructors)));
            return null;
        }

        /// <summary>
        /// PRV0012 and PRV0013 for properties outside the source (reported on <paramref name="fallback"/>, the provider
        /// attribute), and PRV0014 for the keys derived from <paramref name="id"/>, when the id is valid.
        /// </summary>
        private static void CheckOptionProperties(SymbolAnalysisContext context, INamedTypeSymbol optionsType, string? id, Location fallback)
        {
            var properties = OptionsInspector.Inspect(optionsType, id ?? "");
            var keys = new Dictionary<string, OptionProperty>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in properties)
            {
                var location = property.Property.Locations.FirstOrDefault(l => l.IsInSource);
                if (property.Problem != OptionProblem.None)
                {
                    // A property in source is reported by the analysis of its own type (CheckDeclaredOptionProperties).
                    if (location is null)
                    {
                        context.ReportDiagnostic(ProblemDiagnostic(property, fallback));
                    }

                    continue;
                }

                if (id is null)
                {
                    continue;
                }

                foreach (var key in property.PlanModeKey == property.ActModeKey ? new[] { property.PlanModeKey } : new[] { property.PlanModeKey, property.ActModeKey })
                {
                    if (keys.TryGetValue(key, out var first))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(Diagnostics.OptionKeyCollision, location ?? fallback, property.Property.Name, key, first.Property.Name));
                        break;
                    }

                    keys.Add(key, property);
                }
            }
        }

        /// <summary>
        /// PRV0012 and PRV0013 for the properties an options type declares in source, reported while analyzing that type
        /// so the diagnostic is local to it (and its code fix works while the file is being edited).
        /// </summary>
        private static void CheckDeclaredOptionProperties(SymbolAnalysisContext context, INamedTypeSymbol optionsType)
        {
            foreach (var property in OptionsInspector.Inspect(optionsType, ""))
            {
                if (property.Problem != OptionProblem.None
                    && SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, optionsType)
                    && property.Property.Locations.FirstOrDefault(l => l.IsInSource) is { } location)
                {
                    context.ReportDiagnostic(ProblemDiagnostic(property, location));
                }
            }
        }

        private static Diagnostic ProblemDiagnostic(OptionProperty property, Location location) =>
            property.Problem == OptionProblem.UnsupportedType
                ? Diagnostic.Create(Diagnostics.OptionUnsupportedType, location, property.Property.Name, property.Property.Type.ToDisplayString())
                : Diagnostic.Create(Diagnostics.OptionNoSetter, location, property.Property.Name);

        private static string DescribeConstructors(INamedTypeSymbol type, IReadOnlyList<IMethodSymbol> optionsConstructors)
        {
            if (optionsConstructors.Count > 1)
            {
                return $"{optionsConstructors.Count}: " + string.Join(", ", optionsConstructors.Select(Signature));
            }

            var publicConstructors = type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToList();
            return publicConstructors.Count == 0
                ? "no public constructor"
                : "none (public constructors: " + string.Join(", ", publicConstructors.Select(Signature)) + ")";
        }

        private static string Signature(IMethodSymbol constructor) =>
            constructor.ContainingType.Name + "(" + string.Join(", ", constructor.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))) + ")";
    }

    private sealed class DeclaredId
    {
        public DeclaredId(string id, string typeName, Location location)
        {
            Id = id;
            TypeName = typeName;
            Location = location;
        }

        public string Id { get; }

        public string TypeName { get; }

        public Location Location { get; }
    }
}

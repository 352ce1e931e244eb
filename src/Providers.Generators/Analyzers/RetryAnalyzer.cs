using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Providers.Common;
using Providers.Generators.Parsing;

namespace Providers.Generators.Analyzers;

/// <summary>
/// Rules for <c>[WithRetry]</c> on a provider class or a partial method: partial declarations (PRV0007), the return
/// type (PRV0008), the <c>Core</c> method the wrapper calls (PRV0009, PRV0010, PRV0016), the retry numbers (PRV0011)
/// and the options a static wrapper cannot reach (PRV0015).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RetryAnalyzer : DiagnosticAnalyzer
{
    private const string CreateMessageCoreSignature =
        "the parameters (string, IReadOnlyList<ChatMessage>, IReadOnlyList<ToolDefinition>?, CancellationToken) returning IAsyncEnumerable<ApiStreamChunk>";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Diagnostics.RetryNotPartial,
        Diagnostics.RetryUnsupportedReturnType,
        Diagnostics.RetryMissingCore,
        Diagnostics.RetryUserCreateMessage,
        Diagnostics.RetryImpossibleNumbers,
        Diagnostics.RetryOptionsUnreachable,
        Diagnostics.RetryCoreUnreachable);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (start.Compilation.GetTypeByMetadataName(KnownNames.WithRetryAttribute) is not { } withRetry)
            {
                return;
            }

            // Methods are reached through their type: a partial method whose implementation part is generated comes to a
            // method symbol action as that generated part, which ConfigureGeneratedCodeAnalysis(None) then skips.
            start.RegisterSymbolAction(c => AnalyzeType(c, withRetry), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol withRetry)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary, PartialDefinitionPart: null } method)
            {
                AnalyzeMethod(context, method, withRetry);
            }
        }

        AnalyzeClass(context, type, withRetry);
    }

    private static void AnalyzeClass(SymbolAnalysisContext context, INamedTypeSymbol type, INamedTypeSymbol withRetry)
    {
        if (FindAttribute(type, withRetry) is not { } attribute)
        {
            return;
        }

        var location = type.Locations.FirstOrDefault(l => l.IsInSource);
        if (location is null)
        {
            return;
        }

        CheckNumbers(context, attribute);
        if (!RetryRules.IsPartialChain(type))
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.RetryNotPartial, location, DescribeNonPartial(type, method: null)));
        }

        var userWritten = type.GetMembers(KnownNames.CreateMessageMethod)
            .OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && m.Locations.Any(l => l.IsInSource) && !RetryRules.IsInGeneratedWrapper(m))
            .ToList();
        foreach (var method in userWritten)
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.RetryUserCreateMessage, method.Locations.First(l => l.IsInSource), type.Name));
        }

        if (userWritten.Count == 0 && RetryRules.FindCreateMessageCore(type, context.Compilation) is { Found: false } core)
        {
            ReportMissingCore(context, location, core, type.Name, type, KnownNames.CreateMessageCoreMethod, wrapper: null, CreateMessageCoreSignature);
        }
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, INamedTypeSymbol withRetry)
    {
        if (FindAttribute(method, withRetry) is not { } attribute)
        {
            return;
        }

        var location = method.Locations.FirstOrDefault(l => l.IsInSource);
        if (location is null)
        {
            return;
        }

        CheckNumbers(context, attribute);
        if (!method.IsPartialDefinition || !RetryRules.IsPartialChain(method.ContainingType))
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.RetryNotPartial, location, DescribeNonPartial(method.ContainingType, method)));
        }

        if (RetryRules.ShapeOf(method.ReturnType).Shape is null)
        {
            var returnTypeLocation = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken) is MethodDeclarationSyntax syntax
                ? syntax.ReturnType.GetLocation()
                : location;
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.RetryUnsupportedReturnType, returnTypeLocation, method.ReturnType.ToDisplayString()));
            return;
        }

        var coreName = KnownNames.CoreMethodName(method.Name);
        if (RetryRules.FindCore(method, context.Compilation) is { Found: false } core)
        {
            ReportMissingCore(context, location, core, method.Name, method.ContainingType, coreName, method, "the same parameter types and return type as " + method.Name);
        }

        if (method.IsStatic && ProviderShape.UnreachableOptionsFromStatic(method.ContainingType) is { } options)
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.RetryOptionsUnreachable, location, method.Name, options));
        }
    }

    /// <summary>
    /// PRV0009 when there is no Core of the right shape; PRV0016 when there is one the wrapper cannot call (a base
    /// class's private Core, an instance Core under a static wrapper), saying which and what to do.
    /// </summary>
    private static void ReportMissingCore(
        SymbolAnalysisContext context, Location location, CoreLookup core, string wrapperName, INamedTypeSymbol handler, string coreName, IMethodSymbol? wrapper, string signature)
    {
        if (core.Rejected is not { } rejected)
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.RetryMissingCore, location, wrapperName, coreName, signature));
            return;
        }

        var owner = rejected.ContainingType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        var found = $"'{owner}.{coreName}'";
        string why, fix;
        if (core.Problem == CoreProblem.InstanceUnderStatic)
        {
            why = $"{found} is an instance method and '{wrapper?.Name}' is static";
            fix = $"make '{coreName}' static, or make '{wrapper?.Name}' an instance method";
        }
        else
        {
            // Another assembly's internal members are not imported at all (that is PRV0009, as for C#); what is left
            // here is a base class's private Core, or an accessibility the compiler rules out in some other way.
            why = rejected.DeclaredAccessibility == Accessibility.Private
                ? $"{found} is private to '{owner}', so '{handler.Name}' cannot call it"
                : $"{found} is not accessible from '{handler.Name}'";
            fix = $"make it protected in '{owner}', or write '{coreName}' in '{handler.Name}'";
        }

        context.ReportDiagnostic(Diagnostic.Create(Diagnostics.RetryCoreUnreachable, location, wrapperName, coreName, why, fix));
    }

    private static void CheckNumbers(SymbolAnalysisContext context, AttributeData attribute)
    {
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) as AttributeSyntax;
        int? Named(string name) => attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value as int?;
        Location Where(string name) =>
            syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.GetLocation()
            ?? syntax?.GetLocation()
            ?? Location.None;

        var maxRetries = Named("MaxRetries") ?? RetryDefaults.MaxRetries;
        var baseDelay = Named("BaseDelayMs") ?? RetryDefaults.BaseDelayMs;
        var maxDelay = Named("MaxDelayMs") ?? RetryDefaults.MaxDelayMs;

        if (maxRetries < 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.RetryImpossibleNumbers, Where("MaxRetries"), "MaxRetries", maxRetries, "use 0 or more"));
        }

        if (baseDelay <= 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.RetryImpossibleNumbers, Where("BaseDelayMs"), "BaseDelayMs", baseDelay, "use a delay above 0"));
        }
        else if (maxDelay < baseDelay)
        {
            var diagnostic = Named("MaxDelayMs") is not null
                ? Diagnostic.Create(Diagnostics.RetryImpossibleNumbers, Where("MaxDelayMs"), "MaxDelayMs", maxDelay, $"use at least BaseDelayMs ({baseDelay})")
                : Diagnostic.Create(Diagnostics.RetryImpossibleNumbers, Where("BaseDelayMs"), "BaseDelayMs", baseDelay, $"use at most MaxDelayMs ({maxDelay})");
            context.ReportDiagnostic(diagnostic);
        }
    }

    private static AttributeData? FindAttribute(ISymbol symbol, INamedTypeSymbol withRetry) =>
        symbol.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, withRetry));

    /// <summary><c>type 'Outer' and method 'FooAsync'</c>: the declarations that lack the partial modifier.</summary>
    private static string DescribeNonPartial(INamedTypeSymbol type, IMethodSymbol? method)
    {
        var parts = RetryRules.NonPartialTypes(type).Select(t => $"type '{t.Name}'").ToList();
        if (method is { IsPartialDefinition: false })
        {
            parts.Add($"method '{method.Name}'");
        }

        return string.Join(" and ", parts);
    }
}

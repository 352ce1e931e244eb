using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Providers.Generators.Models;

namespace Providers.Generators.Parsing;

/// <summary>
/// What <c>[WithRetry]</c> needs of the code it wraps, decided once for the parser (which emits nothing when a rule
/// fails) and the analyzer (which says why). Works on symbols; returns no models.
/// </summary>
internal static class RetryRules
{
    private static readonly SymbolDisplayFormat TypeFormat =
        SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>Whether the type and every type containing it are declared partial.</summary>
    public static bool IsPartialChain(INamedTypeSymbol type) => NonPartialTypes(type).Count == 0;

    /// <summary>The type and its containing types that lack the partial modifier, outermost first.</summary>
    public static IReadOnlyList<INamedTypeSymbol> NonPartialTypes(INamedTypeSymbol type)
    {
        var missing = new List<INamedTypeSymbol>();
        for (var t = type; t is not null; t = t.ContainingType)
        {
            var partial = t.DeclaringSyntaxReferences.Any(r =>
                r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial)
            {
                missing.Insert(0, t);
            }
        }

        return missing;
    }

    /// <summary>Whether the type declares the <c>CreateMessageCoreAsync</c> a class-level wrapper calls.</summary>
    public static bool HasCreateMessageCore(INamedTypeSymbol type) =>
        type.GetMembers(KnownNames.CreateMessageCoreMethod).OfType<IMethodSymbol>().Any(IsCreateMessageShape);

    /// <summary>Whether <c>CreateMessageCoreAsync</c> takes <c>RequestOverrides</c>, so the wrapper has both overloads of <c>IApiHandlerWithOverrides</c>.</summary>
    public static bool CreateMessageCoreTakesOverrides(INamedTypeSymbol type) =>
        type.GetMembers(KnownNames.CreateMessageCoreMethod).OfType<IMethodSymbol>().Any(c => IsCreateMessageShape(c) && c.Parameters.Length == 5);

    /// <summary>
    /// Whether a method has the shape of <c>CreateMessageCoreAsync</c>: the parameters and return type of
    /// <c>IApiHandler.CreateMessageAsync</c>, optionally with a <c>RequestOverrides</c> before the token (the shape of
    /// <c>IApiHandlerWithOverrides.CreateMessageAsync</c>).
    /// </summary>
    public static bool IsCreateMessageShape(IMethodSymbol method) =>
        IsCreateMessageShape(method.Parameters.Select(p => p.Type).ToList(), method.ReturnType);

    /// <summary>The same rule over a method's parameter types and return type, however they were found.</summary>
    public static bool IsCreateMessageShape(IReadOnlyList<ITypeSymbol> parameters, ITypeSymbol returnType) =>
        parameters.Count is 4 or 5
        && parameters[0].SpecialType == SpecialType.System_String
        && IsListOf(parameters[1], "Providers.ChatMessage")
        && IsListOf(parameters[2], "Providers.ToolDefinition")
        && (parameters.Count == 4 || SymbolNames.Is(parameters[3], "Providers.RequestOverrides"))
        && SymbolNames.Is(parameters[parameters.Count - 1], "System.Threading.CancellationToken")
        && returnType is INamedTypeSymbol { TypeArguments.Length: 1 } stream
        && SymbolNames.IsGeneric(stream, "System.Collections.Generic.IAsyncEnumerable`1")
        && SymbolNames.Is(stream.TypeArguments[0], KnownNames.ApiStreamChunk);

    /// <summary>
    /// Whether the type declares the <c>…Core</c> method a method-level wrapper of <paramref name="method"/> calls: named
    /// by <see cref="KnownNames.CoreMethodName"/>, with the same parameter types and return type.
    /// </summary>
    public static bool HasCore(IMethodSymbol method) =>
        method.ContainingType.GetMembers(KnownNames.CoreMethodName(method.Name)).OfType<IMethodSymbol>().Any(core =>
            core.Parameters.Length == method.Parameters.Length
            && core.Parameters.Zip(method.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same)
            && SymbolEqualityComparer.Default.Equals(core.ReturnType, method.ReturnType));

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

    /// <summary>Whether every declaration of <paramref name="symbol"/> is in a retry wrapper this generator wrote.</summary>
    public static bool IsInGeneratedWrapper(ISymbol symbol) =>
        symbol.DeclaringSyntaxReferences.Length > 0
        && symbol.DeclaringSyntaxReferences.All(r => r.SyntaxTree.FilePath.EndsWith(KnownNames.RetryFileSuffix, System.StringComparison.Ordinal));

    private static bool IsListOf(ITypeSymbol type, string element) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } list
        && SymbolNames.IsGeneric(list, "System.Collections.Generic.IReadOnlyList`1")
        && SymbolNames.Is(list.TypeArguments[0], element);
}

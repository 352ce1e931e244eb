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

    /// <summary>
    /// The <c>CreateMessageCoreAsync</c> a class-level wrapper on <paramref name="type"/> calls: declared on the type or
    /// inherited from a base class that <paramref name="type"/> can call (see <see cref="FindCore(IMethodSymbol, Compilation)"/>).
    /// </summary>
    public static CoreLookup FindCreateMessageCore(INamedTypeSymbol type, Compilation compilation) =>
        FindCore(type, compilation, type, KnownNames.CreateMessageCoreMethod, wrapper: null);

    /// <summary>
    /// <see cref="FindCreateMessageCore"/> without the type's own declarations: for a caller that has read those
    /// from syntax and found none.
    /// </summary>
    public static CoreLookup FindInheritedCreateMessageCore(INamedTypeSymbol type, Compilation compilation) =>
        type.BaseType is { } baseType
            ? FindCore(baseType, compilation, type, KnownNames.CreateMessageCoreMethod, wrapper: null)
            : default;

    /// <summary>Whether the type declares or inherits the <c>CreateMessageCoreAsync</c> a class-level wrapper calls.</summary>
    public static bool HasCreateMessageCore(INamedTypeSymbol type, Compilation compilation) =>
        FindCreateMessageCore(type, compilation).Found;

    /// <summary>Whether the <c>CreateMessageCoreAsync</c> found takes <c>RequestOverrides</c>, so the wrapper has both overloads of <c>IApiHandlerWithOverrides</c>.</summary>
    public static bool CreateMessageCoreTakesOverrides(INamedTypeSymbol type, Compilation compilation) =>
        FindCreateMessageCore(type, compilation).TakesOverrides;

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
    /// The <c>…Core</c> method a method-level wrapper of <paramref name="method"/> calls: named by
    /// <see cref="KnownNames.CoreMethodName"/>, with the same parameter types and return type (those of a generic base
    /// class compared as the handler's base list substitutes them), declared on the type or inherited.
    /// </summary>
    public static CoreLookup FindCore(IMethodSymbol method, Compilation compilation) =>
        FindCore(method.ContainingType, compilation, method.ContainingType, KnownNames.CoreMethodName(method.Name), method);

    /// <summary>
    /// Looks for <paramref name="name"/> on <paramref name="start"/>, then on each base class, as C# would for the
    /// wrapper's unqualified call from <paramref name="handler"/>: the first class with a Core of the wanted shape that
    /// the wrapper can call wins, so a Core on the handler hides one on its base (and a base's hides its own base's).
    /// A Core of the right shape that cannot be called (private to a base class, or an instance method under a static
    /// wrapper) is skipped, as C# skips it, and is kept to say why when nothing else is found.
    /// <paramref name="wrapper"/> is the method-level wrapper, or <see langword="null"/> for <c>CreateMessageCoreAsync</c>.
    /// </summary>
    private static CoreLookup FindCore(INamedTypeSymbol start, Compilation compilation, INamedTypeSymbol handler, string name, IMethodSymbol? wrapper)
    {
        IMethodSymbol? rejected = null;
        var problem = CoreProblem.None;
        for (var t = start; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
        {
            var found = false;
            var takesOverrides = false;
            foreach (var member in t.GetMembers(name))
            {
                if (member is not IMethodSymbol core || !(wrapper is null ? IsCreateMessageShape(core) : SameSignature(core, wrapper)))
                {
                    continue;
                }

                var why = !SymbolEqualityComparer.Default.Equals(t, handler) && !compilation.IsSymbolAccessibleWithin(core, handler, handler)
                    ? CoreProblem.Inaccessible
                    : wrapper is { IsStatic: true } && !core.IsStatic ? CoreProblem.InstanceUnderStatic
                    : CoreProblem.None;
                if (why != CoreProblem.None)
                {
                    if (rejected is null)
                    {
                        rejected = core;
                        problem = why;
                    }

                    continue;
                }

                found = true;
                takesOverrides |= wrapper is null && core.Parameters.Length == 5;
            }

            if (found)
            {
                return new CoreLookup(true, takesOverrides, SymbolEqualityComparer.Default.Equals(t, handler) ? null : t, null, CoreProblem.None);
            }
        }

        return new CoreLookup(false, false, null, rejected, problem);
    }

    /// <summary>
    /// How the generated documentation names a Core: its name when the handler declares it; qualified by the
    /// declaring base class otherwise (<c>global::Ns.Base{TOptions}.CreateMessageCoreAsync</c>), since a cref's simple
    /// name does not reach an inherited member (CS1574).
    /// </summary>
    public static string CoreOwnerCref(in CoreLookup core) =>
        core.Owner is { } owner
            ? owner.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace('<', '{').Replace('>', '}')
            : "";

    /// <summary>
    /// Whether a <c>CreateMessageCoreAsync</c> with the parameters of <paramref name="method"/>, declared on its class,
    /// would hide one of a base class that the class can call (C# hides a method by its parameter types): the
    /// PRV0010 code fix then marks the renamed method <c>new</c>.
    /// </summary>
    public static bool HidesInheritedCreateMessageCore(IMethodSymbol method, Compilation compilation)
    {
        var handler = method.ContainingType;
        for (var t = handler.BaseType; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
        {
            foreach (var member in t.GetMembers(KnownNames.CreateMessageCoreMethod))
            {
                if (member is IMethodSymbol core && SameParameterTypes(core, method) && compilation.IsSymbolAccessibleWithin(core, handler, handler))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool SameSignature(IMethodSymbol core, IMethodSymbol wrapper) =>
        SymbolEqualityComparer.Default.Equals(core.ReturnType, wrapper.ReturnType) && SameParameterTypes(core, wrapper);

    private static bool SameParameterTypes(IMethodSymbol a, IMethodSymbol b)
    {
        if (a.Parameters.Length != b.Parameters.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Parameters.Length; i++)
        {
            if (!SymbolEqualityComparer.Default.Equals(a.Parameters[i].Type, b.Parameters[i].Type))
            {
                return false;
            }
        }

        return true;
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

    /// <summary>Whether every declaration of <paramref name="symbol"/> is in a retry wrapper this generator wrote.</summary>
    public static bool IsInGeneratedWrapper(ISymbol symbol) =>
        symbol.DeclaringSyntaxReferences.Length > 0
        && symbol.DeclaringSyntaxReferences.All(r => r.SyntaxTree.FilePath.EndsWith(KnownNames.RetryFileSuffix, System.StringComparison.Ordinal));

    private static bool IsListOf(ITypeSymbol type, string element) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } list
        && SymbolNames.IsGeneric(list, "System.Collections.Generic.IReadOnlyList`1")
        && SymbolNames.Is(list.TypeArguments[0], element);
}

/// <summary>Why a Core method of the right shape cannot be called by the wrapper.</summary>
internal enum CoreProblem
{
    None,

    /// <summary>
    /// Declared on a base class and not accessible from the handler: private. (Another assembly's internal members
    /// are not imported from metadata, so such a Core is not found at all.)
    /// </summary>
    Inaccessible,

    /// <summary>An instance method, and the wrapper is static.</summary>
    InstanceUnderStatic,
}

/// <summary>
/// What <see cref="RetryRules.FindCore(IMethodSymbol, Compilation)"/> found. Holds a symbol only to explain a miss, so it
/// is for the analyzer and for a transform's own use: never part of a generator model (and not equatable).
/// </summary>
internal readonly struct CoreLookup(bool found, bool takesOverrides, INamedTypeSymbol? owner, IMethodSymbol? rejected, CoreProblem problem)
{
    /// <summary>Whether the wrapper has a Core it can call.</summary>
    public bool Found { get; } = found;

    /// <summary>For <c>CreateMessageCoreAsync</c>: whether a Core found takes <c>RequestOverrides</c>.</summary>
    public bool TakesOverrides { get; } = takesOverrides;

    /// <summary>The base class declaring the Core found; <see langword="null"/> when the handler declares it.</summary>
    public INamedTypeSymbol? Owner { get; } = owner;

    /// <summary>When nothing was found: the first Core of the right shape that the wrapper cannot call, if any.</summary>
    public IMethodSymbol? Rejected { get; } = rejected;

    /// <summary>Why <see cref="Rejected"/> cannot be called.</summary>
    public CoreProblem Problem { get; } = problem;
}

using Microsoft.CodeAnalysis;

namespace Providers.Generators.Parsing;

/// <summary>
/// Compares a symbol with a metadata name by walking its name and namespaces: no display string is built. The
/// transforms run for every annotated node on every compilation change, so this is on the hot path.
/// </summary>
internal static class SymbolNames
{
    /// <summary>Whether <paramref name="symbol"/> is the top-level type <paramref name="metadataName"/> (for example <c>Providers.PerModeAttribute</c>).</summary>
    public static bool Is(ISymbol? symbol, string metadataName)
    {
        if (symbol is not INamedTypeSymbol { ContainingType: null } type)
        {
            return false;
        }

        // Compared in place: this runs for every base and interface of every annotated class, so no substrings.
        var dot = metadataName.LastIndexOf('.');
        var start = dot + 1;
        var tick = metadataName.IndexOf('`', start);
        var end = tick < 0 ? metadataName.Length : tick;
        var arity = 0;
        for (var i = tick + 1; tick >= 0 && i < metadataName.Length; i++)
        {
            arity = (arity * 10) + (metadataName[i] - '0');
        }

        var name = type.Name;
        return name.Length == end - start && string.CompareOrdinal(name, 0, metadataName, start, end - start) == 0
            && type.Arity == arity && NamespaceIs(type.ContainingNamespace, metadataName, dot);
    }

    /// <summary>Whether an attribute's class is <paramref name="metadataName"/>.</summary>
    public static bool IsAttribute(AttributeData attribute, string metadataName) => Is(attribute.AttributeClass, metadataName);

    /// <summary>Whether <paramref name="type"/> is a constructed or open generic of <paramref name="metadataName"/> (for example <c>System.Threading.Tasks.Task`1</c>).</summary>
    public static bool IsGeneric(ITypeSymbol type, string metadataName) => type is INamedTypeSymbol named && Is(named.OriginalDefinition, metadataName);

    private static bool NamespaceIs(INamespaceSymbol? ns, string metadataName, int end)
    {
        // Walk the namespaces outward while walking the dotted prefix backward.
        while (end > 0)
        {
            if (ns is null || ns.IsGlobalNamespace)
            {
                return false;
            }

            var start = metadataName.LastIndexOf('.', end - 1) + 1;
            if (string.CompareOrdinal(ns.Name, 0, metadataName, start, end - start) != 0 || ns.Name.Length != end - start)
            {
                return false;
            }

            ns = ns.ContainingNamespace;
            end = start - 1;
        }

        return ns is null || ns.IsGlobalNamespace;
    }
}

/// <summary>
/// The display strings the parsers put in models, built from names for the common case (a top-level, non-generic type
/// whose names are not keywords), which is several times cheaper than the display machinery; the machinery otherwise.
/// </summary>
internal static class DisplayNames
{
    /// <summary><c>global::Ns.Type</c>, as <see cref="SymbolDisplayFormat.FullyQualifiedFormat"/> writes it.</summary>
    public static string FullyQualified(INamedTypeSymbol type) =>
        IsPlain(type) ? "global::" + Qualified(type) : type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary><c>Ns.Type</c>, as the default display format writes it.</summary>
    public static string Plain(INamedTypeSymbol type) => IsPlain(type) ? Qualified(type) : type.ToDisplayString();

    /// <summary><c>Ns.Inner</c>, as the default display format writes a namespace; empty for the global one.</summary>
    public static string Namespace(INamespaceSymbol? ns)
    {
        if (ns is null || ns.IsGlobalNamespace)
        {
            return "";
        }

        var name = ns.Name;
        for (var n = ns.ContainingNamespace; n is { IsGlobalNamespace: false }; n = n.ContainingNamespace)
        {
            name = n.Name + "." + name;
        }

        return IsKeyword(ns.Name) || !AllPlain(ns.ContainingNamespace) ? ns.ToDisplayString() : name;
    }

    private static string Qualified(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? Namespace(ns) + "." + type.Name : type.Name;

    private static bool IsPlain(INamedTypeSymbol type)
    {
        if (type.ContainingType is not null || type.IsGenericType || type.TypeKind == TypeKind.Error || IsKeyword(type.Name))
        {
            return false;
        }

        return AllPlain(type.ContainingNamespace);
    }

    private static bool AllPlain(INamespaceSymbol? ns)
    {
        for (var n = ns; n is { IsGlobalNamespace: false }; n = n.ContainingNamespace)
        {
            if (IsKeyword(n.Name))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsKeyword(string name) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None
        || Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetContextualKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None;
}

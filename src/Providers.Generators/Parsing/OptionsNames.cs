using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Providers.Generators.Parsing;

/// <summary>
/// Whether the simple names <see cref="OptionsSyntax"/> read mean the types it took them for, in a given compilation:
/// a name means the framework's type when no enclosing namespace declares another type of that name and the type's
/// namespace is imported (or encloses the class). Answers are kept per compilation namespace and per compilation.
/// </summary>
internal static class OptionsNames
{
    private const string ProvidersNs = "Providers";
    private const string SystemNs = "System";
    private const string CollectionsNs = "System.Collections.Generic";
    private const string JsonNs = "System.Text.Json";
    private const string AnnotationsNs = "System.ComponentModel.DataAnnotations";
    private const string ThreadingNs = "System.Threading";

    private static readonly string[] Homes = [ProvidersNs, SystemNs, CollectionsNs, JsonNs, AnnotationsNs, ThreadingNs];

    // Every name the reader may rely on and the namespace of the type it must mean ("" for a name that must mean
    // nothing, such as PerMode, which C# tries before PerModeAttribute; "System" for the root of System.Uri).
    private static readonly (string Name, string Home)[] Names =
    [
        ("PerMode", ""), ("PerModeAttribute", ProvidersNs),
        ("SettingKey", ""), ("SettingKeyAttribute", ProvidersNs),
        ("SettingIgnore", ""), ("SettingIgnoreAttribute", ProvidersNs),
        ("Secret", ""), ("SecretAttribute", ProvidersNs),
        ("EnvironmentVariable", ""), ("EnvironmentVariableAttribute", ProvidersNs),
        ("Required", ""), ("RequiredAttribute", AnnotationsNs),
        ("ModelInfo", ProvidersNs),
        ("Uri", SystemNs), ("TimeSpan", SystemNs),
        ("Dictionary", CollectionsNs), ("IDictionary", CollectionsNs), ("IReadOnlyDictionary", CollectionsNs),
        ("JsonElement", JsonNs),
        ("System", ""),
        ("ChatMessage", ProvidersNs), ("ToolDefinition", ProvidersNs), ("RequestOverrides", ProvidersNs), ("ApiStreamChunk", ProvidersNs),
        ("IReadOnlyList", CollectionsNs), ("IAsyncEnumerable", CollectionsNs), ("CancellationToken", ThreadingNs),
    ];

    private static readonly Dictionary<string, int> Index = BuildIndex();

    private static readonly ConditionalWeakTable<INamespaceSymbol, Scope> Scopes = new();

    private static readonly ConditionalWeakTable<Compilation, GlobalUsings> Globals = new();

    private static readonly ConditionalWeakTable<SyntaxNode, Box> FileImports = new();

    private static readonly ConditionalWeakTable<INamespaceSymbol, INamespaceSymbol> Merged = new();

    /// <summary>The compilation's namespace (source and references merged) for a namespace of the source module, kept per namespace.</summary>
    public static INamespaceSymbol? MergedOf(INamespaceSymbol ns, Compilation compilation) =>
        Merged.TryGetValue(ns, out var merged) ? merged
        : compilation.GetCompilationNamespace(ns) is { } found ? Merged.GetValue(ns, _ => found)
        : null;

    /// <summary>
    /// The namespaces (as home bits) a type declaration's file imports, or <see langword="null"/> when its usings could
    /// make a simple name mean something else: an alias, a static or extern directive, or usings inside a namespace.
    /// </summary>
    public static int? ImportsOf(TypeDeclarationSyntax declaration)
    {
        for (var parent = declaration.Parent; parent is BaseNamespaceDeclarationSyntax ns; parent = parent.Parent)
        {
            if (ns.Usings.Count > 0 || ns.Externs.Count > 0)
            {
                return null;
            }
        }

        return declaration.SyntaxTree.GetRoot() is CompilationUnitSyntax unit
            ? FileImports.GetValue(unit, static u => new Box(Imports((CompilationUnitSyntax)u))).Value
            : null;
    }

    private static int? Imports(CompilationUnitSyntax unit)
    {
        if (unit.Externs.Count > 0)
        {
            return null;
        }

        var homes = 0;
        foreach (var directive in unit.Usings)
        {
            if (directive.Alias is not null || directive.StaticKeyword != default || directive.UnsafeKeyword != default || directive.Name is null)
            {
                return null;
            }

            homes |= HomeBit(WithoutGlobal(directive.Name.ToString()));
        }

        return homes;
    }

    private sealed class Box(int? value)
    {
        public int? Value { get; } = value;
    }

    /// <summary>The framework attribute a simple attribute name may mean (<c>PerMode</c> or <c>PerModeAttribute</c>), or <see langword="null"/>.</summary>
    public static string? AttributeOf(string name) => name switch
    {
        "PerMode" or "PerModeAttribute" => KnownNames.PerModeAttribute,
        "SettingKey" or "SettingKeyAttribute" => KnownNames.SettingKeyAttribute,
        "SettingIgnore" or "SettingIgnoreAttribute" => KnownNames.SettingIgnoreAttribute,
        "Secret" or "SecretAttribute" => KnownNames.SecretAttribute,
        "EnvironmentVariable" or "EnvironmentVariableAttribute" => KnownNames.EnvironmentVariableAttribute,
        "Required" or "RequiredAttribute" => KnownNames.RequiredAttribute,
        _ => null,
    };

    public static int NameBit(string name) => Index.TryGetValue(name, out var i) ? 1 << i : throw new KeyNotFoundException(name);

    /// <summary>The bit of a namespace some read name lives in, 0 for any other namespace.</summary>
    public static int HomeBit(string ns)
    {
        var i = System.Array.IndexOf(Homes, ns);
        return i < 0 ? 0 : 1 << i;
    }

    public static string WithoutGlobal(string name) => name.StartsWith("global::", System.StringComparison.Ordinal) ? name.Substring("global::".Length) : name;

    /// <summary>
    /// Whether every name in <paramref name="model"/> means what the reader took it for, for a class declared in
    /// <paramref name="ns"/> of <paramref name="compilation"/>.
    /// </summary>
    public static bool Hold(OptionsSyntaxModel model, INamespaceSymbol ns, Compilation compilation) =>
        Hold(model.UsedNames, model.ImportedHomes, ns, compilation);

    /// <summary>Whether the names in <paramref name="usedNames"/>, written in a file importing <paramref name="importedHomes"/>, mean the framework's types in <paramref name="ns"/>.</summary>
    public static bool Hold(int usedNames, int importedHomes, INamespaceSymbol ns, Compilation compilation)
    {
        var globals = Globals.GetValue(compilation, static c => GlobalUsings.Of(c));
        if (globals.HasAliasOrStatic)
        {
            return false;
        }

        if (MergedOf(ns, compilation) is not { } merged)
        {
            return false;
        }

        var scope = ScopeOf(merged);
        if ((usedNames & scope.Other) != 0)
        {
            return false;
        }

        var imported = importedHomes | globals.Homes;
        for (var i = 0; i < Names.Length; i++)
        {
            var bit = 1 << i;
            if ((usedNames & bit) == 0 || (scope.Home & bit) != 0)
            {
                continue;
            }

            var home = Names[i].Home;
            if (home.Length > 0 && (imported & HomeBit(home)) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(System.StringComparer.Ordinal);
        for (var i = 0; i < Names.Length; i++)
        {
            index.Add(Names[i].Name, i);
        }

        return index;
    }

    // Which names the enclosing namespaces (innermost first, the global one last) already answer: Home when the first
    // namespace declaring the name is the name's own, Other when it is another.
    private static Scope ScopeOf(INamespaceSymbol ns) => Scopes.GetValue(ns, static n =>
    {
        var outer = n.IsGlobalNamespace || n.ContainingNamespace is null ? new Scope(0, 0) : ScopeOf(n.ContainingNamespace);
        var home = 0;
        var other = 0;
        string? fullName = null;
        foreach (var type in n.GetTypeMembers())
        {
            if (Index.TryGetValue(type.Name, out var i))
            {
                fullName ??= DisplayNames.Namespace(n);
                if (Names[i].Home.Length > 0 && Names[i].Home == fullName)
                {
                    home |= 1 << i;
                }
                else
                {
                    other |= 1 << i;
                }
            }
        }

        // "System" as the first part of a qualified name: any namespace of that name but the global one's is another.
        if (!n.IsGlobalNamespace && n.GetNamespaceMembers() is var children)
        {
            foreach (var child in children)
            {
                if (child.Name == "System")
                {
                    other |= NameBit("System");
                }
            }
        }

        // An inner answer hides an outer one.
        var answered = home | other;
        return new Scope(home | (outer.Home & ~answered), other | (outer.Other & ~answered));
    });

    private sealed class Scope(int home, int other)
    {
        public int Home { get; } = home;

        public int Other { get; } = other;
    }

    // The global using directives of every file: the namespaces they import and whether any is an alias or static.
    private sealed class GlobalUsings(int homes, bool hasAliasOrStatic)
    {
        public int Homes { get; } = homes;

        public bool HasAliasOrStatic { get; } = hasAliasOrStatic;

        public static GlobalUsings Of(Compilation compilation)
        {
            var homes = 0;
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (tree.GetRoot() is not CompilationUnitSyntax unit)
                {
                    continue;
                }

                foreach (var directive in unit.Usings)
                {
                    if (directive.GlobalKeyword == default)
                    {
                        // Global usings come first in a file.
                        break;
                    }

                    if (directive.Alias is not null || directive.StaticKeyword != default || directive.Name is null)
                    {
                        return new GlobalUsings(0, hasAliasOrStatic: true);
                    }

                    homes |= HomeBit(WithoutGlobal(directive.Name.ToString()));
                }
            }

            return new GlobalUsings(homes, hasAliasOrStatic: false);
        }
    }
}

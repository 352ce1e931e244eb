using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Providers.Generators.Parsing;

/// <summary>Structural facts about a provider class shared by the parser and the analyzers. Works on symbols; returns no models.</summary>
internal static class ProviderShape
{
    /// <summary>Whether <paramref name="type"/> derives from <c>ProviderOptions</c>.</summary>
    public static bool IsOptionsType(ITypeSymbol type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (SymbolNames.Is(t, KnownNames.ProviderOptions))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Public constructors whose only parameter is an options type.</summary>
    public static IReadOnlyList<IMethodSymbol> OptionsConstructors(INamedTypeSymbol type) =>
        type.InstanceConstructors
            .Where(c => c.DeclaredAccessibility == Accessibility.Public && c.Parameters.Length == 1 && IsOptionsType(c.Parameters[0].Type))
            .ToList();

    /// <summary>The single usable constructor's options type, or <see langword="null"/> when there is not exactly one.</summary>
    public static INamedTypeSymbol? OptionsTypeOf(INamedTypeSymbol type)
    {
        var constructors = OptionsConstructors(type);
        return constructors.Count == 1 ? constructors[0].Parameters[0].Type as INamedTypeSymbol : null;
    }

    /// <summary>Whether an options type can be created by generated code; <see cref="OptionsCreationProblems"/> says why not.</summary>
    public static bool IsConstructible(INamedTypeSymbol optionsType) => OptionsProblemsOf(optionsType) == Problem.None;

    /// <summary>
    /// Why generated code cannot write <c>new TOptions()</c>, in words (empty when it can): abstract, no public
    /// parameterless constructor, required members, or not accessible from the assembly.
    /// </summary>
    public static IReadOnlyList<string> OptionsCreationProblems(INamedTypeSymbol optionsType)
    {
        var problems = OptionsProblemsOf(optionsType);
        var reasons = new List<string>();
        if ((problems & Problem.Abstract) != 0)
        {
            reasons.Add("it is abstract");
        }

        if ((problems & Problem.NoParameterlessConstructor) != 0)
        {
            reasons.Add("it has no public parameterless constructor");
        }

        if ((problems & Problem.RequiredMembers) != 0)
        {
            reasons.Add("it has required members (" + string.Join(", ", RequiredMembers(optionsType).Select(m => m.Name)) + ")");
        }

        if ((problems & Problem.Inaccessible) != 0)
        {
            reasons.Add("it is private or protected, or nested in such a type");
        }

        return reasons;
    }

    /// <summary>Whether generated code can instantiate a provider class; <see cref="ProviderClassProblems"/> says why not.</summary>
    public static bool IsInstantiable(INamedTypeSymbol type) => ClassProblemsOf(type) == Problem.None;

    /// <summary>
    /// Why generated code cannot instantiate a provider class, in words (empty when it can): static or abstract,
    /// generic, or not accessible from the assembly.
    /// </summary>
    public static IReadOnlyList<string> ProviderClassProblems(INamedTypeSymbol type)
    {
        var problems = ClassProblemsOf(type);
        var words = new List<string>();
        if ((problems & Problem.Static) != 0)
        {
            words.Add("static");
        }
        else if ((problems & Problem.Abstract) != 0)
        {
            words.Add("abstract");
        }

        if ((problems & Problem.Generic) != 0)
        {
            words.Add("generic");
        }

        if ((problems & Problem.Inaccessible) != 0)
        {
            words.Add("private or protected, or nested in such a type");
        }

        return words;
    }

    // The rules as flags, so the parser's yes/no allocates nothing and the analyzer's words follow the same checks.
    private static Problem OptionsProblemsOf(INamedTypeSymbol optionsType)
    {
        var problems = Problem.None;
        if (optionsType.IsAbstract)
        {
            problems |= Problem.Abstract;
        }
        else if (!optionsType.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public))
        {
            problems |= Problem.NoParameterlessConstructor;
        }

        if (RequiredMembers(optionsType).Any())
        {
            problems |= Problem.RequiredMembers;
        }

        return IsAccessibleFromAssembly(optionsType) ? problems : problems | Problem.Inaccessible;
    }

    private static Problem ClassProblemsOf(INamedTypeSymbol type)
    {
        var problems = type.IsStatic ? Problem.Static : type.IsAbstract ? Problem.Abstract : Problem.None;
        if (type.IsGenericType)
        {
            problems |= Problem.Generic;
        }

        return IsAccessibleFromAssembly(type) ? problems : problems | Problem.Inaccessible;
    }

    private static IEnumerable<ISymbol> RequiredMembers(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true })
                {
                    yield return member;
                }
            }
        }
    }

    [System.Flags]
    private enum Problem
    {
        None = 0,
        Abstract = 1,
        NoParameterlessConstructor = 2,
        RequiredMembers = 4,
        Inaccessible = 8,
        Static = 16,
        Generic = 32,
    }

    public static bool ImplementsApiHandler(INamedTypeSymbol type) =>
        type.AllInterfaces.Any(i => SymbolNames.Is(i, KnownNames.ApiHandler));

    /// <summary>Whether code outside the type's assembly-level scope can name it: not private or protected at any level.</summary>
    public static bool IsAccessibleFromAssembly(INamedTypeSymbol type)
    {
        for (ISymbol? s = type; s is INamedTypeSymbol t; s = t.ContainingType)
        {
            if (t.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the type and the types it is nested in can be named from other assemblies.</summary>
    public static bool IsPublicFromOutside(INamedTypeSymbol type)
    {
        for (ISymbol? s = type; s is INamedTypeSymbol t; s = t.ContainingType)
        {
            if (t.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The expression a retry wrapper uses to reach the handler's options: for an instance method an instance field or
    /// property of an options type, else a primary-constructor parameter of one, else a static field or property; for a
    /// static method only a static one. <see langword="null"/> when there is none.
    /// </summary>
    public static string? OptionsExpression(INamedTypeSymbol type, bool isStatic)
    {
        if (!isStatic)
        {
            if (OptionsMember(type, isStatic: false) is { } instance)
            {
                return "this." + instance.Name;
            }

            if (OptionsConstructorParameter(type) is { } parameter)
            {
                return parameter.Name;
            }
        }

        // A static member is reached through its type: "this" does not exist in a static method.
        return OptionsMember(type, isStatic: true) is { } shared ? TypeReference(type) + "." + shared.Name : null;
    }

    /// <summary>
    /// The name of the instance options member (or primary-constructor parameter) a static <c>[WithRetry]</c> method
    /// cannot reach, when the type has no static one it could use instead; otherwise <see langword="null"/>.
    /// </summary>
    public static string? UnreachableOptionsFromStatic(INamedTypeSymbol type) =>
        OptionsMember(type, isStatic: true) is not null
            ? null
            : OptionsMember(type, isStatic: false)?.Name ?? OptionsConstructorParameter(type)?.Name;

    private static ISymbol? OptionsMember(INamedTypeSymbol type, bool isStatic)
    {
        foreach (var member in type.GetMembers())
        {
            if (member.IsStatic != isStatic || member.IsImplicitlyDeclared)
            {
                continue;
            }

            var memberType = member switch
            {
                IFieldSymbol f when !f.Name.StartsWith("<", System.StringComparison.Ordinal) => f.Type,
                IPropertySymbol p when !p.IsIndexer => p.Type,
                _ => null,
            };

            if (memberType is not null && IsOptionsType(memberType))
            {
                return member;
            }
        }

        return null;
    }

    private static IParameterSymbol? OptionsConstructorParameter(INamedTypeSymbol type)
    {
        foreach (var constructor in type.InstanceConstructors)
        {
            var isPrimary = constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax);
            if (isPrimary && constructor.Parameters.FirstOrDefault(p => IsOptionsType(p.Type)) is { } parameter)
            {
                return parameter;
            }
        }

        return null;
    }

    // The type as code inside it names it: Lookup, or Cache<T> for a generic one.
    private static string TypeReference(INamedTypeSymbol type) =>
        type.TypeParameters.Length == 0 ? type.Name : type.Name + "<" + string.Join(", ", type.TypeParameters.Select(p => p.Name)) + ">";
}

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
    public static bool IsConstructible(INamedTypeSymbol optionsType) => OptionsCreationProblems(optionsType).Count == 0;

    /// <summary>
    /// Why generated code cannot write <c>new TOptions()</c>, in words (empty when it can): abstract, no public
    /// parameterless constructor, required members, or not accessible from the assembly.
    /// </summary>
    public static IReadOnlyList<string> OptionsCreationProblems(INamedTypeSymbol optionsType)
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

        if (!IsAccessibleFromAssembly(optionsType))
        {
            reasons.Add("it is private or protected, or nested in such a type");
        }

        return reasons;
    }

    /// <summary>
    /// Why generated code cannot instantiate a provider class, in words (empty when it can): static or abstract,
    /// generic, or not accessible from the assembly.
    /// </summary>
    public static IReadOnlyList<string> ProviderClassProblems(INamedTypeSymbol type)
    {
        var problems = new List<string>();
        if (type.IsStatic)
        {
            problems.Add("static");
        }
        else if (type.IsAbstract)
        {
            problems.Add("abstract");
        }

        if (type.IsGenericType)
        {
            problems.Add("generic");
        }

        if (!IsAccessibleFromAssembly(type))
        {
            problems.Add("private or protected, or nested in such a type");
        }

        return problems;
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

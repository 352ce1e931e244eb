using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Providers.Generators.Parsing;

/// <summary>
/// The few facts the parsers need of a provider or retry class, found from its declaration with only the types they
/// name bound, so the class's members are never built. Building them (every method, its parameters and attributes)
/// was the largest cost of a transform after the attributes themselves. Works only where a type named inside the class
/// means what it means at the <c>class</c> keyword: one declaration, not nested, not generic, no nested types, and a
/// base class without nested types; the callers use the symbols otherwise.
/// </summary>
internal sealed class HandlerSyntax
{
    private readonly SemanticModel _model;
    private readonly int _position;
    private readonly INamedTypeSymbol _type;
    private INamespaceSymbol? _namespace;

    private HandlerSyntax(INamedTypeSymbol type, ClassDeclarationSyntax declaration, SemanticModel model)
    {
        _type = type;
        Declaration = declaration;
        _model = model;
        _position = declaration.Keyword.SpanStart;
    }

    public ClassDeclarationSyntax Declaration { get; }

    // Per type symbol, so per compilation: a [Provider] class with a class-level [WithRetry] is read by both transforms,
    // and the second finds the first's answer and bound types. Nothing here outlives the compilation it was read from.
    private static readonly ConditionalWeakTable<INamedTypeSymbol, Box> ByType = new();

    private sealed class Box(HandlerSyntax? value)
    {
        public HandlerSyntax? Value { get; } = value;
    }

    /// <summary>The class's declaration when the rules above hold and it is in <paramref name="model"/>'s tree; otherwise <see langword="null"/>.</summary>
    public static HandlerSyntax? For(INamedTypeSymbol type, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!ByType.TryGetValue(type, out var box))
        {
            box = Add(type, Read(type, model, cancellationToken));
        }

        return box.Value is { } found && found.Declaration.SyntaxTree == model.SyntaxTree ? found : null;
    }

    // Out of line: a lambda capturing a local makes its closure on every call of the method declaring the local.
    private static Box Add(INamedTypeSymbol type, HandlerSyntax? read)
    {
        var box = new Box(read);
        return ByType.GetValue(type, _ => box);
    }

    private static HandlerSyntax? Read(INamedTypeSymbol type, SemanticModel model, CancellationToken cancellationToken)
    {
        if (type.DeclaringSyntaxReferences.Length != 1 || type.ContainingType is not null || type.IsGenericType
            || type.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not ClassDeclarationSyntax declaration)
        {
            return null;
        }

        foreach (var member in declaration.Members)
        {
            if (member is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax or IncompleteMemberSyntax)
            {
                return null;
            }
        }

        for (var b = type.BaseType; b is not null && b.SpecialType != SpecialType.System_Object; b = b.BaseType)
        {
            if (b.DeclaringSyntaxReferences.Length > 0 || b.GetTypeMembers().Length > 0)
            {
                return null;
            }
        }

        // Kept for every caller of this compilation, so its model must be of the declaration's tree.
        return new HandlerSyntax(type, declaration, model.SyntaxTree == declaration.SyntaxTree ? model : model.Compilation.GetSemanticModel(declaration.SyntaxTree));
    }

    /// <summary>
    /// A type written in the class: a simple name of a type in the class's own namespace is that type (nothing inside
    /// the class can hide it, by the rules above); anything else is bound where the class keyword is.
    /// </summary>
    public ITypeSymbol? Bind(TypeSyntax type)
    {
        // Both transforms bind the options parameter's type: the last answer is kept (the node and this compilation's symbols).
        if (_lastBound is { } last && last.Syntax == type)
        {
            return last.Type;
        }

        var bound = BindUncached(type);
        _lastBound = new BoundType(type, bound);
        return bound;
    }

    private volatile BoundType? _lastBound;

    private sealed class BoundType(TypeSyntax syntax, ITypeSymbol? type)
    {
        public TypeSyntax Syntax { get; } = syntax;

        public ITypeSymbol? Type { get; } = type;
    }

    private ITypeSymbol? BindUncached(TypeSyntax type)
    {
        if (type is IdentifierNameSyntax identifier)
        {
            _namespace ??= OptionsNames.MergedOf(_type.ContainingNamespace, _model.Compilation);
            if (_namespace?.GetTypeMembers(identifier.Identifier.ValueText, 0) is { Length: 1 } found)
            {
                return found[0];
            }
        }

        return _model.GetSpeculativeTypeInfo(_position, type, SpeculativeBindingOption.BindAsTypeOrNamespace).Type is { TypeKind: not TypeKind.Error } bound ? bound : null;
    }

    /// <summary>What <see cref="ProviderShape.OptionsTypeOf"/> gives: the options type of the single public constructor that takes only one.</summary>
    public INamedTypeSymbol? OptionsType()
    {
        INamedTypeSymbol? found = null;
        var count = 0;
        foreach (var parameters in PublicConstructors())
        {
            if (parameters.Parameters.Count == 1 && parameters.Parameters[0].Type is { } syntax && Bind(syntax) is { } bound && ProviderShape.IsOptionsType(bound))
            {
                found = bound as INamedTypeSymbol;
                count++;
            }
        }

        return count == 1 ? found : null;
    }

    /// <summary>The parameter lists of the public instance constructors, the primary one included.</summary>
    public IEnumerable<ParameterListSyntax> PublicConstructors()
    {
        if (Declaration.ParameterList is { } primary && !Declaration.Modifiers.Any(SyntaxKind.AbstractKeyword))
        {
            yield return primary;
        }

        foreach (var member in Declaration.Members)
        {
            if (member is ConstructorDeclarationSyntax constructor && constructor.Modifiers.Any(SyntaxKind.PublicKeyword) && !constructor.Modifiers.Any(SyntaxKind.StaticKeyword))
            {
                yield return constructor.ParameterList;
            }
        }
    }

    /// <summary>Whether the class declares an ordinary method of this name (not an explicit interface implementation).</summary>
    public bool DeclaresMethod(string name) => DeclaresMethod(Declaration, name);

    /// <inheritdoc cref="DeclaresMethod(string)"/>
    public static bool DeclaresMethod(ClassDeclarationSyntax declaration, string name)
    {
        foreach (var member in declaration.Members)
        {
            if (member is MethodDeclarationSyntax { ExplicitInterfaceSpecifier: null } method && method.Identifier.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The parameter counts of the <c>CreateMessageCoreAsync</c> methods with the shape of
    /// <see cref="RetryRules.IsCreateMessageShape(IMethodSymbol)"/>, read from their syntax (a type's simple name is its
    /// identity once aliases are ruled out; <see cref="OptionsNames"/> checks the names mean the framework's types), or
    /// <see langword="null"/> when the syntax cannot say.
    /// </summary>
    public List<int>? CreateMessageCoreShapes() =>
        CoreShapesOf(Declaration, out var used) is { } shapes
        && OptionsNames.ImportsOf(Declaration) is { } imports && OptionsNames.Hold(used, imports, _type.ContainingNamespace, _model.Compilation)
            ? shapes
            : null;

    /// <summary>
    /// The syntax half of <see cref="CreateMessageCoreShapes"/>: the shapes as the names read, and the names it relied
    /// on (<paramref name="usedNames"/>), which <see cref="OptionsNames.Hold(int, int, INamespaceSymbol, Compilation)"/> must confirm.
    /// </summary>
    public static List<int>? CoreShapesOf(ClassDeclarationSyntax declaration, out int usedNames)
    {
        var shapes = new List<int>();
        var used = 0;
        usedNames = 0;
        foreach (var member in declaration.Members)
        {
            if (member is not MethodDeclarationSyntax { ExplicitInterfaceSpecifier: null } method || method.Identifier.ValueText != KnownNames.CreateMessageCoreMethod)
            {
                continue;
            }

            if (method.TypeParameterList is not null)
            {
                return null;
            }

            var parameters = method.ParameterList.Parameters;
            if (parameters.Count is not (4 or 5))
            {
                continue;
            }

            var last = parameters.Count - 1;
            var matches = All(
                () => Is(parameters[0].Type, "string", null, ref used),
                () => Is(parameters[1].Type, "IReadOnlyList", "ChatMessage", ref used),
                () => Is(parameters[2].Type, "IReadOnlyList", "ToolDefinition", ref used),
                () => parameters.Count == 4 ? true : Is(parameters[3].Type, "RequestOverrides", null, ref used),
                () => Is(parameters[last].Type, "CancellationToken", null, ref used, valueType: true),
                () => Is(method.ReturnType, "IAsyncEnumerable", "ApiStreamChunk", ref used));
            if (matches is null)
            {
                return null;
            }

            if (matches == true)
            {
                shapes.Add(parameters.Count);
            }
        }

        // Even a name that differs means something else only without aliases, so the file's usings are checked always.
        usedNames = used;
        return shapes;
    }

    // Three-valued "and" that stops at the first definite no.
    private delegate bool? Check();

    private static bool? All(params Check[] checks)
    {
        bool? result = true;
        foreach (var check in checks)
        {
            var value = check();
            if (value == false)
            {
                return false;
            }

            if (value is null)
            {
                result = null;
            }
        }

        return result;
    }

    // Whether a type written in syntax is Name or Name<Argument> (string: the keyword): true, false, or null when only
    // binding can tell. Reference types may carry '?' (an annotation); a value type with '?' is Nullable<T>, another type.
    private static bool? Is(TypeSyntax? type, string name, string? argument, ref int used, bool valueType = false)
    {
        if (type is NullableTypeSyntax nullable)
        {
            if (valueType)
            {
                return nullable.ElementType is IdentifierNameSyntax or QualifiedNameSyntax or AliasQualifiedNameSyntax ? false : null;
            }

            type = nullable.ElementType;
        }

        if (name == "string")
        {
            // String or System.String would be string too: only binding can tell those.
            return type switch
            {
                PredefinedTypeSyntax predefined => predefined.Keyword.IsKind(SyntaxKind.StringKeyword),
                IdentifierNameSyntax or QualifiedNameSyntax or AliasQualifiedNameSyntax => null,
                _ => false,
            };
        }

        switch (type)
        {
            case PredefinedTypeSyntax:
                return false;
            case IdentifierNameSyntax identifier when argument is null:
                if (identifier.Identifier.ValueText != name)
                {
                    return false;
                }

                used |= OptionsNames.NameBit(name);
                return true;
            case GenericNameSyntax generic when argument is not null:
                if (generic.Identifier.ValueText != name || generic.TypeArgumentList.Arguments.Count != 1)
                {
                    return false;
                }

                var inner = generic.TypeArgumentList.Arguments[0];
                if (inner is NullableTypeSyntax n)
                {
                    inner = n.ElementType;
                }

                if (inner is not IdentifierNameSyntax element)
                {
                    return inner is PredefinedTypeSyntax ? false : null;
                }

                if (element.Identifier.ValueText != argument)
                {
                    return false;
                }

                used |= OptionsNames.NameBit(name) | OptionsNames.NameBit(argument);
                return true;
            case IdentifierNameSyntax or GenericNameSyntax or PredefinedTypeSyntax or ArrayTypeSyntax or TupleTypeSyntax or PointerTypeSyntax:
                // Another simple name or shape: without aliases it cannot be the type wanted.
                return false;
            default:
                return null;
        }
    }

    /// <summary>
    /// What <see cref="ProviderShape.OptionsExpression"/> gives for an instance method, from the declaration: an instance
    /// field or property of an options type, else a primary-constructor parameter of one. When there is neither (a
    /// static member may still serve) <paramref name="decided"/> is false and the caller asks the symbols.
    /// </summary>
    public string? InstanceOptionsExpression(out bool decided)
    {
        decided = true;
        foreach (var member in Declaration.Members)
        {
            switch (member)
            {
                case FieldDeclarationSyntax field when !IsStatic(field.Modifiers):
                    if (IsOptions(field.Declaration.Type))
                    {
                        return "this." + field.Declaration.Variables[0].Identifier.ValueText;
                    }

                    break;
                case PropertyDeclarationSyntax { ExplicitInterfaceSpecifier: null } property when !property.Modifiers.Any(SyntaxKind.StaticKeyword):
                    if (IsOptions(property.Type))
                    {
                        return "this." + property.Identifier.ValueText;
                    }

                    break;
                case PropertyDeclarationSyntax { ExplicitInterfaceSpecifier: not null }:
                    // The symbols name such a property after its interface; leave the whole answer to them.
                    decided = false;
                    return null;
            }
        }

        if (Declaration.ParameterList is { } primary)
        {
            foreach (var parameter in primary.Parameters)
            {
                if (parameter.Type is not null && IsOptions(parameter.Type))
                {
                    return parameter.Identifier.ValueText;
                }
            }
        }

        decided = false;
        return null;
    }

    private bool IsOptions(TypeSyntax type) => Bind(type) is { } bound && ProviderShape.IsOptionsType(bound);

    // A const field is static too.
    private static bool IsStatic(SyntaxTokenList modifiers) => modifiers.Any(SyntaxKind.StaticKeyword) || modifiers.Any(SyntaxKind.ConstKeyword);
}

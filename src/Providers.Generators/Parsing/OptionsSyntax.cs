using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Providers.Generators.Models;

namespace Providers.Generators.Parsing;

/// <summary>
/// Reads an options class's settings from its syntax alone, so the generator need not bind the class's members, their
/// types and their attributes. It reads only what it can read exactly: one declaration, predefined types and a few
/// well-known type names, the framework's attributes written by their simple names with literal arguments, and usings
/// without aliases. Anything else makes it give up (<see langword="null"/>) and the caller binds symbols as before.
/// Which type a simple name means depends on the rest of the compilation too: <see cref="OptionsNames"/> checks that.
/// A syntax node outlives the compilations that share its tree, so what is read is kept per node: an edit elsewhere
/// reads nothing again.
/// </summary>
internal static class OptionsSyntax
{
    private static readonly ConditionalWeakTable<ClassDeclarationSyntax, Box> Cache = new();

    /// <summary>The class as read from syntax, or <see langword="null"/> when syntax alone cannot say exactly.</summary>
    public static OptionsSyntaxModel? Read(ClassDeclarationSyntax declaration) =>
        Cache.GetValue(declaration, static d => new Box(ReadUncached(d))).Model;

    private sealed class Box(OptionsSyntaxModel? model)
    {
        public OptionsSyntaxModel? Model { get; } = model;
    }

    private static OptionsSyntaxModel? ReadUncached(ClassDeclarationSyntax declaration)
    {
        if (declaration.TypeParameterList is not null || declaration.ParameterList is not null || declaration.Parent is TypeDeclarationSyntax
            || declaration.Modifiers.Any(SyntaxKind.StaticKeyword) || declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return null;
        }

        if (OptionsNames.ImportsOf(declaration) is not { } homes)
        {
            return null;
        }

        var reader = new Reader();
        var classVariables = new List<VariableFacts>();
        if (!reader.ReadAttributes(declaration.AttributeLists, onClass: true, out _, classVariables))
        {
            return null;
        }

        var properties = new List<OptionFacts>();
        var hasConstructor = false;
        var hasPublicParameterless = false;
        var hasRequired = false;
        foreach (var member in declaration.Members)
        {
            switch (member)
            {
                case PropertyDeclarationSyntax property:
                    if (property.Modifiers.Any(SyntaxKind.RequiredKeyword))
                    {
                        hasRequired = true;
                    }

                    if (!reader.ReadProperty(property, properties))
                    {
                        return null;
                    }

                    break;
                case FieldDeclarationSyntax field:
                    hasRequired |= field.Modifiers.Any(SyntaxKind.RequiredKeyword);
                    break;
                case ConstructorDeclarationSyntax constructor when !constructor.Modifiers.Any(SyntaxKind.StaticKeyword):
                    hasConstructor = true;
                    hasPublicParameterless |= constructor.ParameterList.Parameters.Count == 0 && constructor.Modifiers.Any(SyntaxKind.PublicKeyword);
                    break;
                case MethodDeclarationSyntax or IndexerDeclarationSyntax or EventDeclarationSyntax or EventFieldDeclarationSyntax
                    or OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax or DestructorDeclarationSyntax or ConstructorDeclarationSyntax:
                    break;
                default:
                    // Nested types could hide the names read here; incomplete members are not worth guessing.
                    return null;
            }
        }

        return new OptionsSyntaxModel(
            declaration.Modifiers.Any(SyntaxKind.AbstractKeyword),
            !hasConstructor || hasPublicParameterless,
            hasRequired,
            reader.UsedNames,
            homes,
            classVariables.ToEquatableArray(),
            properties.ToEquatableArray());
    }

    private sealed class Reader
    {
        public int UsedNames { get; private set; }

        public bool ReadProperty(PropertyDeclarationSyntax property, List<OptionFacts> properties)
        {
            if (property.ExplicitInterfaceSpecifier is not null)
            {
                return true;
            }

            var modifiers = property.Modifiers;
            if (modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return false;
            }

            if (!modifiers.Any(SyntaxKind.PublicKeyword) || modifiers.Any(SyntaxKind.StaticKeyword) || modifiers.Any(SyntaxKind.OverrideKeyword))
            {
                return true;
            }

            var own = new List<VariableFacts>();
            if (!ReadAttributes(property.AttributeLists, onClass: false, out var found, own))
            {
                return false;
            }

            bool hasSetter;
            if (property.AccessorList is null)
            {
                hasSetter = false;
            }
            else
            {
                hasSetter = false;
                foreach (var accessor in property.AccessorList.Accessors)
                {
                    if (accessor.Kind() is not (SyntaxKind.SetAccessorDeclaration or SyntaxKind.InitAccessorDeclaration))
                    {
                        continue;
                    }

                    foreach (var modifier in accessor.Modifiers)
                    {
                        if (!modifier.IsKind(SyntaxKind.PrivateKeyword) && !modifier.IsKind(SyntaxKind.ProtectedKeyword) && !modifier.IsKind(SyntaxKind.InternalKeyword))
                        {
                            return false;
                        }
                    }

                    hasSetter = accessor.Modifiers.Count == 0;
                }
            }

            SettingKind? kind = null;
            var annotated = found.ExplicitKey is not null || found.PerMode || found.Required;
            if (!found.Ignored && (hasSetter || annotated) && !Classify(property.Type, out kind))
            {
                return false;
            }

            properties.Add(new OptionFacts(
                property.Identifier.ValueText,
                found.Ignored,
                kind,
                hasSetter,
                found.PerMode,
                found.Required,
                found.Secret || OptionsInspector.LooksSecret(property.Identifier.ValueText),
                found.ExplicitKey,
                kind is { } k ? OptionsInspector.TypeDisplay(k, null) : "",
                own.ToEquatableArray()));
            return true;
        }

        public bool ReadAttributes(SyntaxList<AttributeListSyntax> lists, bool onClass, out FoundAttributes found, List<VariableFacts> variables)
        {
            found = default;
            foreach (var list in lists)
            {
                if (list.Target is not null)
                {
                    return false;
                }

                foreach (var attribute in list.Attributes)
                {
                    if (!ReadAttribute(attribute, onClass, ref found, variables))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private bool ReadAttribute(AttributeSyntax attribute, bool onClass, ref FoundAttributes found, List<VariableFacts> variables)
        {
            string name;
            switch (attribute.Name)
            {
                case IdentifierNameSyntax identifier:
                    name = identifier.Identifier.ValueText;
                    break;
                case QualifiedNameSyntax or AliasQualifiedNameSyntax:
                    // Can only be one of ours when its last part has one of our names; then leave it to symbols.
                    var last = attribute.Name is QualifiedNameSyntax q ? q.Right : ((AliasQualifiedNameSyntax)attribute.Name).Name;
                    return OptionsNames.AttributeOf(last.Identifier.ValueText) is null;
                default:
                    return true;
            }

            if (OptionsNames.AttributeOf(name) is not { } which)
            {
                return true;
            }

            // [PerMode] looks for PerMode and PerModeAttribute; [PerModeAttribute] for that name alone.
            UsedNames |= OptionsNames.NameBit(name);
            if (!name.EndsWith("Attribute", System.StringComparison.Ordinal))
            {
                UsedNames |= OptionsNames.NameBit(name + "Attribute");
            }

            var arguments = attribute.ArgumentList?.Arguments ?? default;
            switch (which)
            {
                case KnownNames.PerModeAttribute or KnownNames.SettingIgnoreAttribute or KnownNames.SecretAttribute:
                    if (arguments.Count > 0)
                    {
                        return false;
                    }

                    found.PerMode |= which == KnownNames.PerModeAttribute;
                    found.Ignored |= which == KnownNames.SettingIgnoreAttribute;
                    found.Secret |= which == KnownNames.SecretAttribute;
                    return true;
                case KnownNames.RequiredAttribute:
                    foreach (var argument in arguments)
                    {
                        if (argument.NameEquals is null)
                        {
                            return false;
                        }
                    }

                    found.Required = true;
                    return true;
                case KnownNames.SettingKeyAttribute:
                    if (arguments.Count != 1 || arguments[0].NameEquals is not null || arguments[0].NameColon is not null || Text(arguments[0].Expression, allowNameof: false) is not { } key)
                    {
                        return false;
                    }

                    // The first [SettingKey] wins, as FirstOrDefault over the bound attributes does.
                    found.ExplicitKey ??= key;
                    return true;
                default:
                    return ReadVariable(arguments, onClass, variables);
            }
        }

        private static bool ReadVariable(SeparatedSyntaxList<AttributeArgumentSyntax> arguments, bool onClass, List<VariableFacts> variables)
        {
            if (arguments.Count == 0 || arguments[0].NameEquals is not null || arguments[0].NameColon is not null || Text(arguments[0].Expression, allowNameof: false) is not { } variable)
            {
                return false;
            }

            string? option = null;
            string? whenSet = null;
            for (var i = 1; i < arguments.Count; i++)
            {
                var argument = arguments[i];
                if (argument.NameEquals is null || Text(argument.Expression, allowNameof: true) is not { } value)
                {
                    return false;
                }

                switch (argument.NameEquals.Name.Identifier.ValueText)
                {
                    case "Option":
                        option = value;
                        break;
                    case "WhenSet":
                        whenSet = value;
                        break;
                    default:
                        return false;
                }
            }

            if (variable.Length > 0 && (!onClass || option is not null))
            {
                variables.Add(new VariableFacts(variable, option, whenSet));
            }

            return true;
        }

        // A string literal, or nameof(Name): the constants this reader can be sure of without binding.
        private static string? Text(ExpressionSyntax expression, bool allowNameof) => expression switch
        {
            LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal.Token.ValueText,
            InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" }, ArgumentList.Arguments: { Count: 1 } arguments }
                when allowNameof && arguments[0] is { NameColon: null, RefKindKeyword.RawKind: 0, Expression: IdentifierNameSyntax named } => named.Identifier.ValueText,
            _ => null,
        };

        // The setting kind of a property type written in syntax; false when only binding can tell.
        private bool Classify(TypeSyntax type, out SettingKind? kind)
        {
            kind = null;
            if (type is NullableTypeSyntax nullable)
            {
                type = nullable.ElementType;
            }

            switch (type)
            {
                case PredefinedTypeSyntax predefined:
                    kind = predefined.Keyword.Kind() switch
                    {
                        SyntaxKind.StringKeyword => SettingKind.String,
                        SyntaxKind.BoolKeyword => SettingKind.Boolean,
                        SyntaxKind.IntKeyword => SettingKind.Int32,
                        SyntaxKind.LongKeyword => SettingKind.Int64,
                        SyntaxKind.DoubleKeyword => SettingKind.Double,
                        SyntaxKind.DecimalKeyword => SettingKind.Decimal,
                        _ => null,
                    };
                    return true;
                case ArrayTypeSyntax or TupleTypeSyntax:
                    return true;
                case IdentifierNameSyntax identifier:
                    return Named(identifier.Identifier.ValueText, out kind);
                case GenericNameSyntax generic:
                    return Generic(generic, out kind);
                case QualifiedNameSyntax qualified:
                    // System.Uri, System.Collections.Generic.Dictionary<string, string>: the first part must be the System namespace.
                    var path = qualified.ToString();
                    if (!path.StartsWith("System.", System.StringComparison.Ordinal) || !Qualified(path, qualified.Right, out kind))
                    {
                        return false;
                    }

                    UsedNames |= OptionsNames.NameBit("System");
                    return true;
                case AliasQualifiedNameSyntax:
                    return false;
                default:
                    return false;
            }
        }

        private bool Named(string name, out SettingKind? kind)
        {
            kind = name switch
            {
                "Uri" => SettingKind.Url,
                "TimeSpan" => SettingKind.Milliseconds,
                "JsonElement" => SettingKind.Json,
                "ModelInfo" => SettingKind.ModelInfo,
                _ => null,
            };
            if (kind is null)
            {
                return false;
            }

            UsedNames |= OptionsNames.NameBit(name);
            return true;
        }

        private bool Generic(GenericNameSyntax generic, out SettingKind? kind)
        {
            kind = null;
            var name = generic.Identifier.ValueText;
            if (name == "Nullable")
            {
                return false;
            }

            if (name is not ("Dictionary" or "IDictionary" or "IReadOnlyDictionary"))
            {
                // Only these generic names can be a setting (an enum, a Uri or a TimeSpan is never generic).
                return true;
            }

            UsedNames |= OptionsNames.NameBit(name);
            kind = IsStringPair(generic.TypeArgumentList) ? SettingKind.StringMap : null;
            return true;
        }

        private static bool Qualified(string path, SimpleNameSyntax right, out SettingKind? kind)
        {
            kind = null;
            var prefix = path.Substring(0, path.Length - right.ToString().Length).TrimEnd('.').Replace(" ", "");
            var name = right.Identifier.ValueText;
            switch (right)
            {
                case IdentifierNameSyntax when prefix == "System" && name is "Uri" or "TimeSpan":
                    kind = name == "Uri" ? SettingKind.Url : SettingKind.Milliseconds;
                    return true;
                case IdentifierNameSyntax when prefix == "System.Text.Json" && name == "JsonElement":
                    kind = SettingKind.Json;
                    return true;
                case GenericNameSyntax generic when prefix == "System.Collections.Generic" && name is "Dictionary" or "IDictionary" or "IReadOnlyDictionary":
                    kind = IsStringPair(generic.TypeArgumentList) ? SettingKind.StringMap : null;
                    return true;
                default:
                    return false;
            }
        }

        private static bool IsStringPair(TypeArgumentListSyntax arguments) =>
            arguments.Arguments.Count == 2 && IsString(arguments.Arguments[0]) && IsString(arguments.Arguments[1]);

        private static bool IsString(TypeSyntax type) =>
            (type is NullableTypeSyntax n ? n.ElementType : type) is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.StringKeyword };
    }

    internal struct FoundAttributes
    {
        public bool PerMode;
        public bool Required;
        public bool Secret;
        public bool Ignored;
        public string? ExplicitKey;
    }
}

/// <summary>An options class as its syntax says: the facts <see cref="OptionsComposer"/> turns into settings.</summary>
internal sealed record OptionsSyntaxModel(
    bool IsAbstract,
    bool HasPublicParameterlessConstructor,
    bool HasRequiredMembers,
    int UsedNames,
    int ImportedHomes,
    EquatableArray<VariableFacts> ClassVariables,
    EquatableArray<OptionFacts> Properties);

/// <summary>One public instance property of an options class, before the class's chain is known.</summary>
internal sealed record OptionFacts(
    string Name,
    bool Ignored,
    SettingKind? Kind,
    bool HasSetter,
    bool PerMode,
    bool Required,
    bool IsSecret,
    string? ExplicitKey,
    string Description,
    EquatableArray<VariableFacts> Variables);

/// <summary>An <c>[EnvironmentVariable]</c>: on a property (<see cref="Option"/> unused) or on a class (for option <see cref="Option"/>).</summary>
internal sealed record VariableFacts(string Name, string? Option, string? WhenSet);

using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using Providers.Generators.Analyzers;

namespace Providers.Generators.CodeFixes;

/// <summary>PRV0012: marks an option property of an unsupported type <c>[SettingIgnore]</c>, to be set in code.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddSettingIgnoreCodeFix)), Shared]
public sealed class AddSettingIgnoreCodeFix : CodeFixProvider
{
    private const string Title = "Mark [SettingIgnore]";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Diagnostics.OptionUnsupportedTypeId);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);

        // The diagnostic sits on the provider attribute when the property is not in source; nothing to fix here then.
        if (root?.FindToken(context.Span.Start).Parent is not PropertyDeclarationSyntax property || property.Identifier.Span != context.Span)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(Title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(property, AddAttribute(property)))), equivalenceKey: Title),
            context.Diagnostics);
    }

    private static PropertyDeclarationSyntax AddAttribute(PropertyDeclarationSyntax property)
    {
        var name = SyntaxFactory.ParseName("global::Providers.SettingIgnore").WithAdditionalAnnotations(Simplifier.Annotation);
        var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(name)));

        // The new list takes over the property's leading trivia (indentation, comments); the property gets a fresh line.
        var leading = property.GetLeadingTrivia();
        var indentation = leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? leading[leading.Count - 1] : default;
        var newLine = property.GetFirstToken().GetPreviousToken().TrailingTrivia.LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (newLine == default)
        {
            newLine = SyntaxFactory.LineFeed;
        }

        list = list.WithLeadingTrivia(leading).WithTrailingTrivia(newLine);
        var stripped = property.WithLeadingTrivia(indentation == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation));
        return stripped.WithAttributeLists(stripped.AttributeLists.Insert(0, list));
    }
}

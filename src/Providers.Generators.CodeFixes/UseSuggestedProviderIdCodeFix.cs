using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Providers.Generators.Analyzers;

namespace Providers.Generators.CodeFixes;

/// <summary>PRV0002: replaces an invalid provider id with the lower kebab-case id the diagnostic suggests.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseSuggestedProviderIdCodeFix)), Shared]
public sealed class UseSuggestedProviderIdCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Diagnostics.InvalidProviderIdId);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            // Only a literal is rewritten: an id built from constants has to be changed where it is declared.
            if (!diagnostic.Properties.TryGetValue(Diagnostics.SuggestedIdProperty, out var suggestion) || suggestion is null
                || root?.FindNode(diagnostic.Location.SourceSpan) is not AttributeArgumentSyntax { Expression: LiteralExpressionSyntax literal })
            {
                continue;
            }

            var title = $"Use provider id '{suggestion}'";
            var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(suggestion)).WithTriviaFrom(literal);
            context.RegisterCodeFix(
                CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(literal, replacement))), equivalenceKey: nameof(UseSuggestedProviderIdCodeFix)),
                diagnostic);
        }
    }
}

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Providers.Generators.Analyzers;

namespace Providers.Generators.CodeFixes;

/// <summary>
/// PRV0007: adds <c>partial</c> to the <c>[WithRetry]</c> class or method and to every containing type declared in this
/// document. A method that has a body is left alone: making it partial would need a second declaration.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPartialCodeFix)), Shared]
public sealed class AddPartialCodeFix : CodeFixProvider
{
    private const string Title = "Add partial modifier";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Diagnostics.RetryNotPartialId);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var node = root?.FindToken(context.Span.Start).Parent;
        var target = (SyntaxNode?)node?.FirstAncestorOrSelf<MethodDeclarationSyntax>() ?? node?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        if (root is null || target is null || Targets(target).Count == 0)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(Title, ct => AddAsync(context.Document, root, target, ct), equivalenceKey: Title),
            context.Diagnostics);
    }

    /// <summary>The declarations to change: the method (when it has no body) or the type, then the types containing it.</summary>
    private static List<MemberDeclarationSyntax> Targets(SyntaxNode target)
    {
        var result = new List<MemberDeclarationSyntax>();
        if (target is MethodDeclarationSyntax method && method.Body is null && method.ExpressionBody is null && !IsPartial(method.Modifiers))
        {
            result.Add(method);
        }

        foreach (var type in target.AncestorsAndSelf().OfType<TypeDeclarationSyntax>())
        {
            if (!IsPartial(type.Modifiers))
            {
                result.Add(type);
            }
        }

        return result;
    }

    private static Task<Document> AddAsync(Document document, SyntaxNode root, SyntaxNode target, CancellationToken cancellationToken)
    {
        var updated = root.ReplaceNodes(Targets(target), static (original, rewritten) => rewritten switch
        {
            MethodDeclarationSyntax m when m.Modifiers.Count == 0 =>
                m.WithReturnType(m.ReturnType.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(Partial(m.ReturnType.GetLeadingTrivia()))),
            MethodDeclarationSyntax m => m.WithModifiers(m.Modifiers.Add(Partial(default))),
            TypeDeclarationSyntax t when t.Modifiers.Count == 0 =>
                t.WithKeyword(t.Keyword.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(Partial(t.Keyword.LeadingTrivia))),
            TypeDeclarationSyntax t => t.WithModifiers(t.Modifiers.Add(Partial(default))),
            _ => rewritten,
        });
        return Task.FromResult(document.WithSyntaxRoot(updated));
    }

    // 'partial' goes last among the modifiers, directly before 'class' or the return type; with no other modifier it
    // takes over the indentation of the token it now precedes.
    private static SyntaxToken Partial(SyntaxTriviaList leading) =>
        SyntaxFactory.Token(leading, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));

    private static bool IsPartial(SyntaxTokenList modifiers) => modifiers.Any(SyntaxKind.PartialKeyword);
}

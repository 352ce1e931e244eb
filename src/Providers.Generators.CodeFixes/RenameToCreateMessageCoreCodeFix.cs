using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Providers.Generators.Analyzers;
using Providers.Generators.Parsing;

namespace Providers.Generators.CodeFixes;

/// <summary>
/// PRV0010: renames a user-written <c>CreateMessageAsync</c> on a <c>[WithRetry]</c> class to <c>CreateMessageCoreAsync</c>.
/// Only the declaration is renamed: calls to <c>CreateMessageAsync</c> then reach the generated, retrying method. When a
/// base class has a Core of the same parameters, the renamed method hides it and is marked <see langword="new"/>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RenameToCreateMessageCoreCodeFix)), Shared]
public sealed class RenameToCreateMessageCoreCodeFix : CodeFixProvider
{
    private const string Title = "Rename to " + KnownNames.CreateMessageCoreMethod;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Diagnostics.RetryUserCreateMessageId);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindToken(context.Span.Start).Parent?.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method
            || method.Identifier.ValueText != KnownNames.CreateMessageMethod)
        {
            return;
        }

        // A Core method already there would clash with the renamed one; the user has to merge them by hand.
        var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        var symbol = semanticModel?.GetDeclaredSymbol(method, context.CancellationToken);
        if (symbol is null || symbol.ContainingType.GetMembers(KnownNames.CreateMessageCoreMethod).Length > 0)
        {
            return;
        }

        var hides = RetryRules.HidesInheritedCreateMessageCore(symbol, semanticModel!.Compilation);
        context.RegisterCodeFix(
            CodeAction.Create(Title, ct => RenameAsync(context.Document, root, method, hides, ct), equivalenceKey: Title),
            context.Diagnostics);
    }

    private static Task<Document> RenameAsync(Document document, SyntaxNode root, MethodDeclarationSyntax method, bool hides, CancellationToken cancellationToken)
    {
        var identifier = SyntaxFactory.Identifier(KnownNames.CreateMessageCoreMethod).WithTriviaFrom(method.Identifier);
        var renamed = method.WithIdentifier(identifier);
        if (hides && !renamed.Modifiers.Any(SyntaxKind.NewKeyword))
        {
            renamed = AddNew(renamed);
        }

        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(method, renamed)));
    }

    /// <summary>Inserts <c>new</c> after the accessibility modifiers (<c>public new async …</c>), keeping the declaration's trivia.</summary>
    private static MethodDeclarationSyntax AddNew(MethodDeclarationSyntax method)
    {
        var modifiers = method.Modifiers;
        var at = 0;
        while (at < modifiers.Count && modifiers[at].Kind() is SyntaxKind.PublicKeyword or SyntaxKind.ProtectedKeyword or SyntaxKind.InternalKeyword or SyntaxKind.PrivateKeyword)
        {
            at++;
        }

        var keyword = SyntaxFactory.Token(SyntaxKind.NewKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (modifiers.Count == 0)
        {
            // The declaration's leading trivia (indentation, comments, attributes' line breaks) sits on the return type.
            var first = method.ReturnType.GetLeadingTrivia();
            return method
                .WithReturnType(method.ReturnType.WithLeadingTrivia())
                .WithModifiers(SyntaxFactory.TokenList(keyword.WithLeadingTrivia(first)));
        }

        if (at == 0)
        {
            // No accessibility first: new goes first and takes over the first modifier's leading trivia.
            var lead = modifiers[0].LeadingTrivia;
            modifiers = modifiers.Replace(modifiers[0], modifiers[0].WithLeadingTrivia());
            return method.WithModifiers(modifiers.Insert(0, keyword.WithLeadingTrivia(lead)));
        }

        return method.WithModifiers(modifiers.Insert(at, keyword));
    }
}

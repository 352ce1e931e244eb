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
/// Only the declaration is renamed: calls to <c>CreateMessageAsync</c> then reach the generated, retrying method.
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
        if (semanticModel?.GetDeclaredSymbol(method, context.CancellationToken)?.ContainingType.GetMembers(KnownNames.CreateMessageCoreMethod).Length > 0)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(Title, ct => RenameAsync(context.Document, root, method, ct), equivalenceKey: Title),
            context.Diagnostics);
    }

    private static Task<Document> RenameAsync(Document document, SyntaxNode root, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        var identifier = SyntaxFactory.Identifier(KnownNames.CreateMessageCoreMethod).WithTriviaFrom(method.Identifier);
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(method, method.WithIdentifier(identifier))));
    }
}

using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using Providers.Generators.Analyzers;

namespace Providers.Generators.CodeFixes;

/// <summary>PRV0003: adds <c>Providers.IApiHandler</c> to the provider class's base list.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddApiHandlerCodeFix)), Shared]
public sealed class AddApiHandlerCodeFix : CodeFixProvider
{
    private const string Title = "Implement Providers.IApiHandler";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Diagnostics.MissingApiHandlerId);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindToken(context.Span.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(Title, ct => AddAsync(context.Document, root, declaration, ct), equivalenceKey: Title),
            context.Diagnostics);
    }

    private static Task<Document> AddAsync(Document document, SyntaxNode root, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var type = SyntaxFactory.SimpleBaseType(
            SyntaxFactory.ParseTypeName("global::Providers.IApiHandler").WithAdditionalAnnotations(Simplifier.Annotation));

        TypeDeclarationSyntax updated;
        if (declaration.BaseList is { } baseList)
        {
            updated = declaration.WithBaseList(baseList.AddTypes(type));
        }
        else
        {
            // Move the trivia that ended the header (usually the line break before '{') after the new base list.
            var lastToken = declaration.ParameterList?.GetLastToken() ?? declaration.TypeParameterList?.GetLastToken() ?? declaration.Identifier;
            var trailing = lastToken.TrailingTrivia;
            var stripped = declaration.ReplaceToken(lastToken, lastToken.WithTrailingTrivia(SyntaxFactory.Space));
            var newBaseList = SyntaxFactory.BaseList(SyntaxFactory.SingletonSeparatedList<BaseTypeSyntax>(type)).WithTrailingTrivia(trailing);
            updated = stripped.WithBaseList(newBaseList);
        }

        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(declaration, updated)));
    }
}

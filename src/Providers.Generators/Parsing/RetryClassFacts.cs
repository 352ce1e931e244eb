using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Providers.Generators.Models;

namespace Providers.Generators.Parsing;

/// <summary>
/// What a class-level <c>[WithRetry]</c> needs of its class's declaration, read once per syntax node (a node outlives
/// the compilations that share its tree, so an edit elsewhere reads nothing again), and the last model built for it,
/// handed out again while the per-compilation answers are the same: the driver then compares it by one reference check.
/// Only for a class <see cref="HandlerSyntax.For"/> accepts (one declaration, top-level, not generic), whose name,
/// namespace and partial modifier its declaration alone decides.
/// </summary>
internal sealed class RetryClassFacts
{
    private static readonly ConditionalWeakTable<ClassDeclarationSyntax, RetryClassFacts> Cache = new();

    private volatile RetryModel? _last;

    private RetryClassFacts(ClassDeclarationSyntax declaration, INamedTypeSymbol type)
    {
        IsPartial = declaration.Modifiers.Any(SyntaxKind.PartialKeyword);
        DeclaresCreateMessage = HandlerSyntax.DeclaresMethod(declaration, KnownNames.CreateMessageMethod);
        CoreShapes = HandlerSyntax.CoreShapesOf(declaration, out var used);
        CoreNames = used;
        Imports = OptionsNames.ImportsOf(declaration);
        FileName = RetryParser.FileName(type);
        TypeName = RetryParser.TypeName(type);
        Namespace = RetryParser.Namespace(type);
        ContainingTypes = RetryParser.ContainingTypes(type);
    }

    /// <summary>The facts of <paramref name="declaration"/>, the single declaration of <paramref name="type"/>.</summary>
    public static RetryClassFacts Of(ClassDeclarationSyntax declaration, INamedTypeSymbol type) =>
        Cache.TryGetValue(declaration, out var facts) ? facts : Add(declaration, type);

    // Out of line: a lambda capturing a local makes its closure on every call of the method declaring the local.
    private static RetryClassFacts Add(ClassDeclarationSyntax declaration, INamedTypeSymbol type)
    {
        var facts = new RetryClassFacts(declaration, type);
        return Cache.GetValue(declaration, _ => facts);
    }

    /// <summary>Whether the class is partial; with no containing type, that is <see cref="RetryRules.IsPartialChain"/>.</summary>
    public bool IsPartial { get; }

    /// <summary>Whether the class writes <c>CreateMessageAsync</c> itself (then there is nothing to generate).</summary>
    public bool DeclaresCreateMessage { get; }

    /// <summary>The syntax half of <see cref="HandlerSyntax.CreateMessageCoreShapes"/>; <see langword="null"/> when syntax cannot say.</summary>
    public List<int>? CoreShapes { get; }

    /// <summary>The names <see cref="CoreShapes"/> relied on, for <see cref="OptionsNames.Hold(int, int, INamespaceSymbol, Compilation)"/>.</summary>
    public int CoreNames { get; }

    /// <summary>The namespaces the file imports, or <see langword="null"/> when its usings rule the syntax answer out.</summary>
    public int? Imports { get; }

    public string FileName { get; }

    public string TypeName { get; }

    public string Namespace { get; }

    public EquatableArray<string> ContainingTypes { get; }

    /// <summary>The model for these answers: the last one when they are the same, so it compares by reference.</summary>
    public RetryModel Model(bool hasCore, EquatableArray<ParameterModel> parameters, string? optionsExpression, string providerId, int maxRetries, int baseDelayMs, int maxDelayMs, bool retryAllErrors, string coreOwner = "")
    {
        var core = hasCore ? KnownNames.CreateMessageCoreMethod : "";
        var last = _last;
        if (last is not null && last.CoreMethodName == core && last.Parameters == parameters && last.OptionsExpression == optionsExpression
            && last.ProviderId == providerId && last.MaxRetries == maxRetries && last.BaseDelayMs == baseDelayMs && last.MaxDelayMs == maxDelayMs
            && last.RetryAllErrors == retryAllErrors && last.CoreOwner == coreOwner)
        {
            return last;
        }

        var model = new RetryModel(
            FileName,
            TypeName,
            Namespace,
            ContainingTypes,
            KnownNames.CreateMessageMethod,
            core,
            "public",
            "global::System.Collections.Generic.IAsyncEnumerable<global::Providers.ApiStreamChunk>",
            "global::Providers.ApiStreamChunk",
            RetryShape.AsyncEnumerable,
            parameters,
            IsClassLevel: true,
            IsStatic: false,
            providerId,
            optionsExpression,
            maxRetries,
            baseDelayMs,
            maxDelayMs,
            retryAllErrors,
            coreOwner);
        _last = model;
        return model;
    }
}

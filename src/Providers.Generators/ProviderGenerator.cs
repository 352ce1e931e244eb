using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Providers.Generators.Emitting;
using Providers.Generators.Models;
using Providers.Generators.Parsing;

namespace Providers.Generators;

/// <summary>
/// The pipeline: <c>[Provider]</c> classes and referenced assemblies' providers become the registry and factories;
/// <c>[WithRetry]</c> classes and methods become retry wrappers. Parsing and emitting live in their own folders.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ProviderGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names, so tests can assert which steps were cached.</summary>
    public static class Steps
    {
        public const string Providers = nameof(Providers);
        public const string CollectedProviders = nameof(CollectedProviders);
        public const string ReferencedProviders = nameof(ReferencedProviders);
        public const string Retries = nameof(Retries);
        public const string RetryFiles = nameof(RetryFiles);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var providers = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.ProviderAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                ProviderParser.Parse)
            // No Where/Select nodes after the transforms: each is a table of one entry per class that the driver
            // walks on every run; the nulls are dropped where the values are used instead.
            .WithTrackingName(Steps.Providers);

        var collected = providers
            .Collect()
            // A duplicate id is reported by PRV0001; the generator keeps the first so the rest still compiles.
            .Select(static (all, _) => all
                .Where(static p => p is not null)
                .Select(static p => p!)
                .OrderBy(p => p.Id, System.StringComparer.Ordinal)
                .ThenBy(p => p.HandlerTypeName, System.StringComparer.Ordinal)
                .GroupBy(p => p.Id, System.StringComparer.Ordinal)
                .Select(g => g.First())
                .ToImmutableArray()
                .AsEquatableArray())
            .WithTrackingName(Steps.CollectedProviders);

        // Only the equatable summary of the compilation flows on, so an edit that leaves it equal stops here.
        var compilation = context.CompilationProvider
            .Select(ReferencedProvidersParser.Parse)
            .WithTrackingName(Steps.ReferencedProviders);

        context.RegisterSourceOutput(collected.Combine(compilation), static (spc, pair) =>
        {
            var (local, model) = pair;
            var ordered = local.AsImmutableArray();
            if (ordered.Length > 0)
            {
                spc.AddSource("ProviderFactories.g.cs", FactoriesEmitter.Emit(model, ordered));
            }

            if (ordered.Length > 0 || model.ReferencedProviders.Count > 0)
            {
                spc.AddSource("ProviderRegistry.g.cs", RegistryEmitter.Emit(model, ordered));
            }
        });

        var retries = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.WithRetryAttribute,
                static (node, _) => node is ClassDeclarationSyntax or MethodDeclarationSyntax,
                RetryParser.Parse)
            .WithTrackingName(Steps.Retries);

        // One file per namespace, not per wrapper: the driver re-adds every cached file on every run, at a cost per
        // file that grows with their number. An edit that changes no model leaves the collected array equal, so the
        // files are cached; one that changes a wrapper re-emits only its namespace's file (or, in a namespace of many
        // wrappers, its part of it: see RetryFiles).
        var retryFiles = retries
            .Collect()
            .SelectMany(RetryFiles.Group)
            .WithTrackingName(Steps.RetryFiles);

        context.RegisterSourceOutput(retryFiles, static (spc, file) => spc.AddSource(file.HintName, RetryEmitter.Emit(file)));
    }
}

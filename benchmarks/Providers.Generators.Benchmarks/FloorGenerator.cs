using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Providers.Generators.Benchmarks;

/// <summary>
/// The floor: the same two attribute lookups as the real generator with transforms that only read the attribute's
/// first argument and emit one constant file. What Roslyn itself costs for this input; the rest is ours.
/// </summary>
[Generator]
public sealed class FloorGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var providers = context.SyntaxProvider.ForAttributeWithMetadataName(
            "Providers.ProviderAttribute",
            static (node, _) => node is ClassDeclarationSyntax,
            static (ctx, _) => ctx.Attributes[0].ConstructorArguments[0].Value as string ?? "");
        var retries = context.SyntaxProvider.ForAttributeWithMetadataName(
            "Providers.WithRetryAttribute",
            static (node, _) => node is ClassDeclarationSyntax or MethodDeclarationSyntax,
            static (ctx, _) => ctx.TargetSymbol.Name);
        context.RegisterSourceOutput(providers.Collect().Combine(retries.Collect()), static (spc, pair) =>
            spc.AddSource("Floor.g.cs", $"// {pair.Left.Length} providers, {pair.Right.Length} retries"));
    }
}

/// <summary>
/// The floor with one output per <c>[WithRetry]</c> class, as ours has: what the driver itself costs per generated
/// file on every run (it adds every cached output again and checks each hint name against the ones before it).
/// </summary>
[Generator]
public sealed class FloorFilesGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var providers = context.SyntaxProvider.ForAttributeWithMetadataName(
            "Providers.ProviderAttribute",
            static (node, _) => node is ClassDeclarationSyntax,
            static (ctx, _) => ctx.Attributes[0].ConstructorArguments[0].Value as string ?? "");
        var retries = context.SyntaxProvider.ForAttributeWithMetadataName(
            "Providers.WithRetryAttribute",
            static (node, _) => node is ClassDeclarationSyntax or MethodDeclarationSyntax,
            static (ctx, _) => ctx.TargetSymbol.ToDisplayString());
        context.RegisterSourceOutput(providers.Collect(), static (spc, all) => spc.AddSource("Floor.g.cs", $"// {all.Length} providers"));
        context.RegisterSourceOutput(retries, static (spc, name) => spc.AddSource(name + ".CreateMessageAsync.Retry.g.cs", "// " + name));
    }
}

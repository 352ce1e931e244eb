using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Providers.Generators.Emitting;
using Providers.Generators.Models;
using Providers.Generators.Parsing;

namespace Providers.Generators.Benchmarks;

/// <summary>
/// The generator's pipeline with each of our steps wrapped in an allocation counter (the driver runs them on the
/// calling thread): where a full run's bytes go, ours against the driver's. Mirrors <see cref="ProviderGenerator"/>.
/// </summary>
[Generator]
public sealed class CountingGenerator : IIncrementalGenerator
{
    public static readonly Dictionary<string, (int Calls, long Bytes, double Ms)> Counts = new();

    public static long Chars;

    private static T Count<T>(string name, Func<T> step)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var result = step();
        var ms = sw.Elapsed.TotalMilliseconds;
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        var sum = Counts.GetValueOrDefault(name);
        Counts[name] = (sum.Calls + 1, sum.Bytes + bytes, sum.Ms + ms);
        if (result is Microsoft.CodeAnalysis.Text.SourceText text)
        {
            Chars += text.Length;
        }

        return result;
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var providers = context.SyntaxProvider.ForAttributeWithMetadataName(
            KnownNames.ProviderAttribute,
            static (node, _) => node is ClassDeclarationSyntax,
            static (ctx, ct) => Count("ProviderParser.Parse", () => ProviderParser.Parse(ctx, ct)));
        var collected = providers.Collect().Select(static (all, _) => Count("collect", () => all
            .Where(static p => p is not null).Select(static p => p!)
            .OrderBy(p => p.Id, StringComparer.Ordinal).ThenBy(p => p.HandlerTypeName, StringComparer.Ordinal)
            .GroupBy(p => p.Id, StringComparer.Ordinal).Select(g => g.First()).ToImmutableArray().AsEquatableArray()));
        var compilation = context.CompilationProvider.Select(static (c, ct) => Count("ReferencedProvidersParser.Parse", () => ReferencedProvidersParser.Parse(c, ct)));
        context.RegisterSourceOutput(collected.Combine(compilation), static (spc, pair) =>
        {
            var (local, model) = pair;
            var ordered = local.AsImmutableArray();
            var factories = Count("FactoriesEmitter.Emit", () => FactoriesEmitter.Emit(model, ordered));
            Count("AddSource(factories)", () => { spc.AddSource("ProviderFactories.g.cs", factories); return 0; });
            var registry = Count("RegistryEmitter.Emit", () => RegistryEmitter.Emit(model, ordered));
            Count("AddSource(registry)", () => { spc.AddSource("ProviderRegistry.g.cs", registry); return 0; });
        });
        var retries = context.SyntaxProvider.ForAttributeWithMetadataName(
            KnownNames.WithRetryAttribute,
            static (node, _) => node is ClassDeclarationSyntax or MethodDeclarationSyntax,
            static (ctx, ct) => Count("RetryParser.Parse", () => RetryParser.Parse(ctx, ct)));
        var files = retries.Collect().SelectMany(static (all, ct) => Count("RetryFiles.Group", () => RetryFiles.Group(all, ct)));
        context.RegisterSourceOutput(files, static (spc, file) =>
        {
            var text = Count("RetryEmitter.Emit", () => RetryEmitter.Emit(file));
            Count("AddSource(retry)", () => { spc.AddSource(file.HintName, text); return 0; });
        });
    }

    public static void Run(GeneratorBenchmarks b)
    {
        for (var round = 0; round < 4; round++)
        {
            Counts.Clear();
            Chars = 0;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var before = GC.GetAllocatedBytesForCurrentThread();
            b.FullRun();
            var total = GC.GetAllocatedBytesForCurrentThread() - before;
            var elapsed = sw.Elapsed.TotalMilliseconds;
            if (round < 3)
            {
                continue;
            }

            Console.WriteLine($"full run, {b.Providers} providers: {total / 1e6:0.00} MB on this thread, {elapsed:0.0} ms, {Chars / 1e6:0.00} M chars emitted");
            long ours = 0;
            foreach (var (name, (calls, bytes, ms)) in Counts.OrderByDescending(c => c.Value.Bytes))
            {
                ours += bytes;
                Console.WriteLine($"  {name}: {bytes / 1e6:0.000} MB, {ms:0.0} ms over {calls} calls");
            }

            Console.WriteLine($"  (counted {ours / 1e6:0.00} MB; the rest {(total - ours) / 1e6:0.00} MB is the driver's and the compiler's)");
        }

        // The same after an unrelated edit (the warm driver on the edited compilation): which of our steps re-run, and
        // their share of the run. Sums over 20 runs after 5 warm-up runs.
        for (var i = 0; i < 5; i++)
        {
            b.AfterUnrelatedEdit();
        }

        Counts.Clear();
        var editWatch = System.Diagnostics.Stopwatch.StartNew();
        var editBefore = GC.GetAllocatedBytesForCurrentThread();
        const int editRuns = 20;
        for (var i = 0; i < editRuns; i++)
        {
            b.AfterUnrelatedEdit();
        }

        var editTotal = GC.GetAllocatedBytesForCurrentThread() - editBefore;
        Console.WriteLine($"after unrelated edit, {b.Providers} providers, per run: {editTotal / 1e6 / editRuns:0.000} MB on this thread, {editWatch.Elapsed.TotalMilliseconds / editRuns:0.00} ms");
        long editOurs = 0;
        foreach (var (name, (calls, bytes, ms)) in Counts.OrderByDescending(c => c.Value.Ms))
        {
            editOurs += bytes;
            Console.WriteLine($"  {name}: {bytes / 1e6 / editRuns:0.000} MB, {ms / editRuns:0.00} ms over {calls / editRuns} calls");
        }

        Console.WriteLine($"  (counted {editOurs / 1e6 / editRuns:0.000} MB per run; the rest is the driver's and the compiler's)");
    }
}

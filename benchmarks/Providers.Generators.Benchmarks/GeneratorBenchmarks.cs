using System.Text;
using Basic.Reference.Assemblies;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Providers.Generators;

namespace Providers.Generators.Benchmarks;

/// <summary>
/// The generator over N annotated providers (one file each, with options and a class-level retry): a full run on a
/// fresh compilation, and a run after an unrelated edit with the driver's cache warm (what the IDE does per keystroke).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private CSharpCompilation _bodyEdited = null!;
    private CSharpCompilation _retryEdited = null!;
    private GeneratorDriver _warmDriver = null!;

    internal CSharpCompilation Compilation => _compilation;

    [Params(10, 100, 1000)]
    public int Providers { get; set; }

    /// <summary>Every provider in one namespace (the usual assembly), or each in its own (the most generated files).</summary>
    [Params(false, true)]
    public bool Spread { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var trees = Enumerable.Range(0, Providers)
            .Select(i => CSharpSyntaxTree.ParseText(ProviderSource(i), ParseOptions, path: $"Provider{i}.cs"))
            .Append(CSharpSyntaxTree.ParseText(Unrelated(1), ParseOptions, path: "Unrelated.cs"));
        _compilation = CSharpCompilation.Create(
            "Bench",
            trees,
            Net100.References.All
                .Append(MetadataReference.CreateFromFile(typeof(IApiHandler).Assembly.Location))
                .Append(MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var unrelated = _compilation.SyntaxTrees.Single(t => t.FilePath == "Unrelated.cs");
        _edited = _compilation.ReplaceSyntaxTree(unrelated, CSharpSyntaxTree.ParseText(Unrelated(2), ParseOptions, path: "Unrelated.cs"));

        // Edits inside one provider class: a method body (every model stays equal) and its retry count (its wrapper changes).
        var first = _compilation.SyntaxTrees.Single(t => t.FilePath == "Provider0.cs");
        _bodyEdited = _compilation.ReplaceSyntaxTree(first, CSharpSyntaxTree.ParseText(ProviderSource(0).Replace("new TextChunk(\"0\")", "new TextChunk(\"0!\")"), ParseOptions, path: "Provider0.cs"));
        _retryEdited = _compilation.ReplaceSyntaxTree(first, CSharpSyntaxTree.ParseText(ProviderSource(0).Replace("MaxRetries = 3", "MaxRetries = 4"), ParseOptions, path: "Provider0.cs"));
        _warmDriver = NewDriver().RunGenerators(_compilation);
        _ = _edited.GetDiagnostics();
        _ = _bodyEdited.GetDiagnostics();
        _ = _retryEdited.GetDiagnostics();
    }

    [Params("ours", "floor")]
    public string Generator { get; set; } = "ours";

    [Benchmark(Description = "full run")]
    public GeneratorDriver FullRun() => NewDriver().RunGenerators(_compilation.Clone());

    [Benchmark(Description = "after unrelated edit")]
    public GeneratorDriver AfterUnrelatedEdit() => _warmDriver.RunGenerators(_edited);

    [Benchmark(Description = "after a provider's method body edit")]
    public GeneratorDriver AfterBodyEdit() => _warmDriver.RunGenerators(_bodyEdited);

    [Benchmark(Description = "after a provider's retry count edit")]
    public GeneratorDriver AfterRetryEdit() => _warmDriver.RunGenerators(_retryEdited);

    private GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create(
            [Generator switch { "floor" => new FloorGenerator().AsSourceGenerator(), "floor-files" => new FloorFilesGenerator().AsSourceGenerator(), "counting" => new CountingGenerator().AsSourceGenerator(), "old" => OldGenerator.Create().AsSourceGenerator(), _ => new ProviderGenerator().AsSourceGenerator() }],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: Track));

    /// <summary>Step tracking costs time; only the probe turns it on.</summary>
    public static bool Track { get; set; }

    private static string Unrelated(int value) => $"namespace Bench.Other; public static class Helper {{ public static int Value => {value}; }}";

    private string ProviderSource(int i)
    {
        var source = new StringBuilder();
        source.Append($$"""
            using System.Collections.Generic;
            using System.ComponentModel.DataAnnotations;
            using System.Runtime.CompilerServices;
            using System.Threading;
            using Providers;

            namespace Bench.{{(Spread ? "P" + i : "Providers")}};

            public sealed class Provider{{i}}Options : ProviderOptions
            {
                [Required] public string ApiKey { get; set; } = "";
                [PerMode] public string ModelId { get; set; } = "m";
                public System.Uri BaseUrl { get; set; } = new("http://127.0.0.1:1");
                public int ContextSize { get; set; } = 4096;
            }

            [Provider("provider-{{i}}")]
            [WithRetry(MaxRetries = 3)]
            public sealed partial class Provider{{i}}Handler(Provider{{i}}Options options) : IApiHandler
            {
                public ApiHandlerModel GetModel() => new(options.ModelId, new ModelInfo());

                private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, [EnumeratorCancellation] CancellationToken cancellationToken)
                {
                    await System.Threading.Tasks.Task.Yield();
                    yield return new TextChunk("{{i}}");
                }
            }
            """);
        return source.ToString();
    }
}

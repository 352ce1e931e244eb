using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Providers.Generators.Tests.Generator;

/// <summary>
/// The retry wrappers of a namespace share one generated file: whatever mix of file-scoped and block namespaces,
/// nested and generic types the classes are declared in, each wrapper keeps its own namespace block and partial chain,
/// the order does not depend on the order of the files, and an edit re-emits only the file whose wrapper changed.
/// </summary>
public class RetryFileTests
{
    // File-scoped namespace: a class-level provider retry and a nested class with a method-level one.
    private const string FileScoped = """
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;
        using Providers;

        namespace Contoso.Alpha;

        public sealed class ZedOptions : ProviderOptions { }

        [WithRetry(MaxRetries = 3)]
        public sealed partial class ZedHandler(ZedOptions options)
        {
            private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, [EnumeratorCancellation] CancellationToken cancellationToken)
            {
                await Task.Yield();
                yield return new TextChunk("zed");
            }
        }

        public static partial class Outer
        {
            internal sealed partial class Inner
            {
                [WithRetry(MaxRetries = 1)]
                public partial Task<int> CountAsync(CancellationToken cancellationToken);

                private Task<int> CountCoreAsync(CancellationToken cancellationToken) => Task.FromResult(1);
            }
        }
        """;

    // Block namespaces: another class of the first namespace, a second namespace with a generic containing type, and
    // a class in the global namespace.
    private const string Blocks = """
        using System.Threading;
        using System.Threading.Tasks;
        using Providers;

        namespace Contoso.Alpha
        {
            public sealed partial class Apple
            {
                [WithRetry]
                public partial Task PickAsync(CancellationToken cancellationToken);

                private Task PickCoreAsync(CancellationToken cancellationToken) => Task.CompletedTask;
            }
        }

        namespace Contoso.Beta
        {
            public sealed partial class Box<T>
            {
                public sealed partial class Lid
                {
                    [WithRetry(MaxRetries = 2)]
                    public partial ValueTask<T?> OpenAsync(CancellationToken cancellationToken);

                    private ValueTask<T?> OpenCoreAsync(CancellationToken cancellationToken) => default;
                }
            }
        }

        public sealed partial class Rootless
        {
            [WithRetry]
            public static partial Task RunAsync();

            private static Task RunCoreAsync() => Task.CompletedTask;
        }
        """;

    [Fact]
    public void Wrappers_of_several_namespaces_get_a_file_each_that_compiles_and_matches_baselines()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile("Contoso.Mixed", null, FileScoped, Blocks));

        Assert.Empty(GeneratorHarness.Problems(output));
        var generated = result.Results.Single().GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).ToArray();
        Assert.Equal(["Contoso.Alpha.Retries.g.cs", "Contoso.Beta.Retries.g.cs", "global.Retries.g.cs"], generated.Select(s => s.HintName));
        foreach (var source in generated)
        {
            Baseline.Match("RetryFiles", source.HintName, source.SourceText.ToString());
        }

        // Ordered by class, then method: Apple (second file) before Outer.Inner before ZedHandler (first file).
        var alpha = generated[0].SourceText.ToString();
        var headers = alpha.Split('\n').Where(l => l.StartsWith("// The retry of ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            ["// The retry of Contoso.Alpha.Apple.PickAsync", "// The retry of Contoso.Alpha.Outer.Inner.CountAsync", "// The retry of Contoso.Alpha.ZedHandler.CreateMessageAsync"],
            headers);
    }

    [Fact]
    public void Order_of_the_files_in_the_compilation_does_not_change_the_output()
    {
        var (forward, _) = GeneratorHarness.Run(GeneratorHarness.Compile("Contoso.Mixed", null, FileScoped, Blocks));
        var (backward, _) = GeneratorHarness.Run(GeneratorHarness.Compile("Contoso.Mixed", null, Blocks, FileScoped));

        static (string, string)[] Files(GeneratorDriverRunResult r) =>
            r.Results.Single().GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).OrderBy(f => f.HintName, StringComparer.Ordinal).ToArray();
        Assert.Equal(Files(forward), Files(backward));
    }

    [Fact]
    public void Namespaces_whose_file_names_coincide_share_one_file_that_compiles()
    {
        // "@class" and "_class" both make "_class.Retries.g.cs": one file with a namespace block each, not a clash.
        const string source = """
            using System.Threading.Tasks;
            using Providers;

            namespace @class
            {
                public sealed partial class A { [WithRetry] public partial Task GoAsync(); private Task GoCoreAsync() => Task.CompletedTask; }
            }

            namespace _class
            {
                public sealed partial class B { [WithRetry] public partial Task GoAsync(); private Task GoCoreAsync() => Task.CompletedTask; }
            }
            """;

        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile("Clash", null, source));

        Assert.Empty(GeneratorHarness.Problems(output));
        var file = Assert.Single(result.Results.Single().GeneratedSources);
        Assert.Equal("_class.Retries.g.cs", file.HintName);
        var text = file.SourceText.ToString();
        Assert.Contains("namespace @class\n", text, StringComparison.Ordinal);
        Assert.Contains("namespace _class\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Retry_edit_re_emits_only_the_file_of_its_namespace()
    {
        var compilation = GeneratorHarness.Compile("Contoso.Mixed", null, FileScoped, Blocks);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var before = driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

        var edited = Replace(compilation, "Source1.cs", "[WithRetry(MaxRetries = 2)]", "[WithRetry(MaxRetries = 5)]");
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToArray();
        Assert.Single(outputs, o => o.Reason == IncrementalStepRunReason.Modified);
        var after = result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Assert.Equal(before["Contoso.Alpha.Retries.g.cs"], after["Contoso.Alpha.Retries.g.cs"]);
        Assert.Equal(before["global.Retries.g.cs"], after["global.Retries.g.cs"]);
        Assert.Equal(before["Contoso.Beta.Retries.g.cs"].Replace("maxRetries: 2", "maxRetries: 5", StringComparison.Ordinal).Replace(": 2 retries", ": 5 retries", StringComparison.Ordinal), after["Contoso.Beta.Retries.g.cs"]);
    }

    [Fact]
    public void Method_body_edit_in_a_retried_class_produces_no_new_output()
    {
        var compilation = GeneratorHarness.Compile("Contoso.Mixed", null, FileScoped, Blocks);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = Replace(compilation, "Source0.cs", "new TextChunk(\"zed\")", "new TextChunk(\"zed!\")");
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(result.TrackedSteps[ProviderGenerator.Steps.RetryFiles].SelectMany(s => s.Outputs), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output: {o.Reason}"));
    }

    [Fact]
    public void A_namespace_with_more_wrappers_than_a_file_holds_is_split_into_parts_by_class()
    {
        // 100 classes with one wrapper each, and one class with two that must stay in one part, over two files.
        var classes = Enumerable.Range(0, 100).Select(i =>
            $"public sealed partial class C{i} {{ [WithRetry(MaxRetries = 3)] public partial Task GoAsync(); private Task GoCoreAsync() => Task.CompletedTask; }}").ToList();
        classes.Add("public sealed partial class Pair { [WithRetry] public partial Task OneAsync(); private Task OneCoreAsync() => Task.CompletedTask; [WithRetry] public partial Task TwoAsync(); private Task TwoCoreAsync() => Task.CompletedTask; }");
        const string Head = "using System.Threading.Tasks;\nusing Providers;\nnamespace Contoso.Many;\n";
        var first = Head + string.Join("\n", classes.Take(50));
        var second = Head + string.Join("\n", classes.Skip(50));

        var compilation = GeneratorHarness.Compile("Contoso.Many", null, first, second);
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var (reversed, _) = GeneratorHarness.Run(GeneratorHarness.Compile("Contoso.Many", null, second, first));

        Assert.Empty(GeneratorHarness.Problems(output));
        var files = driver.GetRunResult().Results.Single().GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).ToArray();
        Assert.Equal(["Contoso.Many.0.Retries.g.cs", "Contoso.Many.1.Retries.g.cs"], files.Select(f => f.HintName));
        Assert.Equal(
            files.Select(f => (f.HintName, f.SourceText.ToString())),
            reversed.Results.Single().GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).Select(f => (f.HintName, f.SourceText.ToString())));
        var headers = files.SelectMany(f => f.SourceText.ToString().Split('\n').Where(l => l.StartsWith("// The retry of ", StringComparison.Ordinal))).ToArray();
        Assert.Equal(102, headers.Length);
        Assert.Equal(102, headers.Distinct(StringComparer.Ordinal).Count());
        Assert.Single(files, f => f.SourceText.ToString().Contains("// The retry of Contoso.Many.Pair.OneAsync\n", StringComparison.Ordinal)
            && f.SourceText.ToString().Contains("// The retry of Contoso.Many.Pair.TwoAsync\n", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var names = file.SourceText.ToString().Split('\n').Where(l => l.StartsWith("// The retry of ", StringComparison.Ordinal)).ToArray();
            Assert.InRange(names.Length, 1, 101);
            Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), names);
        }

        // A retry edit in one class re-emits only its part.
        var tree = compilation.SyntaxTrees.First();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(first.Replace("class C7 { [WithRetry(MaxRetries = 3)]", "class C7 { [WithRetry(MaxRetries = 4)]", StringComparison.Ordinal), GeneratorHarness.ParseOptions, tree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        Assert.Single(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        var changed = result.GeneratedSources.Where(s => !files.Any(f => f.HintName == s.HintName && f.SourceText.ToString() == s.SourceText.ToString())).ToArray();
        Assert.Contains("__goAsyncRetry = new(maxRetries: 4,", Assert.Single(changed).SourceText.ToString(), StringComparison.Ordinal);
    }

    private static Compilation Replace(Compilation compilation, string path, string oldText, string newText)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        var text = tree.GetText().ToString();
        Assert.Contains(oldText, text, StringComparison.Ordinal);
        return compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(text.Replace(oldText, newText, StringComparison.Ordinal), GeneratorHarness.ParseOptions, path));
    }
}

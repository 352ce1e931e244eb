using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Providers.Generators.Tests.Generator;

/// <summary>
/// A <c>[WithRetry]</c> wrapper calls a Core inherited from a base class the handler can call, as the built-in
/// OpenAI-compatible, Responses-shaped and OpenRouter-shaped providers do: the output compiles with documentation
/// diagnosed (a cref must reach the inherited member), and running it reaches the base class's method. A Core the
/// handler cannot call (private to its base, internal to another assembly, an instance Core under a static wrapper)
/// gives the stub that throws, and the build stays free of compiler errors so only the analyzer speaks.
/// </summary>
public class InheritedCoreTests
{
    private const string Prelude = """
        #nullable enable
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;
        using Providers;

        namespace Contoso.Family;

        /// <summary>Options.</summary>
        public sealed class EchoOptions : ProviderOptions { }

        /// <summary>Other options.</summary>
        public sealed class OtherOptions : ProviderOptions { }

        """;

    // The shape of the built-in bases: generic over the options, a private protected Core taking RequestOverrides, and
    // a method-level Core whose return type names the type parameter.
    private const string GenericBase = """
        /// <summary>A family's shared core.</summary>
        public abstract class FamilyHandler<TOptions>
            where TOptions : ProviderOptions
        {
            /// <summary>The options.</summary>
            protected abstract TOptions Options { get; }

            /// <summary>The model.</summary>
            public ApiHandlerModel GetModel() => new("m", new ModelInfo());

            /// <summary>What is honoured.</summary>
            public RequestOverrideKinds SupportedOverrides => RequestOverrideKinds.ModelId;

            /// <summary>One attempt.</summary>
            private protected async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
                string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, [EnumeratorCancellation] CancellationToken cancellationToken)
            {
                await Task.Yield();
                yield return new TextChunk("family:" + systemPrompt + ":" + (overrides.ModelId ?? "configured"));
            }

            /// <summary>Reads the options back.</summary>
            protected Task<TOptions> LoadCoreAsync(CancellationToken cancellationToken) => Task.FromResult(Options);
        }

        /// <summary>A member.</summary>
        [Provider("echo"), WithRetry]
        public sealed partial class EchoHandler(EchoOptions options) : FamilyHandler<EchoOptions>, IApiHandlerWithOverrides
        {
            /// <inheritdoc/>
            protected override EchoOptions Options => options;

            /// <summary>Loads, retried.</summary>
            [WithRetry]
            public partial Task<EchoOptions> LoadAsync(CancellationToken cancellationToken);
        }
        """;

    [Fact]
    public async Task Protected_Core_of_a_base_class_in_the_same_assembly_is_what_the_wrapper_calls()
    {
        const string source = Prelude + """
            /// <summary>A base.</summary>
            public abstract class EchoBase
            {
                /// <summary>The model.</summary>
                public ApiHandlerModel GetModel() => new("m", new ModelInfo());

                /// <summary>One attempt.</summary>
                protected async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
                    string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, [EnumeratorCancellation] CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    yield return new TextChunk("base:" + systemPrompt);
                }
            }

            /// <summary>A provider with nothing but its options.</summary>
            [Provider("echo"), WithRetry]
            public sealed partial class EchoHandler(EchoOptions options) : EchoBase, IApiHandler
            {
                /// <summary>The options.</summary>
                public EchoOptions Options => options;
            }
            """;

        var (wrapper, output) = Generate("Contoso.Family", source);

        Assert.Contains("(__token => CreateMessageCoreAsync(systemPrompt, messages, tools, __token))", wrapper, StringComparison.Ordinal);
        Assert.Contains("<see cref=\"global::Contoso.Family.EchoBase.CreateMessageCoreAsync\"/>", wrapper, StringComparison.Ordinal);
        Assert.DoesNotContain("NotImplementedException", wrapper, StringComparison.Ordinal);
        var handler = (IApiHandler)Create(Load(output), "Contoso.Family.EchoHandler", "Contoso.Family.EchoOptions");
        Assert.Equal(["base:sys"], await Texts(handler.CreateMessageAsync("sys", [])));
    }

    [Fact]
    public async Task Generic_base_class_Core_is_matched_after_substituting_the_type_argument()
    {
        var (wrapper, output) = Generate("Contoso.Family", Prelude + GenericBase);

        // The private protected Core takes RequestOverrides, so both overloads are written, each calling it.
        Assert.Contains("(__token => CreateMessageCoreAsync(systemPrompt, messages, tools, overrides, __token))", wrapper, StringComparison.Ordinal);
        Assert.Contains("CreateMessageAsync(systemPrompt, messages, tools, global::Providers.RequestOverrides.None, cancellationToken);", wrapper, StringComparison.Ordinal);

        // Task<TOptions> on FamilyHandler<EchoOptions> is Task<EchoOptions>: the method-level wrapper calls it.
        Assert.Contains("(__token => LoadCoreAsync(__token))", wrapper, StringComparison.Ordinal);
        Assert.Contains("<see cref=\"global::Contoso.Family.FamilyHandler{TOptions}.LoadCoreAsync\"/>", wrapper, StringComparison.Ordinal);
        Assert.DoesNotContain("NotImplementedException", wrapper, StringComparison.Ordinal);

        var assembly = Load(output);
        var options = Activator.CreateInstance(assembly.GetType("Contoso.Family.EchoOptions", throwOnError: true)!)!;
        var handler = Activator.CreateInstance(assembly.GetType("Contoso.Family.EchoHandler", throwOnError: true)!, options)!;
        Assert.Equal(["family:sys:configured"], await Texts(((IApiHandler)handler).CreateMessageAsync("sys", [])));
        Assert.Equal(["family:sys:other"], await Texts(((IApiHandlerWithOverrides)handler).CreateMessageAsync("sys", [], null, new RequestOverrides { ModelId = "other" })));
        var loaded = (Task)handler.GetType().GetMethod("LoadAsync")!.Invoke(handler, [CancellationToken.None])!;
        await loaded;
        Assert.Same(options, loaded.GetType().GetProperty("Result")!.GetValue(loaded));
    }

    [Fact]
    public void Generic_base_class_Core_whose_substituted_return_type_differs_is_not_called()
    {
        // Task<TOptions> on FamilyHandler<EchoOptions> is Task<EchoOptions>, not Task<OtherOptions>.
        var source = Prelude + GenericBase.Replace("public partial Task<EchoOptions> LoadAsync", "public partial Task<OtherOptions> LoadAsync", StringComparison.Ordinal);

        var (wrapper, _) = Generate("Contoso.Family", source);

        Assert.Contains("throw new global::System.NotImplementedException(\"[WithRetry] calls 'LoadCoreAsync', which is missing", wrapper, StringComparison.Ordinal);
        Assert.DoesNotContain("LoadCoreAsync(__token)", wrapper, StringComparison.Ordinal);
    }

    private const string LibraryBase = """
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;
        using Providers;

        namespace Contoso.Library;

        public abstract class PackagedBase
        {
            public ApiHandlerModel GetModel() => new("m", new ModelInfo());

            protected async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
                string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, [EnumeratorCancellation] CancellationToken cancellationToken)
            {
                await Task.Yield();
                yield return new TextChunk("package:" + systemPrompt);
            }

            internal Task<int> CountCoreAsync(int n, CancellationToken cancellationToken) => Task.FromResult(n);
        }
        """;

    [Fact]
    public async Task Base_class_in_a_referenced_assembly_lends_its_protected_Core_but_not_its_internal_one()
    {
        var libraryImage = Image(GeneratorHarness.Compile("Contoso.Library", null, LibraryBase));
        var library = MetadataReference.CreateFromImage(libraryImage);
        const string source = Prelude + """
            /// <summary>A provider deriving from a packaged base.</summary>
            [Provider("echo"), WithRetry]
            public sealed partial class EchoHandler(EchoOptions options) : Contoso.Library.PackagedBase, IApiHandler
            {
                /// <summary>The options.</summary>
                public EchoOptions Options => options;

                /// <summary>Counts, retried: its Core is internal to the library.</summary>
                [WithRetry]
                public partial Task<int> CountAsync(int n, CancellationToken cancellationToken);
            }
            """;

        var (wrapper, output) = Generate("Contoso.Family", source, library);

        Assert.Contains("(__token => CreateMessageCoreAsync(systemPrompt, messages, tools, __token))", wrapper, StringComparison.Ordinal);
        Assert.Contains("<see cref=\"global::Contoso.Library.PackagedBase.CreateMessageCoreAsync\"/>", wrapper, StringComparison.Ordinal);
        Assert.Contains("throw new global::System.NotImplementedException(\"[WithRetry] calls 'CountCoreAsync', which is missing", wrapper, StringComparison.Ordinal);
        Assert.DoesNotContain("CountCoreAsync(n, __token)", wrapper, StringComparison.Ordinal);

        var handler = (IApiHandler)Create(Load(output, libraryImage), "Contoso.Family.EchoHandler", "Contoso.Family.EchoOptions");
        Assert.Equal(["package:sys"], await Texts(handler.CreateMessageAsync("sys", [])));
    }

    [Fact]
    public void Private_Core_of_a_base_class_gives_the_stub_that_throws_and_no_compiler_error()
    {
        const string source = Prelude + """
            /// <summary>A base whose Core is its own.</summary>
            public abstract class SealedOffBase
            {
                /// <summary>The model.</summary>
                public ApiHandlerModel GetModel() => new("m", new ModelInfo());

                private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
                    string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, CancellationToken cancellationToken) => throw null!;
            }

            /// <summary>A provider that cannot reach it.</summary>
            [Provider("echo"), WithRetry]
            public sealed partial class EchoHandler(EchoOptions options) : SealedOffBase, IApiHandler
            {
                /// <summary>The options.</summary>
                public EchoOptions Options => options;
            }
            """;

        var (wrapper, _) = Generate("Contoso.Family", source);

        Assert.Contains("throw new global::System.NotImplementedException(\"[WithRetry] calls 'CreateMessageCoreAsync', which is missing or has another signature", wrapper, StringComparison.Ordinal);
        Assert.DoesNotContain("=> CreateMessageCoreAsync(", wrapper, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Core_on_both_the_class_and_its_base_is_the_class_own_without_ambiguity()
    {
        const string source = Prelude + """
            /// <summary>A base.</summary>
            public abstract class EchoBase
            {
                /// <summary>The model.</summary>
                public ApiHandlerModel GetModel() => new("m", new ModelInfo());

                /// <summary>The family's attempt, with overrides.</summary>
                protected async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
                    string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, [EnumeratorCancellation] CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    yield return new TextChunk("base:" + systemPrompt);
                }

                /// <summary>The family's count.</summary>
                protected Task<int> CountCoreAsync(int n, CancellationToken cancellationToken) => Task.FromResult(-n);
            }

            /// <summary>A provider with its own attempt.</summary>
            [Provider("echo"), WithRetry]
            public sealed partial class EchoHandler(EchoOptions options) : EchoBase, IApiHandler
            {
                /// <summary>The options.</summary>
                public EchoOptions Options => options;

                /// <summary>Counts, retried.</summary>
                [WithRetry]
                public partial Task<int> CountAsync(int n, CancellationToken cancellationToken);

                private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
                    string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, [EnumeratorCancellation] CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    yield return new TextChunk("own:" + systemPrompt);
                }

                private new Task<int> CountCoreAsync(int n, CancellationToken cancellationToken) => Task.FromResult(n);
            }
            """;

        var (wrapper, output) = Generate("Contoso.Family", source);

        // The class's own four-parameter Core decides the shape: one overload, no RequestOverrides.
        Assert.Contains("(__token => CreateMessageCoreAsync(systemPrompt, messages, tools, __token))", wrapper, StringComparison.Ordinal);
        Assert.DoesNotContain("overrides", wrapper, StringComparison.Ordinal);
        Assert.Contains("<see cref=\"CreateMessageCoreAsync\"/>", wrapper, StringComparison.Ordinal);
        Assert.Contains("<see cref=\"CountCoreAsync\"/>", wrapper, StringComparison.Ordinal);

        var handler = Create(Load(output), "Contoso.Family.EchoHandler", "Contoso.Family.EchoOptions");
        Assert.Equal(["own:sys"], await Texts(((IApiHandler)handler).CreateMessageAsync("sys", [])));
        var counted = (Task<int>)handler.GetType().GetMethod("CountAsync")!.Invoke(handler, [5, CancellationToken.None])!;
        Assert.Equal(5, await counted);
    }

    [Theory]
    [InlineData("own instance Core", "", "private Task<int> CountCoreAsync(int n, CancellationToken cancellationToken) => Task.FromResult(n);")]
    [InlineData("inherited instance Core", "/// <summary>Counts.</summary>\n    protected Task<int> CountCoreAsync(int n, CancellationToken cancellationToken) => Task.FromResult(n);", "")]
    public void Static_wrapper_over_an_instance_Core_gives_the_stub_that_throws(string why, string inBase, string inClass)
    {
        var source = Prelude + $$"""
            /// <summary>A base: {{why}}.</summary>
            public abstract class CounterBase
            {
                {{inBase}}
            }

            /// <summary>A client.</summary>
            public sealed partial class Counter : CounterBase
            {
                /// <summary>Counts, retried.</summary>
                [WithRetry]
                public static partial Task<int> CountAsync(int n, CancellationToken cancellationToken);

                {{inClass}}
            }
            """;

        var (wrapper, _) = Generate("Contoso.Family", source);

        Assert.Contains("throw new global::System.NotImplementedException(\"[WithRetry] calls 'CountCoreAsync', which is missing", wrapper, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instance_wrapper_over_an_inherited_static_Core_calls_it()
    {
        const string source = Prelude + """
            /// <summary>A base.</summary>
            public abstract class CounterBase
            {
                /// <summary>Counts.</summary>
                protected static Task<int> CountCoreAsync(int n, CancellationToken cancellationToken) => Task.FromResult(n * 2);
            }

            /// <summary>A client.</summary>
            public sealed partial class Counter : CounterBase
            {
                /// <summary>Counts, retried.</summary>
                [WithRetry]
                public partial Task<int> CountAsync(int n, CancellationToken cancellationToken);
            }
            """;

        var (wrapper, output) = Generate("Contoso.Family", source);

        Assert.Contains("(__token => CountCoreAsync(n, __token))", wrapper, StringComparison.Ordinal);
        var counter = Activator.CreateInstance(Load(output).GetType("Contoso.Family.Counter", throwOnError: true)!)!;
        Assert.Equal(6, await (Task<int>)counter.GetType().GetMethod("CountAsync")!.Invoke(counter, [3, CancellationToken.None])!);
    }

    [Fact]
    public void Edit_inside_the_base_Core_keeps_the_wrapper_and_hiding_the_Core_from_the_class_replaces_it()
    {
        const string family = """
            using System.Collections.Generic;
            using System.Threading;
            using Providers;

            namespace Contoso.Family;

            public abstract class EchoBase
            {
                public ApiHandlerModel GetModel() => new("m", new ModelInfo());

                protected IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
                    string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, CancellationToken cancellationToken) =>
                    throw new System.NotSupportedException("one");
            }
            """;
        const string member = """
            using Providers;

            namespace Contoso.Family;

            public sealed class EchoOptions : ProviderOptions { }

            [Provider("echo"), WithRetry]
            public sealed partial class EchoHandler(EchoOptions options) : EchoBase, IApiHandler
            {
                public EchoOptions Options => options;
            }
            """;
        var compilation = GeneratorHarness.Compile("Contoso.Family", null, family, member);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var bodyEdited = Edit(compilation, "\"one\"", "\"two\"");
        driver = driver.RunGenerators(bodyEdited);
        var result = driver.GetRunResult().Results.Single();
        Assert.All(result.TrackedSteps[ProviderGenerator.Steps.Retries].SelectMany(s => s.Outputs), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));

        var hidden = Edit(bodyEdited, "protected IAsyncEnumerable", "private IAsyncEnumerable");
        result = driver.RunGenerators(hidden).GetRunResult().Results.Single();
        Assert.Contains(result.TrackedSteps[ProviderGenerator.Steps.Retries].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        var wrapper = result.GeneratedSources.Single(s => s.HintName.EndsWith(".Retries.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("throw new global::System.NotImplementedException(\"[WithRetry] calls 'CreateMessageCoreAsync'", wrapper, StringComparison.Ordinal);

        static Compilation Edit(Compilation compilation, string oldText, string newText)
        {
            var tree = compilation.SyntaxTrees.Single(t => t.FilePath == "Source0.cs");
            var text = tree.GetText().ToString();
            Assert.Contains(oldText, text, StringComparison.Ordinal);
            return compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(text.Replace(oldText, newText, StringComparison.Ordinal), GeneratorHarness.ParseOptions, "Source0.cs"));
        }
    }

    // Compiles with documentation diagnosed, so a cref the wrapper writes that does not resolve (CS1574) is a problem,
    // and asserts the output has no warning or error; returns the retry file and the compilation.
    private static (string Wrapper, Compilation Output) Generate(string assemblyName, string source, params MetadataReference[] extra)
    {
        var parseOptions = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source, parseOptions, path: "Source0.cs")],
            GeneratorHarness.References.Concat(extra),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create([new ProviderGenerator().AsSourceGenerator()], parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        Assert.Empty(GeneratorHarness.Problems(output));
        var wrapper = output.SyntaxTrees.Single(t => t.FilePath.EndsWith(".Retries.g.cs", StringComparison.Ordinal));
        return (wrapper.GetText().ToString(), output);
    }

    // Each output into its own load context (tests reuse assembly names), with the libraries it references; the
    // framework and Providers.Abstractions come from the default context, so IApiHandler is the test's own type.
    private static Assembly Load(Compilation output, params byte[][] libraries)
    {
        var context = new AssemblyLoadContext(output.AssemblyName, isCollectible: true);
        foreach (var library in libraries)
        {
            context.LoadFromStream(new MemoryStream(library));
        }

        return context.LoadFromStream(new MemoryStream(Image(output)));
    }

    private static byte[] Image(Compilation compilation)
    {
        using var image = new MemoryStream();
        var emit = compilation.Emit(image);
        Assert.True(emit.Success, string.Join(Environment.NewLine, emit.Diagnostics));
        return image.ToArray();
    }

    private static object Create(Assembly assembly, string handler, string options) =>
        Activator.CreateInstance(
            assembly.GetType(handler, throwOnError: true)!,
            Activator.CreateInstance(assembly.GetType(options, throwOnError: true)!))!;

    private static async Task<List<string>> Texts(IAsyncEnumerable<ApiStreamChunk> stream)
    {
        var texts = new List<string>();
        await foreach (var chunk in stream)
        {
            texts.Add(Assert.IsType<TextChunk>(chunk).Text);
        }

        return texts;
    }
}

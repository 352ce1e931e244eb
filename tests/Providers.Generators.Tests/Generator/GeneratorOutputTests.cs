using Microsoft.CodeAnalysis;

namespace Providers.Generators.Tests.Generator;

public class GeneratorOutputTests
{
    [Fact]
    public void Custom_provider_generates_registry_factories_and_retry_wrapper_matching_baselines()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile("Contoso.App", null, Sources.CustomProvider));

        Assert.Empty(GeneratorHarness.Problems(output));
        var generated = result.Results.Single().GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).ToArray();
        Assert.Equal(
            ["Contoso.Llm.Retries.g.cs", "ProviderFactories.g.cs", "ProviderRegistry.g.cs"],
            generated.Select(s => s.HintName));
        foreach (var source in generated)
        {
            Baseline.Match("CustomProvider", source.HintName, source.SourceText.ToString());
        }
    }

    [Fact]
    public void Method_level_retries_generate_one_file_for_the_namespace_with_a_wrapper_per_method_matching_baseline()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile("Contoso.Tools", null, Sources.MethodLevelRetries));

        Assert.Empty(GeneratorHarness.Problems(output));
        var generated = result.Results.Single().GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).ToArray();
        Assert.Equal(["Contoso.Tools.Retries.g.cs"], generated.Select(s => s.HintName));
        foreach (var source in generated)
        {
            Baseline.Match("MethodLevelRetries", source.HintName, source.SourceText.ToString());
        }
    }

    [Fact]
    public void Static_options_member_is_read_through_the_type_by_static_and_instance_wrappers()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile("Contoso.Cache", null, Sources.StaticOptionsRetries));

        Assert.Empty(GeneratorHarness.Problems(output));
        var generated = result.Results.Single().GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).ToArray();
        var file = Assert.Single(generated);
        Assert.Equal("Contoso.Cache.Retries.g.cs", file.HintName);
        Assert.Equal(2, file.SourceText.ToString().Split("Store<TKey>.SharedOptions, ").Length - 1);
        Baseline.Match("StaticOptionsRetries", file.HintName, file.SourceText.ToString());
    }

    [Fact]
    public void Core_method_that_is_not_an_iterator_gets_the_same_retry_wrapper_as_an_iterator()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile("Contoso.App", null, Sources.HandWrittenCoreProvider));
        var (iteratorResult, iteratorOutput) = GeneratorHarness.Run(GeneratorHarness.Compile("Contoso.App", null, Sources.OverridesProvider));

        Assert.Empty(GeneratorHarness.Problems(output));
        Assert.Empty(GeneratorHarness.Problems(iteratorOutput));
        const string hintName = "Contoso.Llm.Retries.g.cs";
        var wrapper = result.Results.Single().GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();
        var iteratorWrapper = iteratorResult.Results.Single().GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();
        Assert.Equal(iteratorWrapper, wrapper);
        Baseline.Match("HandWrittenCoreProvider", hintName, wrapper);
    }

    [Fact]
    public void Registry_of_an_application_lists_its_own_and_referenced_providers()
    {
        var (_, library) = GeneratorHarness.Run(GeneratorHarness.Compile("Library", null, Sources.LibraryProvider));
        Assert.Empty(GeneratorHarness.Problems(library));
        var reference = GeneratorHarness.ToReference(library);

        var (result, app) = GeneratorHarness.Run(GeneratorHarness.Compile("App", [reference], Sources.AppProvider));

        Assert.Empty(GeneratorHarness.Problems(app));
        var registry = result.Results.Single().GeneratedSources.Single(s => s.HintName == "ProviderRegistry.g.cs");
        Baseline.Match("ReferencedProviders", "ProviderRegistry.g.cs", registry.SourceText.ToString());
    }

    [Fact]
    public void Assembly_that_only_references_providers_still_gets_a_registry()
    {
        var (_, library) = GeneratorHarness.Run(GeneratorHarness.Compile("Library", null, Sources.LibraryProvider));
        var reference = GeneratorHarness.ToReference(library);

        var (result, app) = GeneratorHarness.Run(GeneratorHarness.Compile("Consumer", [reference], "namespace Consumer; public static class Nothing { }"));

        Assert.Empty(GeneratorHarness.Problems(app));
        Assert.Equal(["ProviderRegistry.g.cs"], result.Results.Single().GeneratedSources.Select(s => s.HintName));
    }

    [Fact]
    public void Assembly_without_providers_gets_nothing()
    {
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.Compile("Plain", null, "namespace Plain; public static class Nothing { }"));

        Assert.Empty(result.Results.Single().GeneratedSources);
    }

    [Fact]
    public void Invalid_provider_is_skipped_and_the_rest_still_compiles()
    {
        const string source = """
            using Providers;
            namespace Bad;
            public sealed class NoOptionsOptions : ProviderOptions { }
            [Provider("Not Kebab")]
            public sealed class BadIdHandler(NoOptionsOptions o) : IApiHandler
            {
                public ApiHandlerModel GetModel() => new("x", new ModelInfo());
                public System.Collections.Generic.IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(string s, System.Collections.Generic.IReadOnlyList<ChatMessage> m, System.Collections.Generic.IReadOnlyList<ToolDefinition>? t = null, System.Threading.CancellationToken c = default) => throw null!;
            }
            """;

        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile("Bad", null, source));

        Assert.Empty(result.Results.Single().GeneratedSources);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void Duplicate_ids_keep_the_first_provider_and_the_output_still_compiles()
    {
        var second = Sources.AppProvider.Replace("\"mine\"", "\"built-in\"", StringComparison.Ordinal);

        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile("Dupes", null, Sources.LibraryProvider, second));

        Assert.Empty(GeneratorHarness.Problems(output));
        var registry = result.Results.Single().GeneratedSources.Single(s => s.HintName == "ProviderRegistry.g.cs").SourceText.ToString();
        Assert.Contains("\"built-in\" => global::Providers.Generated.DupesProviderFactories.CreateBuiltIn(settings, mode, configure),", registry, StringComparison.Ordinal);
        var factories = result.Results.Single().GeneratedSources.Single(s => s.HintName == "ProviderFactories.g.cs").SourceText.ToString();
        Assert.Contains("new global::App.MineHandler(options)", factories, StringComparison.Ordinal);
        Assert.DoesNotContain("global::Library.BuiltInHandler", factories, StringComparison.Ordinal);
    }

    [Fact]
    public void Retry_on_an_unsupported_return_type_still_compiles_so_only_the_analyzer_speaks()
    {
        const string source = """
            using Providers;
            namespace Odd;
            public sealed partial class Worker
            {
                [WithRetry]
                public partial int Compute(int x);
                private int ComputeCore(int x) => x;
            }
            """;

        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile("Odd", null, source));

        Assert.Empty(GeneratorHarness.Problems(output));
        Assert.Contains("throw new global::System.NotImplementedException", result.Results.Single().GeneratedSources.Single().SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Core_method_taking_overrides_gets_both_create_message_overloads_matching_baseline()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile("Contoso.Tunable", null, Sources.OverridesProvider));

        Assert.Empty(GeneratorHarness.Problems(output));
        var wrapper = result.Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith(".Retries.g.cs", StringComparison.Ordinal));
        Baseline.Match("OverridesProvider", wrapper.HintName, wrapper.SourceText.ToString());
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Providers.Generators.Tests.Generator;

public class IncrementalityTests
{
    private const string Unrelated = "namespace Contoso.Other; public static class Helper { public static int Value => 1; }";

    [Fact]
    public void Unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        var compilation = GeneratorHarness.Compile("Contoso.App", null, Sources.CustomProvider, Unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = Replace(compilation, "Source1.cs", "Value => 1", "Value => 2");
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in new[] { ProviderGenerator.Steps.Providers, ProviderGenerator.Steps.CollectedProviders, ProviderGenerator.Steps.ReferencedProviders, ProviderGenerator.Steps.Retries, ProviderGenerator.Steps.RetryFiles })
        {
            var reasons = result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output: {o.Reason}"));
    }

    [Fact]
    public void Method_body_edit_in_a_provider_does_not_re_emit_the_registry()
    {
        var compilation = GeneratorHarness.Compile("Contoso.App", null, Sources.CustomProvider);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = Replace(compilation, "Source0.cs", "new TextChunk(\"hello\")", "new TextChunk(\"hello, world\")");
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(result.TrackedSteps[ProviderGenerator.Steps.Providers].SelectMany(s => s.Outputs), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.All(result.TrackedSteps[ProviderGenerator.Steps.CollectedProviders].SelectMany(s => s.Outputs), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output: {o.Reason}"));
    }

    [Fact]
    public void Changing_an_attribute_argument_re_emits_the_registry()
    {
        var compilation = GeneratorHarness.Compile("Contoso.App", null, Sources.CustomProvider);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = Replace(compilation, "Source0.cs", "[Provider(\"custom-provider\")]", "[Provider(\"custom-provider-2\")]");
        var run = driver.RunGenerators(edited).GetRunResult();
        var result = run.Results.Single();

        Assert.Contains(result.TrackedSteps[ProviderGenerator.Steps.Providers].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        var registry = result.GeneratedSources.Single(s => s.HintName == "ProviderRegistry.g.cs").SourceText.ToString();
        Assert.Contains("\"custom-provider-2\" =>", registry, StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_a_retry_argument_re_emits_only_the_retry_wrapper()
    {
        var compilation = GeneratorHarness.Compile("Contoso.App", null, Sources.CustomProvider);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = Replace(compilation, "Source0.cs", "MaxRetries = 3", "MaxRetries = 5");
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Contains(result.TrackedSteps[ProviderGenerator.Steps.Retries].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(result.TrackedSteps[ProviderGenerator.Steps.Providers].SelectMany(s => s.Outputs), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.Contains("maxRetries: 5", result.GeneratedSources.Single(s => s.HintName.EndsWith(".Retries.g.cs", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
    }

    private static Compilation Replace(Compilation compilation, string path, string oldText, string newText)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        var text = tree.GetText().ToString();
        Assert.Contains(oldText, text, StringComparison.Ordinal);
        var updated = CSharpSyntaxTree.ParseText(text.Replace(oldText, newText, StringComparison.Ordinal), GeneratorHarness.ParseOptions, path);
        return compilation.ReplaceSyntaxTree(tree, updated);
    }
}

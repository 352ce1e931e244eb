using Microsoft.CodeAnalysis;

namespace Providers.Generators.Tests.Generator;

/// <summary>
/// Classes the parsers give no model for (an invalid provider id, a class-level <c>[WithRetry]</c> on a class that is
/// not partial) produce no file and leave the others' files as they are: the pipeline drops their null models where
/// it uses them, with no filtering step of its own.
/// </summary>
public class SkippedClassesTests
{
    private const string Skipped = """
        using Providers;

        namespace Contoso.Skipped;

        [Provider("Not A Valid Id")]
        public sealed class BadIdHandler { }

        [WithRetry]
        public sealed class NotPartialHandler { }
        """;

    [Fact]
    public void Classes_without_a_model_produce_no_file_and_change_no_other_file()
    {
        var (alone, _) = GeneratorHarness.Run(GeneratorHarness.Compile("Contoso.App", null, Sources.CustomProvider));
        var (withSkipped, output) = GeneratorHarness.Run(GeneratorHarness.Compile("Contoso.App", null, Sources.CustomProvider, Skipped));

        var expected = alone.GeneratedTrees.Select(t => (Path.GetFileName(t.FilePath), t.GetText().ToString())).ToList();
        var actual = withSkipped.GeneratedTrees.Select(t => (Path.GetFileName(t.FilePath), t.GetText().ToString())).ToList();
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected, actual);
        Assert.Single(actual, f => f.Item1.EndsWith(".Retries.g.cs", StringComparison.Ordinal));
        Assert.DoesNotContain(actual, f => f.Item2.Contains("BadIdHandler", StringComparison.Ordinal) || f.Item2.Contains("NotPartialHandler", StringComparison.Ordinal));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}

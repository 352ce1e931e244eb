using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Providers.Generators.Tests.Generator;

/// <summary>
/// An edit that changes what a provider generates, made in a file other than the handler's where that is the point:
/// the warm driver (what an IDE keeps between keystrokes) must generate exactly what a fresh driver generates for the
/// edited compilation, and the change must show in the output. A stale cached answer fails here.
/// </summary>
public class EditsThatChangeAProviderTests
{
    private const string Handler = """
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using Providers;

        namespace Contoso.Edits;

        [Provider("edited")]
        [WithRetry(MaxRetries = 3)]
        public sealed partial class EditedHandler(EditedOptions options) : IApiHandler
        {
            public ApiHandlerModel GetModel() => new(options.ModelId, new ModelInfo());

            private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, [EnumeratorCancellation] CancellationToken cancellationToken)
            {
                await System.Threading.Tasks.Task.Yield();
                yield return new TextChunk("x");
            }
        }
        """;

    private const string Options = """
        using Providers;

        namespace Contoso.Edits;

        public sealed class EditedOptions : ProviderOptions
        {
            public string ModelId { get; set; } = "m";
        }
        """;

    private const string Unrelated = "namespace Contoso.Other; public static class Helper { public static int Value => 1; }";

    [Fact]
    public void A_property_added_to_the_options_type_in_its_own_file_appears_in_the_descriptor_and_binder()
    {
        var (before, after) = WarmAndCold(
            [Handler, Options, Unrelated],
            c => Replace(c, "Source1.cs", "public string ModelId { get; set; } = \"m\";", "public string ModelId { get; set; } = \"m\";\n    [Secret] public string Token { get; set; } = \"\";"));

        Assert.DoesNotContain("\"Token\"", before, StringComparison.Ordinal);
        Assert.Contains("global::Providers.SettingDescriptor.Shared(\"Token\", \"string\", key: \"editedToken\", isSecret: true),", after, StringComparison.Ordinal);
        Assert.Contains("Token = binder.String(\"editedToken\", required: false, null) ?? defaults.Token,", after, StringComparison.Ordinal);
    }

    [Fact]
    public void An_options_property_that_becomes_per_mode_gets_two_keys()
    {
        var (before, after) = WarmAndCold(
            [Handler, Options, Unrelated],
            c => Replace(c, "Source1.cs", "public string ModelId", "[PerMode] public string ModelId"));

        Assert.Contains("Shared(\"ModelId\", \"string\", key: \"editedModelId\")", before, StringComparison.Ordinal);
        Assert.Contains("ByMode(\"ModelId\", \"string\", plan: \"planModeEditedModelId\", act: \"actModeEditedModelId\")", after, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_retry_attribute_changes_the_wrapper()
    {
        var (before, after) = WarmAndCold(
            [Handler, Options, Unrelated],
            c => Replace(c, "Source0.cs", "[WithRetry(MaxRetries = 3)]", "[WithRetry(MaxRetries = 7, RetryAllErrors = true)]"));

        Assert.Contains("maxRetries: 3,", before, StringComparison.Ordinal);
        Assert.DoesNotContain("maxRetries: 3,", after, StringComparison.Ordinal);
        Assert.Contains("maxRetries: 7, baseDelayMs: 1000, maxDelayMs: 10000, retryAllErrors: true", after, StringComparison.Ordinal);
    }

    [Fact]
    public void A_property_added_to_an_options_base_class_in_another_file_appears_in_the_descriptor()
    {
        const string DerivedOptions = """
            using Providers;

            namespace Contoso.Edits;

            public sealed class EditedOptions : CompanyOptions
            {
                public string ModelId { get; set; } = "m";
            }
            """;
        const string BaseOptions = """
            using Providers;

            namespace Contoso.Edits;

            public abstract class CompanyOptions : ProviderOptions
            {
                public string Region { get; set; } = "eu";
            }
            """;

        var (before, after) = WarmAndCold(
            [Handler, DerivedOptions, BaseOptions, Unrelated],
            c => Replace(c, "Source2.cs", "public string Region { get; set; } = \"eu\";", "public string Region { get; set; } = \"eu\";\n    [PerMode] public int Budget { get; set; }"));

        Assert.Contains("Shared(\"Region\", \"string\", key: \"editedRegion\")", before, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Budget\"", before, StringComparison.Ordinal);
        Assert.Contains("ByMode(\"Budget\", \"integer\", plan: \"planModeEditedBudget\", act: \"actModeEditedBudget\")", after, StringComparison.Ordinal);
    }

    [Fact]
    public void An_options_base_class_in_another_file_that_stops_deriving_from_ProviderOptions_drops_the_provider()
    {
        const string DerivedOptions = """
            namespace Contoso.Edits;

            public sealed class EditedOptions : CompanyOptions
            {
                public string ModelId { get; set; } = "m";
            }
            """;
        const string BaseOptions = "namespace Contoso.Edits; public abstract class CompanyOptions : Providers.ProviderOptions { }";

        var (before, after) = WarmAndCold(
            [Handler, DerivedOptions, BaseOptions, Unrelated],
            c => Replace(c, "Source2.cs", " : Providers.ProviderOptions", ""),
            expectErrors: true);

        Assert.Contains("CreateEdited(", before, StringComparison.Ordinal);
        Assert.DoesNotContain("CreateEdited(", after, StringComparison.Ordinal);
    }

    [Fact]
    public void A_handler_base_class_in_another_file_that_gains_the_Core_method_gets_a_retry_around_it()
    {
        const string Derived = """
            using Providers;

            namespace Contoso.Edits;

            [WithRetry(MaxRetries = 2)]
            public sealed partial class DerivedHandler(EditedOptions options) : CompanyHandler(options)
            {
            }
            """;
        const string Base = """
            using System.Collections.Generic;
            using System.Threading;
            using Providers;

            namespace Contoso.Edits;

            public abstract class CompanyHandler(EditedOptions options)
            {
                protected EditedOptions Options => options;
            }
            """;

        var (before, after) = WarmAndCold(
            [Derived, Options, Base, Unrelated],
            c => Replace(c, "Source2.cs", "protected EditedOptions Options => options;", """
                protected EditedOptions Options => options;

                    protected IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t, CancellationToken c) => throw null!;
                """),
            expectErrors: true);

        Assert.DoesNotContain("CreateMessageCoreAsync(", before, StringComparison.Ordinal);
        Assert.Contains("CreateMessageCoreAsync(", after, StringComparison.Ordinal);
    }

    // Runs a warm driver on the first compilation then on the edited one, and a fresh driver on the edited one; the two
    // outputs for the edited compilation must be the same files with the same text. Returns the generated text before
    // and after the edit (every file, in hint-name order).
    private static (string Before, string After) WarmAndCold(string[] sources, Func<CSharpCompilation, CSharpCompilation> edit, bool expectErrors = false)
    {
        var compilation = GeneratorHarness.Compile("Contoso.App", null, sources);
        var warm = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var before = Text(warm.GetRunResult());

        var edited = edit(compilation);
        warm = warm.RunGenerators(edited);
        var afterWarm = Text(warm.GetRunResult());
        var (cold, output) = GeneratorHarness.Run(edited);

        Assert.Equal(Text(cold), afterWarm);
        Assert.NotEqual(before, afterWarm);
        if (!expectErrors)
        {
            Assert.Empty(GeneratorHarness.Problems(output));
        }

        return (before, afterWarm);
    }

    private static string Text(GeneratorDriverRunResult result) =>
        string.Join("\n// ----\n", result.Results.Single().GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => "// " + s.HintName + "\n" + s.SourceText));

    private static CSharpCompilation Replace(CSharpCompilation compilation, string path, string from, string to)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        var text = tree.GetText().ToString();
        Assert.Contains(from, text, StringComparison.Ordinal);
        return compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(text.Replace(from, to, StringComparison.Ordinal), GeneratorHarness.ParseOptions, path));
    }
}

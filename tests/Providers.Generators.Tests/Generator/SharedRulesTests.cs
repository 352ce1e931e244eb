using Microsoft.CodeAnalysis;
using Providers.Generators.Analyzers;
using Providers.Generators.Models;
using Providers.Generators.Parsing;
using Providers.Settings;

namespace Providers.Generators.Tests.Generator;

/// <summary>Rules the generator and the runtime both apply, checked from both sides.</summary>
public class SharedRulesTests
{
    [Fact]
    public void Retry_arguments_left_out_are_emitted_with_the_runtime_defaults()
    {
        const string source = """
            using System.Threading;
            using System.Threading.Tasks;
            using Providers;
            namespace Defaults;
            public sealed partial class Worker
            {
                [WithRetry]
                public partial Task RunAsync(CancellationToken cancellationToken);
                private Task RunCoreAsync(CancellationToken cancellationToken) => Task.CompletedTask;
            }
            """;

        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile("Defaults", null, source));

        Assert.Empty(GeneratorHarness.Problems(output));
        var attribute = new WithRetryAttribute();
        Assert.Equal((RetryPolicy.DefaultMaxRetries, RetryPolicy.DefaultBaseDelayMs, RetryPolicy.DefaultMaxDelayMs), (attribute.MaxRetries, attribute.BaseDelayMs, attribute.MaxDelayMs));
        Assert.Contains(
            $"new(maxRetries: {attribute.MaxRetries}, baseDelayMs: {attribute.BaseDelayMs}, maxDelayMs: {attribute.MaxDelayMs}, retryAllErrors: false)",
            result.Results.Single().GeneratedSources.Single().SourceText.ToString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_code_is_stamped_with_the_generator_assembly_name_and_version()
    {
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.Compile("Contoso.App", null, Sources.CustomProvider));
        var generator = typeof(ProviderGenerator).Assembly.GetName();

        Assert.Equal("Providers.Generators", generator.Name);
        Assert.All(result.Results.Single().GeneratedSources, source => Assert.Contains(
            $"[global::System.CodeDom.Compiler.GeneratedCode(\"Providers.Generators\", \"{generator.Version}\")]",
            source.SourceText.ToString(),
            StringComparison.Ordinal));
    }

    [Fact]
    public void Enum_names_a_descriptor_shows_are_those_a_settings_error_lists()
    {
        var compilation = GeneratorHarness.Compile("Probe", [MetadataReference.CreateFromFile(typeof(Transport).Assembly.Location)], "namespace Probe;");
        var symbol = compilation.GetTypeByMetadataName(typeof(Transport).FullName!)!;
        var display = OptionsInspector.TypeDisplay(SettingKind.Enum, symbol);

        var binder = new SettingsBinder(ProviderSettings.From([new("probeTransport", "carrier-pigeon")]), "probe");
        binder.Enum("probeTransport", required: false, Transport.Http);
        var error = Assert.Throws<ProviderConfigurationException>(binder.ThrowIfInvalid);

        Assert.Equal("enum: http|http-server|web-socket2|pay-as-you-go", display);
        Assert.Contains("one of: http, http-server, web-socket2, pay-as-you-go", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("My_Provider", "AnyHandler", "my-provider")]
    [InlineData("customProvider", "AnyHandler", "custom-provider")]
    [InlineData("HTTPServer", "AnyHandler", "http-server")]
    [InlineData("--", "CustomProviderHandler", "custom-provider")]
    [InlineData(null, "Handler", "handler")]
    [InlineData("", "Über", "ber")]
    public void Suggested_ids_use_the_shared_kebab_case_and_handler_stem(string? id, string typeName, string expected) =>
        Assert.Equal(expected, ProviderIds.Suggest(id, typeName));

    [Theory]
    [InlineData("CustomProviderHandler", "Custom Provider")]
    [InlineData("Handler", "Handler")]
    [InlineData("OpenAIHandler", "Open AI")]
    public void Display_names_strip_the_same_handler_suffix(string typeName, string expected) =>
        Assert.Equal(expected, ProviderParser.DefaultDisplayName(typeName));

    public enum Transport
    {
        Http,
        HTTPServer,
        WebSocket2,
        Pay_As_You_Go,
    }
}

using Microsoft.CodeAnalysis;
using Providers.Generators.Emitting;
using Providers.Generators.Parsing;

namespace Providers.Generators.Tests.Generator;

/// <summary>
/// Generated descriptors start with <c>SettingDescriptor.ProviderOptionsSettings</c> instead of writing out the six
/// settings of <see cref="ProviderOptions"/> per provider: the generator's copy of that list, the runtime list and
/// what the generator reads from <see cref="ProviderOptions"/> must stay the same, and anything that differs from
/// the list is written out in full.
/// </summary>
public class SharedSettingsTests
{
    private const string Provider = """
        using Providers;
        namespace Shared;
        {0}
        public sealed class ThingOptions : ProviderOptions
        {{
            [Secret, System.ComponentModel.DataAnnotations.Required] public string ApiKey {{ get; set; }} = "";
        {1}
        }}
        [Provider("thing")]
        public sealed class ThingHandler(ThingOptions options) : IApiHandler
        {{
            public ThingOptions Options => options;
            public ApiHandlerModel GetModel() => new("x", new ModelInfo());
            public System.Collections.Generic.IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(string s, System.Collections.Generic.IReadOnlyList<ChatMessage> m, System.Collections.Generic.IReadOnlyList<ToolDefinition>? t = null, System.Threading.CancellationToken c = default) => throw null!;
        }}
        """;

    [Fact]
    public void The_generators_list_is_the_runtime_list()
    {
        var runtime = SettingDescriptor.ProviderOptionsSettings;

        Assert.Equal(FactoriesEmitter.ProviderOptionsSettings.Length, runtime.Count);
        for (var i = 0; i < runtime.Count; i++)
        {
            var (name, description, key) = FactoriesEmitter.ProviderOptionsSettings[i];
            Assert.Equal(new SettingDescriptor(name, description, PerMode: false, Required: false, IsSecret: false, key, key), runtime[i]);
            Assert.Empty(runtime[i].EnvironmentVariables);
        }
    }

    [Fact]
    public void The_settings_read_from_ProviderOptions_are_the_shared_list()
    {
        var compilation = GeneratorHarness.Compile("Shared", null, string.Format(System.Globalization.CultureInfo.InvariantCulture, Provider, "", ""));
        var options = compilation.GetTypeByMetadataName("Shared.ThingOptions")!;

        var settings = ProviderParser.FromSymbols(options, "thing");

        Assert.True(FactoriesEmitter.StartsWithProviderOptionsSettings(settings));
        Assert.Equal(
            ["RequestTimeout", "StreamIdleTimeout", "RetryAfterCeiling", "MaxEventBytes", "MaxResponseBytes", "MaxErrorBodyBytes", "ApiKey"],
            settings.AsImmutableArray().Select(s => s.PropertyName));
    }

    [Fact]
    public void A_descriptor_starts_with_the_shared_list_and_equals_the_settings_written_out()
    {
        var (factories, descriptor) = Generate("");

        Assert.Contains("        .. global::Providers.SettingDescriptor.ProviderOptionsSettings,\n", factories, StringComparison.Ordinal);
        Assert.DoesNotContain("\"RequestTimeout\"", factories, StringComparison.Ordinal);
        Assert.Equal(SettingDescriptor.ProviderOptionsSettings, descriptor.Settings.Take(6));
        Assert.Equal(new SettingDescriptor("ApiKey", "string", PerMode: false, Required: true, IsSecret: true, "thingApiKey", "thingApiKey"), descriptor.Settings[6]);
        Assert.Equal(7, descriptor.Settings.Count);
    }

    [Fact]
    public void A_shared_setting_with_a_variable_of_its_own_is_written_out_in_full()
    {
        var (factories, descriptor) = Generate("[EnvironmentVariable(\"THING_TIMEOUT_MS\", Option = nameof(ProviderOptions.RequestTimeout))]");

        Assert.DoesNotContain("ProviderOptionsSettings", factories, StringComparison.Ordinal);
        Assert.Contains(" global::Providers.SettingDescriptor.Shared(\"RequestTimeout\", \"milliseconds\", key: \"requestTimeoutMs\",\n", factories, StringComparison.Ordinal);
        Assert.Contains(" environmentVariables: [new(\"THING_TIMEOUT_MS\")]),\n", factories, StringComparison.Ordinal);
        Assert.Equal(["THING_TIMEOUT_MS"], descriptor.Settings[0].EnvironmentVariables.Select(v => v.Name));
        Assert.Equal(SettingDescriptor.ProviderOptionsSettings.Skip(1), descriptor.Settings.Skip(1).Take(5));
    }

    [Fact]
    public void Shared_and_per_mode_settings_are_written_as_such_and_read_back_as_the_full_descriptors()
    {
        var (factories, descriptor) = Generate("", """
            [PerMode, System.ComponentModel.DataAnnotations.Required] public string ModelId { get; set; } = "";
            [SettingKey("thingRegion"), EnvironmentVariable("THING_REGION", WhenSet = nameof(ApiKey)), EnvironmentVariable("REGION")] public string Region { get; set; } = "";
            [PerMode, Secret, EnvironmentVariable("THING_PLAN_TOKEN")] public string Token { get; set; } = "";
            """);

        Assert.Contains("        global::Providers.SettingDescriptor.Shared(\"ApiKey\", \"string\", key: \"thingApiKey\", required: true, isSecret: true),\n", factories, StringComparison.Ordinal);
        Assert.Contains("        global::Providers.SettingDescriptor.ByMode(\"ModelId\", \"string\", plan: \"planModeThingModelId\", act: \"actModeThingModelId\", required: true),\n", factories, StringComparison.Ordinal);
        Assert.Equal(new SettingDescriptor("ApiKey", "string", PerMode: false, Required: true, IsSecret: true, "thingApiKey", "thingApiKey"), descriptor.Settings[6]);
        Assert.Equal(new SettingDescriptor("ModelId", "string", PerMode: true, Required: true, IsSecret: false, "planModeThingModelId", "actModeThingModelId"), descriptor.Settings[7]);

        var region = descriptor.Settings[8];
        Assert.Equal(("Region", false, false, false, "thingRegion", "thingRegion"), (region.PropertyName, region.PerMode, region.Required, region.IsSecret, region.PlanModeKey, region.ActModeKey));
        Assert.Equal([new EnvironmentVariableDescriptor("THING_REGION", "thingApiKey"), new EnvironmentVariableDescriptor("REGION")], region.EnvironmentVariables);

        var token = descriptor.Settings[9];
        Assert.Equal(("Token", true, false, true, "planModeThingToken", "actModeThingToken"), (token.PropertyName, token.PerMode, token.Required, token.IsSecret, token.PlanModeKey, token.ActModeKey));
        Assert.Equal([new EnvironmentVariableDescriptor("THING_PLAN_TOKEN")], token.EnvironmentVariables);
        Assert.Equal(10, descriptor.Settings.Count);
    }

    // The factories file, and the descriptor read back from the compiled output.
    private static (string Factories, ProviderDescriptor Descriptor) Generate(string classAttribute, string extraProperties = "")
    {
        var source = string.Format(System.Globalization.CultureInfo.InvariantCulture, Provider, classAttribute, extraProperties);
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile("Shared", null, source));
        Assert.Empty(GeneratorHarness.Problems(output));
        var factories = result.Results.Single().GeneratedSources.Single(s => s.HintName == "ProviderFactories.g.cs").SourceText.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);

        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        Assert.True(emit.Success, string.Join(Environment.NewLine, emit.Diagnostics));
        stream.Position = 0;
        var assembly = new System.Runtime.Loader.AssemblyLoadContext("shared-settings", isCollectible: true).LoadFromStream(stream);
        var property = assembly.GetType("Providers.Generated.SharedProviderFactories")!.GetProperty("ThingDescriptor")!;
        return (factories, (ProviderDescriptor)property.GetValue(null)!);
    }
}

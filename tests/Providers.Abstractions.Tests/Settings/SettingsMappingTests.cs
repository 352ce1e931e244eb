using System.Text.Json;

namespace Providers.Abstractions.Tests.Settings;

/// <summary>The generated Plan/Act settings mapping, fed from a Cline-style flat settings file.</summary>
public class SettingsMappingTests
{
    private const string Secret = "sk-acme-SECRET-0123456789abcdef0123456789";

    private static readonly string ClineSettings = $$"""
        {
          "planModeApiProvider": "acme-cloud",
          "actModeApiProvider": "acme-cloud",
          "acmeCloudApiKey": "{{Secret}}",
          "planModeAcmeCloudModelId": "acme-large",
          "actModeAcmeCloudModelId": "acme-fast",
          "acmeCloudBaseUrl": "http://127.0.0.1:8080/v1",
          "planModeAcmeCloudThinkingBudgetTokens": 4096,
          "actModeAcmeCloudThinkingBudgetTokens": "1024",
          "planModeReasoningEffort": "high",
          "actModeReasoningEffort": "LOW",
          "acmeCloudUseResponsesApi": "true",
          "acmeCloudTemperature": 0,
          "acmeCloudHeaders": { "X-Title": "my app", "X-Retries": 2 },
          "planModeAcmeCloudModelInfo": { "contextWindow": 200000, "maxTokens": 8192, "inputPrice": 3, "outputPrice": 15, "supportsPromptCache": true },
          "acmeCloudExtra": [1, 2],
          "acmeCloudPollIntervalMs": 250,
          "requestTimeoutMs": 900000,
          "someOtherProviderKey": "ignored"
        }
        """;

    [Fact]
    public void Plan_mode_reads_plan_keys_and_shared_keys()
    {
        var handler = (AcmeCloudHandler)ProviderRegistry.Build(ProviderSettings.Parse(ClineSettings), Mode.Plan);
        var o = handler.Options;

        Assert.Equal(Secret, o.ApiKey);
        Assert.Equal("acme-large", o.ModelId);
        Assert.Equal(new Uri("http://127.0.0.1:8080/v1"), o.BaseUrl);
        Assert.Equal(4096, o.ThinkingBudgetTokens);
        Assert.Equal(Effort.High, o.Effort);
        Assert.True(o.UseResponsesApi);
        Assert.Equal(0d, o.Temperature);
        Assert.Equal(new Dictionary<string, string> { ["X-Title"] = "my app", ["X-Retries"] = "2" }, o.Headers);
        Assert.Equal(new ModelInfo { ContextWindow = 200000, MaxTokens = 8192, InputPrice = 3, OutputPrice = 15, SupportsPromptCache = true }, o.ModelInfo);
        Assert.Equal("[1, 2]", o.Extra?.GetRawText());
        Assert.Equal(TimeSpan.FromMilliseconds(250), o.PollInterval);
        Assert.Equal(TimeSpan.FromMinutes(15), o.RequestTimeout);
    }

    [Fact]
    public void Act_mode_reads_act_keys_and_keeps_defaults_for_absent_ones()
    {
        var handler = (AcmeCloudHandler)ProviderRegistry.Build(ProviderSettings.Parse(ClineSettings), Mode.Act);
        var o = handler.Options;

        Assert.Equal("acme-fast", o.ModelId);
        Assert.Equal(1024, o.ThinkingBudgetTokens);
        Assert.Equal(Effort.Low, o.Effort);
        Assert.Null(o.ModelInfo);
        Assert.Equal(ProviderOptions.DefaultStreamIdleTimeout, o.StreamIdleTimeout);
    }

    [Fact]
    public void Every_missing_required_key_for_the_mode_is_reported_at_once()
    {
        var settings = ProviderSettings.Parse("""{ "actModeApiProvider": "acme-cloud", "planModeAcmeCloudModelId": "only-plan" }""");

        var error = Assert.Throws<ProviderConfigurationException>(() => ProviderRegistry.Build(settings, Mode.Act));

        Assert.Equal(["acmeCloudApiKey", "actModeAcmeCloudModelId"], error.Keys);
        Assert.Equal("acme-cloud", error.ProviderId);
        Assert.Contains("2 settings to fix", error.Message, StringComparison.Ordinal);
        Assert.Contains("acmeCloudApiKey: missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("actModeAcmeCloudModelId: missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unparsable_values_are_reported_with_the_missing_ones_and_say_what_is_expected()
    {
        var settings = ProviderSettings.From(new Dictionary<string, string?>
        {
            ["acmeCloudApiKey"] = "k",
            ["planModeAcmeCloudModelId"] = "m",
            ["acmeCloudBaseUrl"] = "ftp://example",
            ["planModeAcmeCloudThinkingBudgetTokens"] = "lots",
            ["planModeReasoningEffort"] = "extreme",
            ["acmeCloudUseResponsesApi"] = "yes",
            ["acmeCloudHeaders"] = "[1]",
            ["acmeCloudPollIntervalMs"] = "-5",
        });

        var error = Assert.Throws<ProviderConfigurationException>(() => ProviderRegistry.Create("acme-cloud", settings, Mode.Plan));

        Assert.Equal(
            [
                "acmeCloudBaseUrl: 'ftp://example' is not valid: expected an absolute http:// or https:// URL",
                "planModeAcmeCloudThinkingBudgetTokens: 'lots' is not valid: expected a whole number",
                "planModeReasoningEffort: 'extreme' is not valid: expected one of: low, medium, high",
                "acmeCloudUseResponsesApi: 'yes' is not valid: expected true or false",
                "acmeCloudHeaders: '[1]' is not valid: expected a JSON object of names to strings without line breaks or control characters, for example {\"X-Title\": \"my app\"}",
                "acmeCloudPollIntervalMs: '-5' is not valid: expected a duration in milliseconds from 1 to 4294967294 (about 49 days, the longest a timer can wait)",
            ],
            error.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void A_long_invalid_value_is_not_echoed_in_the_error()
    {
        var settings = ProviderSettings.From(new Dictionary<string, string?>
        {
            ["acmeCloudApiKey"] = "k",
            ["planModeAcmeCloudModelId"] = "m",
            ["planModeAcmeCloudThinkingBudgetTokens"] = Secret,
        });

        var error = Assert.Throws<ProviderConfigurationException>(() => ProviderRegistry.Create("acme-cloud", settings, Mode.Plan));

        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
        Assert.Contains($"a {Secret.Length}-character value is not valid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_are_case_insensitive()
    {
        var settings = ProviderSettings.Parse("""{ "ACMECLOUDAPIKEY": "k", "planmodeacmecloudmodelid": "m" }""");

        var handler = (AcmeCloudHandler)ProviderRegistry.Create("Acme-Cloud", settings, Mode.Plan);

        Assert.Equal(("k", "m"), (handler.Options.ApiKey, handler.Options.ModelId));
    }

    [Fact]
    public void Unknown_provider_is_an_error_that_lists_the_known_ids_and_the_key()
    {
        var settings = ProviderSettings.Parse("""{ "actModeApiProvider": "anthropc" }""");

        var error = Assert.Throws<UnknownProviderException>(() => ProviderRegistry.Build(settings, Mode.Act));

        Assert.Equal("anthropc", error.ProviderId);
        Assert.Equal(ProviderRegistry.ProviderIds, error.KnownIds);
        Assert.Contains("acme-cloud", error.KnownIds);
        Assert.Equal(["actModeApiProvider"], error.Keys);
        Assert.Contains("Unknown provider 'anthropc' (from setting 'actModeApiProvider')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_provider_key_is_an_error_not_a_default_provider()
    {
        var error = Assert.Throws<ProviderConfigurationException>(() => ProviderRegistry.Build(ProviderSettings.Empty, Mode.Plan));

        Assert.Equal(["planModeApiProvider"], error.Keys);
        Assert.Contains("missing: name the provider to use in Plan mode, one of: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Descriptor_lists_every_key_with_type_mode_requirement_and_secrecy()
    {
        var descriptor = ProviderRegistry.Find("acme-cloud");

        Assert.NotNull(descriptor);
        Assert.Equal(("Acme Cloud", "Providers.Abstractions.Tests.Settings.AcmeCloudHandler"), (descriptor.DisplayName, descriptor.HandlerTypeName));
        var apiKey = descriptor.Settings.Single(s => s.PropertyName == "ApiKey");
        Assert.Equal(new SettingDescriptor("ApiKey", "string", false, true, true, "acmeCloudApiKey", "acmeCloudApiKey"), apiKey);
        var effort = descriptor.Settings.Single(s => s.PropertyName == "Effort");
        Assert.Equal(new SettingDescriptor("Effort", "enum: low|medium|high", true, false, false, "planModeReasoningEffort", "actModeReasoningEffort"), effort);
        Assert.Equal(
            ["requestTimeoutMs", "streamIdleTimeoutMs", "retryAfterCeilingMs", "maxEventBytes", "maxResponseBytes", "maxErrorBodyBytes", "acmeCloudApiKey", "planModeAcmeCloudModelId", "actModeAcmeCloudModelId",
             "acmeCloudBaseUrl", "planModeAcmeCloudThinkingBudgetTokens", "actModeAcmeCloudThinkingBudgetTokens", "planModeReasoningEffort", "actModeReasoningEffort",
             "acmeCloudUseResponsesApi", "acmeCloudTemperature", "acmeCloudHeaders", "planModeAcmeCloudModelInfo", "actModeAcmeCloudModelInfo", "acmeCloudExtra",
             "acmeCloudPollIntervalMs"],
            descriptor.AllKeys);
    }

    [Fact]
    public void Settings_text_that_is_not_a_json_object_gets_a_clear_error()
    {
        var notObject = Assert.Throws<FormatException>(() => ProviderSettings.Parse("[1, 2]"));
        Assert.Equal("Settings must be one flat JSON object of keys and values, not a JSON array.", notObject.Message);

        var broken = Assert.Throws<FormatException>(() => ProviderSettings.Parse("{ \"a\": }"));
        Assert.StartsWith("Settings are not valid JSON (line 1, position 8)", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_to_string_shows_keys_but_never_values()
    {
        var settings = ProviderSettings.Parse(ClineSettings);

        Assert.DoesNotContain(Secret, settings.ToString(), StringComparison.Ordinal);
        Assert.Contains("acmeCloudApiKey", settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Null_json_values_count_as_absent_and_with_overrides_a_key()
    {
        var settings = ProviderSettings.Parse("""{ "acmeCloudApiKey": null, "planModeAcmeCloudModelId": "m" }""").With("acmeCloudApiKey", "k2");

        var handler = (AcmeCloudHandler)ProviderRegistry.Create("acme-cloud", settings, Mode.Plan);

        Assert.Equal("k2", handler.Options.ApiKey);
        Assert.False(ProviderSettings.Parse("""{ "x": null }""").ContainsKey("x"));
    }
}

using System.Text.Json;
using Providers.Tests.Replay;

namespace Providers.Cli.Tests;

/// <summary>Choosing the provider and its settings: settings files, <c>--set</c>, overrides, and the errors of each.</summary>
public class SettingsTests
{
    private static async Task<string> SettingsFileAsync(string json)
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, json);
        return path;
    }

    private static string ModelOf(RecordedRequest request)
    {
        using var body = JsonDocument.Parse(request.Body);
        return body.RootElement.GetProperty("model").GetString()!;
    }

    [Theory]
    [InlineData("act", "llama3.2")]
    [InlineData("plan", "qwen3:8b")]
    public async Task A_cline_settings_file_chooses_the_provider_and_model_of_the_mode(string mode, string expectedModel)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("ollama/chat-text.ndjson", "application/x-ndjson"));
        var settings = await SettingsFileAsync($$"""
            {
              "planModeApiProvider": "ollama",
              "actModeApiProvider": "ollama",
              "ollamaBaseUrl": "{{CliRunner.Url(server)}}",
              "planModeOllamaModelId": "qwen3:8b",
              "actModeOllamaModelId": "llama3.2",
              "openRouterApiKey": "{{CliRunner.SecretKey}}",
              "someOtherClineKey": true
            }
            """);

        var result = await CliRunner.RunAsync("chat", "--settings", settings, "--mode", mode, "Why is the sky blue?");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expectedModel, ModelOf(server.Requests.Single()));
        Assert.DoesNotContain(CliRunner.SecretKey, result.AllOutput);
    }

    [Fact]
    public async Task The_provider_option_and_set_override_the_settings_file()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("ollama/chat-text.ndjson", "application/x-ndjson"));
        var settings = await SettingsFileAsync("""{ "actModeApiProvider": "anthropic", "actModeOllamaModelId": "llama3.2" }""");

        var result = await CliRunner.RunAsync("chat", "--settings", settings, "-p", "ollama", "--set", $"ollamaBaseUrl={CliRunner.Url(server)}", "--set", "actModeOllamaModelId=phi4", "hi");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("phi4", ModelOf(server.Requests.Single()));
    }

    [Fact]
    public async Task An_unknown_set_key_exits_2_and_suggests_the_nearest_known_key()
    {
        var result = await CliRunner.RunAsync("chat", "-p", "ollama", "--set", "ollamaBaseUlr=http://localhost:11434", "hi");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("providers: unknown setting key 'ollamaBaseUlr' in --set. Did you mean 'ollamaBaseUrl'? Run 'providers list' for every provider's keys.\n", result.Stderr);
    }

    [Fact]
    public async Task A_set_key_is_matched_without_regard_to_case()
    {
        var result = await CliRunner.RunAsync("chat", "-p", "ollama", "--set", "OLLAMAAPIOPTIONSCTXNUM=abc", "-m", "llama3.2", "hi");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ollamaApiOptionsCtxNum: 'abc' is not valid: expected a whole number", result.Stderr);
    }

    [Fact]
    public async Task No_provider_exits_2_and_lists_the_registered_ids()
    {
        var result = await CliRunner.RunAsync("chat", "hi");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"providers: no provider chosen: pass --provider ID, or set 'actModeApiProvider' in the settings. Registered providers: {string.Join(", ", ProviderRegistry.ProviderIds)}.\n",
            result.Stderr);
        Assert.Contains("anthropic", ProviderRegistry.ProviderIds);
        Assert.Contains("ollama", ProviderRegistry.ProviderIds);
    }

    [Fact]
    public async Task An_unknown_provider_exits_2_suggesting_the_nearest_id()
    {
        var result = await CliRunner.RunAsync("chat", "-p", "olama", "hi");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("providers: unknown provider 'olama'. Did you mean 'ollama'? Registered providers: ", result.Stderr);
    }

    [Fact]
    public async Task An_unknown_provider_named_by_the_settings_says_which_key_named_it()
    {
        var settings = await SettingsFileAsync("""{ "planModeApiProvider": "vscode-lm" }""");

        var result = await CliRunner.RunAsync("chat", "--settings", settings, "--mode", "plan", "hi");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("providers: unknown provider 'vscode-lm' (from setting 'planModeApiProvider').", result.Stderr);
    }

    [Fact]
    public async Task A_missing_model_exits_2_naming_the_key_and_the_option_that_sets_it()
    {
        var result = await CliRunner.RunAsync("chat", "-p", "ollama", "hi");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("actModeOllamaModelId: missing: this setting is required", result.Stderr);
        Assert.Contains("--model ID sets actModeOllamaModelId", result.Stderr);
    }

    [Fact]
    public async Task Every_bad_key_is_named_at_once()
    {
        var result = await CliRunner.RunAsync("chat", "-p", "ollama", "--base-url", "not a url", "--set", "ollamaApiOptionsCtxNum=many", "hi");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ollamaBaseUrl", result.Stderr);
        Assert.Contains("ollamaApiOptionsCtxNum", result.Stderr);
        Assert.Contains("actModeOllamaModelId", result.Stderr);
    }

    [Fact]
    public async Task A_settings_file_that_is_not_json_exits_2_naming_the_file()
    {
        var settings = await SettingsFileAsync("{ \"actModeApiProvider\": ");

        var result = await CliRunner.RunAsync("chat", "--settings", settings, "hi");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"providers: the settings file '{settings}' is not usable: Settings are not valid JSON", result.Stderr);
    }

    [Fact]
    public async Task A_missing_settings_file_exits_2()
    {
        var result = await CliRunner.RunAsync("chat", "--settings", "/nonexistent/settings.json", "hi");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("providers: cannot read the settings file '/nonexistent/settings.json'", result.Stderr);
    }

    [Fact]
    public async Task A_tools_file_entry_without_a_schema_exits_2_naming_the_entry()
    {
        var tools = await SettingsFileAsync("""[{"name": "get_weather", "description": "d"}]""");

        var result = await CliRunner.RunAsync("chat", "-p", "ollama", "-m", "llama3.2", "--tools", tools, "hi");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("entry 0 ('get_weather') needs \"input_schema\"", result.Stderr);
    }

    [Fact]
    public async Task A_key_in_the_settings_file_is_used_and_appears_in_no_output_when_the_request_fails()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(403, $$$"""{"type":"error","error":{"type":"permission_error","message":"key {{{CliRunner.SecretKey}}} may not use this model"}}"""));
        var settings = await SettingsFileAsync($$"""{ "actModeApiProvider": "anthropic", "apiKey": "{{CliRunner.SecretKey}}", "anthropicBaseUrl": "{{CliRunner.Url(server)}}" }""");

        var result = await CliRunner.RunAsync(["chat", "--settings", settings, "hi"], "", false, new Dictionary<string, string?> { ["ANTHROPIC_API_KEY"] = "sk-env-unused" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("403", result.Stderr);
        Assert.Equal(CliRunner.SecretKey, server.Requests.Single().Headers["x-api-key"]);
        Assert.DoesNotContain(CliRunner.SecretKey, result.AllOutput);
    }
}

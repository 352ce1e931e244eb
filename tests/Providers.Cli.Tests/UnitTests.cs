using Providers.Cli.Chat;
using Providers.Cli.CommandLine;
using Providers.Cli.Settings;

namespace Providers.Cli.Tests;

/// <summary>The small pieces: key mapping, environment variables, edit distance, retry reasons.</summary>
public class UnitTests
{
    [Theory]
    [InlineData("ollama", Mode.Act, "actModeOllamaModelId", "ollamaBaseUrl", "ollamaApiKey")]
    [InlineData("ollama", Mode.Plan, "planModeOllamaModelId", "ollamaBaseUrl", "ollamaApiKey")]
    [InlineData("anthropic", Mode.Act, "actModeApiModelId", "anthropicBaseUrl", "apiKey")]
    [InlineData("anthropic", Mode.Plan, "planModeApiModelId", "anthropicBaseUrl", "apiKey")]
    [InlineData("bedrock", Mode.Act, "actModeApiModelId", "awsBedrockEndpoint", "awsBedrockApiKey")]
    public void Option_keys_of_the_built_in_providers_are_the_cline_keys(string id, Mode mode, string model, string baseUrl, string apiKey)
    {
        var keys = ProviderKeys.For(ProviderRegistry.Find(id)!, mode);

        Assert.Equal(new ProviderKeys(model, baseUrl, apiKey), keys);
    }

    [Fact]
    public void Option_keys_of_a_provider_the_tool_does_not_know_come_from_its_descriptor()
    {
        var descriptor = new ProviderDescriptor("team-gateway", "Team gateway", "Contoso.TeamGatewayHandler",
        [
            new SettingDescriptor("Token", "string", false, true, true, "teamGatewayApiKey", "teamGatewayApiKey"),
            new SettingDescriptor("Endpoint", "url", false, false, false, "teamGatewayBaseUrl", "teamGatewayBaseUrl"),
            new SettingDescriptor("Model", "string", true, true, false, "planModeTeamGatewayModelId", "actModeTeamGatewayModelId"),
        ]);

        Assert.Equal(new ProviderKeys("planModeTeamGatewayModelId", "teamGatewayBaseUrl", "teamGatewayApiKey"), ProviderKeys.For(descriptor, Mode.Plan));
        Assert.Equal(new ProviderKeys(null, null, null), ProviderKeys.For(descriptor with { Settings = [] }, Mode.Act));
    }

    [Theory]
    [InlineData("ollama", null, "OLLAMA_API_KEY")]
    [InlineData("anthropic", null, "ANTHROPIC_API_KEY")]
    [InlineData("openai", null, "OPENAI_API_KEY")]
    [InlineData("openai", "2024-10-21", "AZURE_OPENAI_API_KEY")]
    [InlineData("openrouter", null, "OPENROUTER_API_KEY")]
    [InlineData("openai-native", null, "OPENAI_API_KEY")]
    [InlineData("vercel-ai-gateway", null, "AI_GATEWAY_API_KEY")]
    [InlineData("qwen", null, "DASHSCOPE_API_KEY")]
    [InlineData("huggingface", null, "HF_TOKEN")]
    [InlineData("gemini", null, "GEMINI_API_KEY")]
    [InlineData("vertex", null, "GOOGLE_OAUTH_ACCESS_TOKEN")]
    [InlineData("deepseek", null, "DEEPSEEK_API_KEY")]
    [InlineData("huawei-cloud-maas", null, "HUAWEI_CLOUD_MAAS_API_KEY")]
    [InlineData("bedrock", null, "AWS_BEARER_TOKEN_BEDROCK")]
    [InlineData("team-gateway", null, "TEAM_GATEWAY_API_KEY")]
    public void The_api_key_environment_variable_is_the_providers_usual_one(string id, string? azureApiVersion, string expected)
    {
        var settings = ProviderSettings.From([new("azureApiVersion", azureApiVersion)]);

        var descriptor = ProviderRegistry.Find(id) ?? new ProviderDescriptor(id, id, "Contoso.Handler", []);

        Assert.Equal(expected, ProviderKeys.EnvironmentVariable(descriptor, settings));
    }

    [Fact]
    public void The_api_key_environment_variable_of_a_provider_the_tool_does_not_know_comes_from_its_descriptor()
    {
        var apiKey = new SettingDescriptor("ApiKey", "string", false, true, true, "gatewayApiKey", "gatewayApiKey")
        {
            EnvironmentVariables = [new("GATEWAY_REGION_KEY", WhenSettingSet: "gatewayRegion"), new("GATEWAY_KEY")],
        };
        var descriptor = new ProviderDescriptor("team-gateway", "Team gateway", "Contoso.TeamGatewayHandler", [apiKey]);

        Assert.Equal("GATEWAY_KEY", ProviderKeys.EnvironmentVariable(descriptor, ProviderSettings.Empty));
        Assert.Equal("GATEWAY_REGION_KEY", ProviderKeys.EnvironmentVariable(descriptor, ProviderSettings.From([new("gatewayRegion", "eu")])));
        Assert.Equal("GATEWAY_KEY", ProviderKeys.EnvironmentVariable(descriptor, ProviderSettings.From([new("gatewayRegion", " ")])));
    }

    [Theory]
    [InlineData("ollamaBaseUlr", "ollamaBaseUrl")]
    [InlineData("actmodeollamamodelid", "actModeOllamaModelId")]
    [InlineData("apikey", "apiKey")]
    [InlineData("completelyUnrelatedThing", null)]
    public void The_nearest_known_key_is_suggested_only_when_it_is_close(string typed, string? expected)
    {
        Assert.Equal(expected, EditDistance.Nearest(typed, ChatSettings.KnownKeys));
    }

    [Fact]
    public void Edit_distance_counts_insertions_deletions_and_substitutions()
    {
        Assert.Equal(0, EditDistance.Between("Model", "model"));
        Assert.Equal(2, EditDistance.Between("modle", "model"));
        Assert.Equal(3, EditDistance.Between("kitten", "sitting"));
        Assert.Equal(4, EditDistance.Between("", "chat"));
    }

    [Fact]
    public void The_retry_reason_is_the_status_with_its_phrase_else_the_error_type()
    {
        Assert.Equal("429 Too Many Requests", ChatCommand.Reason(new ProviderException("x", "m", System.Net.HttpStatusCode.TooManyRequests)));
        Assert.Equal("529 Overloaded", ChatCommand.Reason(new ProviderException("x", "m", (System.Net.HttpStatusCode)529)));
        Assert.Equal("connection error", ChatCommand.Reason(new ProviderException("x", "m") { ErrorType = "connection_error" }));
    }
}

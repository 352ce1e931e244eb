using System.Text.Json.Nodes;
using Providers.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAi;

/// <summary>The model table (Cline's figures), reasoning efforts in a form each model takes, the <c>openAiModelInfo</c> fields Cline honours, and Azure as Cline recognises it.</summary>
public class OpenAiCatalogueTests
{
    private static async Task<RecordedRequest> SendAsync(Action<OpenAiOptions> configure, RequestOverrides? overrides = null, bool responses = false)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(responses
            ? Fixtures.TypedEventChunks("openai-responses/azure-text.1.chunks.txt")
            : Fixtures.OpenAiChatChunks("openai-chat/mistral-text.chunks.txt"));
        var options = new OpenAiOptions { ApiKey = Key, BaseUrl = new Uri(server.BaseUri, "v1"), UseResponsesApi = responses };
        configure(options);
        IApiHandlerWithOverrides handler = new OpenAiHandler(options);
        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")], null, overrides ?? RequestOverrides.None));
        return Assert.Single(server.Requests);
    }

    private static async Task<JsonNode> BodyAsync(Action<OpenAiOptions> configure, RequestOverrides? overrides = null, bool responses = false) =>
        JsonNode.Parse((await SendAsync(configure, overrides, responses)).Body)!;

    [Theory]
    [InlineData("gpt-5.5", 1_050_000, 8192, 5, 30, 0.5)]
    [InlineData("gpt-5.4", 1_050_000, 8192, 2.5, 15, 0.25)]
    [InlineData("gpt-5.4-mini", 400_000, 8192, 0.75, 4.5, 0.075)]
    [InlineData("gpt-5.4-nano", 400_000, 8192, 0.2, 1.25, 0.02)]
    [InlineData("gpt-5.3-codex", 400_000, 8192, 1.75, 14, 0.175)]
    [InlineData("gpt-5.2", 272_000, 8192, 1.75, 14, 0.175)]
    [InlineData("gpt-5.1-2025-11-13", 272_000, 8192, 1.25, 10, 0.125)]
    [InlineData("gpt-5-2025-08-07", 272_000, 8192, 1.25, 10, 0.125)]
    [InlineData("gpt-5-mini-2025-08-07", 272_000, 8192, 0.25, 2, 0.025)]
    [InlineData("gpt-5-nano-2025-08-07", 272_000, 8192, 0.05, 0.4, 0.005)]
    [InlineData("o3", 200_000, 100_000, 2, 8, 0.5)]
    [InlineData("o4-mini", 200_000, 100_000, 1.1, 4.4, 0.275)]
    [InlineData("o3-mini", 200_000, 100_000, 1.1, 4.4, 0.55)]
    [InlineData("gpt-4.1", 1_047_576, 32_768, 2, 8, 0.5)]
    [InlineData("gpt-4o", 128_000, 4096, 2.5, 10, 1.25)]
    public void The_table_holds_clines_figures(string id, int window, int maxTokens, double input, double output, double cached)
    {
        var info = new OpenAiHandler(new OpenAiOptions { ModelId = id }).GetModel().Info;

        Assert.Equal((window, maxTokens), (info.ContextWindow, info.MaxTokens));
        Assert.Equal(((decimal)input, (decimal)output, (decimal)cached), (info.InputPrice!.Value, info.OutputPrice!.Value, info.CacheReadsPrice!.Value));
    }

    [Theory]
    [InlineData("gpt-5", "none", "minimal")]
    [InlineData("gpt-5-mini", "minimal", "minimal")]
    [InlineData("gpt-5", "xhigh", "high")]
    [InlineData("gpt-5.1", "none", "none")]
    [InlineData("gpt-5.1", "minimal", "low")]
    [InlineData("gpt-5.1", "xhigh", "high")]
    [InlineData("gpt-5.1-codex", "none", "low")]
    [InlineData("gpt-5.1-codex-max", "xhigh", "xhigh")]
    [InlineData("gpt-5.2", "xhigh", "xhigh")]
    [InlineData("gpt-5.4", "none", "none")]
    [InlineData("gpt-5.5", "minimal", "low")]
    [InlineData("gpt-5.3-codex", "none", "low")]
    [InlineData("gpt-5-pro", "low", "high")]
    [InlineData("o3", "none", "low")]
    [InlineData("o4-mini", "minimal", "low")]
    [InlineData("o3", "xhigh", "high")]
    [InlineData("o3", "HIGH", "high")]
    [InlineData("o3", "extreme", "medium")]
    [InlineData("gpt-5.2", "", "medium")]
    public async Task A_configured_effort_is_sent_in_a_form_the_model_takes(string model, string configured, string sent)
    {
        var body = await BodyAsync(o => { o.ModelId = model; o.ReasoningEffort = configured; });

        Assert.Equal(sent, (string?)body["reasoning_effort"]);
        Assert.Null(body["temperature"]);
    }

    [Theory]
    [InlineData("gpt-5.2", ReasoningEffort.None, "none")]
    [InlineData("gpt-5", ReasoningEffort.None, "minimal")]
    [InlineData("o3", ReasoningEffort.None, "low")]
    [InlineData("gpt-5.2", ReasoningEffort.ExtraHigh, "xhigh")]
    [InlineData("o4-mini", ReasoningEffort.ExtraHigh, "high")]
    public async Task An_effort_override_is_sent_in_a_form_the_model_takes_on_both_apis(string model, ReasoningEffort effort, string sent)
    {
        var chat = await BodyAsync(o => o.ModelId = model, new RequestOverrides { ReasoningEffort = effort });
        var responses = await BodyAsync(o => o.ModelId = model, new RequestOverrides { ReasoningEffort = effort }, responses: true);

        Assert.Equal(sent, (string?)chat["reasoning_effort"]);
        Assert.Equal(sent, (string?)responses["reasoning"]!["effort"]);
    }

    [Theory]
    [InlineData(0.7, 0.7)]
    [InlineData(0.0, null)]
    public async Task The_configured_model_info_temperature_is_sent_and_0_is_left_to_the_server_as_cline_does(double configured, double? sent)
    {
        var body = await BodyAsync(o => { o.ModelId = "my-model"; o.ModelInfo = new ModelInfo { Temperature = configured }; });

        Assert.Equal(sent, (double?)body["temperature"]);
    }

    [Fact]
    public async Task Without_a_configured_temperature_0_is_sent_and_the_gpt_5_chat_models_get_the_only_one_they_take()
    {
        var plain = await BodyAsync(o => o.ModelId = "my-model");
        var chatLatest = await BodyAsync(o => o.ModelId = "gpt-5.2-chat-latest");

        Assert.Equal(0, (double?)plain["temperature"]);
        Assert.Equal(1, (double?)chatLatest["temperature"]);
        Assert.Null(chatLatest["reasoning_effort"]);
    }

    [Fact]
    public async Task IsR1FormatRequired_sends_the_r1_message_format()
    {
        var body = await BodyAsync(o => { o.ModelId = "my-r1-distill"; o.ModelInfo = new ModelInfo { IsR1FormatRequired = true }; });

        AssertJsonEqual("""[{"role":"user","content":"sys\nHi"}]""", body["messages"]!);
    }

    [Fact]
    public async Task A_deployment_whose_info_says_it_takes_a_reasoning_effort_gets_no_temperature()
    {
        var body = await BodyAsync(o =>
        {
            o.ModelId = "prod-deployment";
            o.AzureApiVersion = "2025-04-01-preview";
            o.ModelInfo = new ModelInfo { SupportsReasoningEffort = true };
            o.ReasoningEffort = "low";
        });

        Assert.Null(body["temperature"]);
        Assert.Equal("low", (string?)body["reasoning_effort"]);
        Assert.Equal("developer", (string?)body["messages"]![0]!["role"]);
    }

    [Fact]
    public async Task On_azure_a_reasoning_deployment_is_sent_no_temperature_and_the_key_as_api_key()
    {
        var request = await SendAsync(o => { o.ModelId = "o4-mini"; o.AzureApiVersion = "2024-12-01-preview"; });
        var body = JsonNode.Parse(request.Body)!;

        Assert.Equal("/v1/openai/deployments/o4-mini/chat/completions?api-version=2024-12-01-preview", request.PathAndQuery);
        Assert.Equal(Key, request.Headers["api-key"]);
        Assert.Null(body["temperature"]);
        Assert.Equal("medium", (string?)body["reasoning_effort"]);
    }

    [Theory]
    [InlineData("https://my-res.openai.azure.com", "gpt-4o", true)]
    [InlineData("https://my-res.services.ai.azure.com/models", "gpt-4o", true)]
    [InlineData("https://my-res.openai.azure.us", "gpt-4o", true)]
    [InlineData("https://my-res.cognitiveservices.azure.us/", "gpt-4o", true)]
    [InlineData("https://my-res.services.ai.azure.com/models", "DeepSeek-R1", false)]
    [InlineData("https://notazure.com/v1", "gpt-4o", false)]
    [InlineData("https://example.com/azure.com/v1", "gpt-4o", false)]
    public void Azure_is_any_azure_com_or_azure_us_host_except_for_deepseek_models(string baseUrl, string model, bool azure) =>
        Assert.Equal(azure, OpenAiEndpoint.Resolve(new OpenAiOptions { BaseUrl = new Uri(baseUrl) }, model, responsesApi: false).IsAzure);

    [Fact]
    public void Azure_api_version_makes_even_a_deepseek_model_azure() =>
        Assert.True(OpenAiEndpoint.Resolve(new OpenAiOptions { BaseUrl = new Uri("https://x.services.ai.azure.com"), AzureApiVersion = "2024-10-21" }, "DeepSeek-R1", responsesApi: false).IsAzure);

    private static void AssertJsonEqual(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual.ToJsonString());
}

public class OpenAiModelInfoSettingsTests
{
    [Fact]
    public async Task A_cline_model_info_from_settings_is_honoured_temperature_r1_format_and_tiered_prices()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.OpenAiChatChunks("openai-chat/mistral-text.chunks.txt"));
        var settings = ProviderSettings.Parse($$"""
            {
              "actModeApiProvider": "openai",
              "openAiApiKey": "{{Key}}",
              "openAiBaseUrl": "{{server.BaseUri}}v1",
              "actModeOpenAiModelId": "my-r1",
              "actModeOpenAiModelInfo": {
                "contextWindow": 1000000, "inputPrice": 1, "outputPrice": 2, "temperature": 0.6, "isR1FormatRequired": true,
                "supportsPromptCache": false, "thinkingConfig": {"maxBudget": 1000},
                "tiers": [ {"contextWindow": 10, "inputPrice": 1, "outputPrice": 2}, {"contextWindow": 9007199254740991, "inputPrice": 10, "outputPrice": 20} ]
              }
            }
            """);
        var handler = ProviderRegistry.Build(settings, Mode.Act);

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        var body = JsonNode.Parse(Assert.Single(server.Requests).Body)!;
        Assert.Equal(0.6, (double?)body["temperature"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"role":"user","content":"sys\nHi"}]"""), body["messages"]), body.ToJsonString());
        Assert.Equal(2, handler.GetModel().Info.Tiers!.Count);

        // The recording's 13 prompt tokens are above the first tier's 10: 13 * $10 + 8 * $20 per million.
        Assert.Equal(0.00029m, UsageOf(chunks)!.TotalCost);
    }
}

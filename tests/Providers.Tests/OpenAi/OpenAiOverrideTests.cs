using System.Text.Json.Nodes;
using Providers.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAi;

/// <summary>Per-request overrides (<see cref="IApiHandlerWithOverrides"/>) on the wire.</summary>
public class OpenAiOverrideTests
{
    private const string ChatTail = """ "stream":true,"stream_options":{"include_usage":true} """;

    private static async Task<(RecordedRequest Request, List<ApiStreamChunk> Chunks)> SendAsync(
        RequestOverrides overrides, Action<OpenAiOptions>? configure = null, bool responses = false)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(responses
            ? Fixtures.TypedEventChunks("openai-responses/azure-text.1.chunks.txt")
            : Fixtures.OpenAiChatChunks("openai-chat/mistral-text.chunks.txt"));
        var options = new OpenAiOptions { ApiKey = Key, BaseUrl = new Uri(server.BaseUri, "v1"), UseResponsesApi = responses };
        configure?.Invoke(options);
        IApiHandlerWithOverrides handler = new OpenAiHandler(options);

        var chunks = await CollectAsync(handler.CreateMessageAsync("Be brief.", [ChatMessage.User("Hi")], null, overrides));

        return (Assert.Single(server.Requests), chunks);
    }

    private static void AssertJson(string expected, string actual) => OpenAiRequestTests.AssertJson(expected, actual);

    private static async Task<string> BodyAsync(RequestOverrides overrides, Action<OpenAiOptions>? configure = null, bool responses = false) =>
        (await SendAsync(overrides, configure, responses)).Request.Body;

    private static async Task<Exception?> RefusedAsync(RequestOverrides overrides, string configuredModel)
    {
        await using var server = await ReplayServer.StartAsync();
        IApiHandlerWithOverrides handler = new OpenAiHandler(new OpenAiOptions { ApiKey = Key, BaseUrl = server.BaseUri, ModelId = configuredModel });

        var (_, error) = await StreamCollector.CollectUntilErrorAsync(handler.CreateMessageAsync("", [ChatMessage.User("Hi")], null, overrides));

        Assert.Empty(server.Requests);
        return error;
    }

    [Theory]
    [InlineData(null, RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens | RequestOverrideKinds.Temperature)]
    [InlineData("gpt-4.1", RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens | RequestOverrideKinds.Temperature)]
    [InlineData("llama-3.3-70b", RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens | RequestOverrideKinds.Temperature)]
    [InlineData("o3", RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens | RequestOverrideKinds.ReasoningEffort)]
    [InlineData("gpt-5-mini", RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens | RequestOverrideKinds.ReasoningEffort)]
    public void Reasoning_models_support_the_effort_and_other_models_the_temperature(string? modelId, RequestOverrideKinds expected)
    {
        Assert.Equal(expected, new OpenAiHandler(new OpenAiOptions { ModelId = modelId }).SupportedOverrides);
    }

    [Fact]
    public async Task Without_overrides_the_chat_body_carries_the_configured_model_and_temperature_0()
    {
        var body = await BodyAsync(RequestOverrides.None, o => o.ModelId = "gpt-4.1");

        AssertJson(
            $$"""{"model":"gpt-4.1","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"}]}],"temperature":0,{{ChatTail}}}""",
            body);
    }

    [Fact]
    public async Task The_model_temperature_and_max_tokens_overrides_replace_the_configured_values()
    {
        var body = await BodyAsync(new RequestOverrides { ModelId = "gpt-4o", Temperature = 0.7, MaxOutputTokens = 500 }, o => o.ModelId = "gpt-4.1");

        AssertJson(
            $$"""{"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"}]}],"temperature":0.7,"max_tokens":500,{{ChatTail}}}""",
            body);
    }

    [Theory]
    [InlineData(ReasoningEffort.None, "minimal")]
    [InlineData(ReasoningEffort.Low, "low")]
    [InlineData(ReasoningEffort.Medium, "medium")]
    [InlineData(ReasoningEffort.High, "high")]
    [InlineData(ReasoningEffort.ExtraHigh, "high")]
    public async Task A_reasoning_model_gets_the_overriding_effort_and_max_completion_tokens(ReasoningEffort effort, string wire)
    {
        var body = await BodyAsync(new RequestOverrides { ReasoningEffort = effort, MaxOutputTokens = 2000 }, o => { o.ModelId = "gpt-5"; o.ReasoningEffort = "low"; });

        AssertJson(
            $$"""
            {"model":"gpt-5","messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"}]}],
             "max_completion_tokens":2000,"reasoning_effort":"{{wire}}",{{ChatTail}}}
            """,
            body);
    }

    [Fact]
    public async Task A_model_override_to_a_reasoning_model_gets_its_format_and_the_configured_effort()
    {
        var body = await BodyAsync(new RequestOverrides { ModelId = "o3" }, o => { o.ModelId = "gpt-4.1"; o.ReasoningEffort = "high"; });

        AssertJson(
            $$"""{"model":"o3","messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"}]}],"reasoning_effort":"high",{{ChatTail}}}""",
            body);
    }

    [Fact]
    public async Task The_responses_api_takes_the_overrides_as_max_output_tokens_temperature_and_reasoning_effort()
    {
        var chat = JsonNode.Parse(await BodyAsync(new RequestOverrides { Temperature = 0.5, MaxOutputTokens = 300 }, o => o.ModelId = "gpt-4.1", responses: true))!;
        var reasoning = JsonNode.Parse(await BodyAsync(new RequestOverrides { ReasoningEffort = ReasoningEffort.Low, MaxOutputTokens = 300 }, o => o.ModelId = "gpt-5", responses: true))!;

        Assert.Equal((0.5, 300), ((double)chat["temperature"]!, (int)chat["max_output_tokens"]!));
        Assert.Null(chat["reasoning"]);
        AssertJson("""{"effort":"low","summary":"auto"}""", reasoning["reasoning"]!.ToJsonString());
        Assert.Equal(300, (int)reasoning["max_output_tokens"]!);
        Assert.Null(reasoning["temperature"]);
    }

    [Fact]
    public async Task An_unlisted_override_is_ignored()
    {
        var body = JsonNode.Parse(await BodyAsync(new RequestOverrides { Temperature = 0.9 }, o => o.ModelId = "o3"))!;

        Assert.Null(body["temperature"]);
        Assert.Equal("medium", (string?)body["reasoning_effort"]);
    }

    [Fact]
    public async Task A_temperature_for_an_overriding_reasoning_model_is_refused_before_any_request()
    {
        var error = await RefusedAsync(new RequestOverrides { ModelId = "o3", Temperature = 0.2 }, "gpt-4.1");

        Assert.Contains("'o3' is a reasoning model", Assert.IsType<ArgumentException>(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_effort_for_an_overriding_model_that_does_not_reason_is_refused_before_any_request()
    {
        var error = await RefusedAsync(new RequestOverrides { ModelId = "gpt-4.1", ReasoningEffort = ReasoningEffort.High }, "o3");

        Assert.Equal("overrides", Assert.IsType<ArgumentException>(error).ParamName);
    }

    [Fact]
    public async Task The_configured_model_info_limit_stays_with_the_configured_model()
    {
        void Configure(OpenAiOptions o)
        {
            o.ModelId = "my-llama";
            o.ModelInfo = new ModelInfo { MaxTokens = 5000, InputPrice = 1m, OutputPrice = 1m };
        }

        var configured = JsonNode.Parse(await BodyAsync(RequestOverrides.None, Configure))!;
        var other = JsonNode.Parse(await BodyAsync(new RequestOverrides { ModelId = "my-other-llama" }, Configure))!;

        Assert.Equal(5000, (int)configured["max_tokens"]!);
        Assert.Null(other["max_tokens"]);
    }

    [Fact]
    public async Task The_cost_follows_the_overriding_model_through_the_catalogue_and_an_unknown_id_has_none()
    {
        var (_, configured) = await SendAsync(RequestOverrides.None, o => o.ModelId = "gpt-4.1");
        var (_, mini) = await SendAsync(new RequestOverrides { ModelId = "gpt-4o-mini" }, o => o.ModelId = "gpt-4.1");
        var (_, unknown) = await SendAsync(new RequestOverrides { ModelId = "my-local-llama" }, o => o.ModelId = "gpt-4.1");

        // 13 prompt and 8 completion tokens: gpt-4.1 at $2/$8, gpt-4o-mini at $0.15/$0.60 per million.
        Assert.Equal(0.00009m, Assert.Single(configured.OfType<UsageChunk>()).TotalCost);
        Assert.Equal(0.00000675m, Assert.Single(mini.OfType<UsageChunk>()).TotalCost);
        Assert.Null(Assert.Single(unknown.OfType<UsageChunk>()).TotalCost);
    }

    [Fact]
    public async Task On_azure_the_overriding_model_names_the_deployment()
    {
        var (request, _) = await SendAsync(new RequestOverrides { ModelId = "gpt-4o-deploy" }, o => { o.ModelId = "gpt-41-deploy"; o.AzureApiVersion = "2024-10-21"; });

        Assert.Equal("/v1/openai/deployments/gpt-4o-deploy/chat/completions?api-version=2024-10-21", request.PathAndQuery);
        Assert.Equal(Key, request.Headers["api-key"]);
    }

    [Fact]
    public async Task One_handler_sends_each_request_where_its_model_and_the_options_of_that_moment_say()
    {
        // The handler reuses the last request's endpoint while the model, base URL and API version stay the same: a change
        // to any of them between requests must reach the wire.
        await using var first = await ReplayServer.StartAsync();
        await using var second = await ReplayServer.StartAsync();
        var options = new OpenAiOptions { ApiKey = Key, BaseUrl = new Uri(first.BaseUri, "v1"), ModelId = "gpt-41-deploy", AzureApiVersion = "2024-10-21" };
        IApiHandlerWithOverrides handler = new OpenAiHandler(options);

        async Task SendAsync(ReplayServer server, RequestOverrides overrides)
        {
            server.Enqueue(Fixtures.OpenAiChatChunks("openai-chat/mistral-text.chunks.txt"));
            Assert.NotEmpty(await CollectAsync(handler.CreateMessageAsync("Be brief.", [ChatMessage.User("Hi")], null, overrides)));
        }

        await SendAsync(first, RequestOverrides.None);
        await SendAsync(first, RequestOverrides.None);
        await SendAsync(first, new RequestOverrides { ModelId = "gpt-4o-deploy" });
        options.AzureApiVersion = "2024-12-01-preview";
        await SendAsync(first, new RequestOverrides { ModelId = "gpt-4o-deploy" });
        options.BaseUrl = new Uri(second.BaseUri, "v2");
        await SendAsync(second, new RequestOverrides { ModelId = "gpt-4o-deploy" });
        options.AzureApiVersion = null;
        await SendAsync(second, RequestOverrides.None);

        Assert.Equal(
            [
                "/v1/openai/deployments/gpt-41-deploy/chat/completions?api-version=2024-10-21",
                "/v1/openai/deployments/gpt-41-deploy/chat/completions?api-version=2024-10-21",
                "/v1/openai/deployments/gpt-4o-deploy/chat/completions?api-version=2024-10-21",
                "/v1/openai/deployments/gpt-4o-deploy/chat/completions?api-version=2024-12-01-preview",
            ],
            first.Requests.Select(r => r.PathAndQuery));
        Assert.Equal(
            [
                "/v2/openai/deployments/gpt-4o-deploy/chat/completions?api-version=2024-12-01-preview",
                // No API version and a loopback host: the plain OpenAI shape, with a bearer token.
                "/v2/chat/completions",
            ],
            second.Requests.Select(r => r.PathAndQuery));
        Assert.Equal(Key, second.Requests[0].Headers["api-key"]);
        Assert.Equal("Bearer " + Key, second.Requests[1].Headers["authorization"]);
        Assert.All(first.Requests.Concat(second.Requests), r =>
        {
            Assert.Equal("application/json", r.Headers["content-type"]);
            Assert.Equal("text/event-stream", r.Headers["accept"]);
        });
    }
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Providers.Tests.Replay;
using Providers.Vertex;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Vertex;

public class VertexTests
{
    private const string Token = "ya29.test-TOKEN-0123456789";
    private const string ClaudeText = "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?";

    private static readonly ToolDefinition[] Tools =
    [
        new("get_weather", "Current weather for a city", JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""").RootElement),
    ];

    private static VertexHandler Handler(ReplayServer server, FastRetryClock clock, string model, Action<VertexOptions>? configure = null)
    {
        var options = clock.Attach(new VertexOptions { BaseUrl = server.BaseUri, ProjectId = "my-project", Region = "us-east5", ModelId = model, AccessToken = Token });
        configure?.Invoke(options);
        return new VertexHandler(options);
    }

    private static IAsyncEnumerable<ApiStreamChunk> Ask(IApiHandler handler) =>
        handler.CreateMessageAsync("You are terse.", [ChatMessage.User("Hello")], Tools);

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), actual);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Claude_goes_to_streamRawPredict_with_Anthropics_body_the_vertex_version_and_no_model(bool oneByteAtATime)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        var fixture = Fixtures.TypedEventChunks("anthropic/anthropic-text.chunks.txt");
        server.Enqueue(oneByteAtATime ? fixture.OneByteAtATime() : fixture);

        var chunks = await CollectAsync(Ask(Handler(server, clock, "claude-sonnet-4-5@20250929")));

        Assert.Equal(ClaudeText, Text(chunks));
        Assert.Equal(new UsageChunk(12, 30, 0, 0, TotalCost: 0.000486m), TotalUsage(chunks));
        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict"), (request.Method, request.PathAndQuery));
        Assert.Equal("Bearer " + Token, request.Headers["Authorization"]);
        Assert.False(request.Headers.ContainsKey("x-api-key"));
        Assert.False(request.Headers.ContainsKey("anthropic-version"));
        AssertJson("""
        {
          "anthropic_version": "vertex-2023-10-16",
          "max_tokens": 64000,
          "system": [ { "type": "text", "text": "You are terse.", "cache_control": { "type": "ephemeral" } } ],
          "messages": [ { "role": "user", "content": [ { "type": "text", "text": "Hello", "cache_control": { "type": "ephemeral" } } ] } ],
          "tools": [ { "name": "get_weather", "description": "Current weather for a city", "input_schema": { "type": "object", "properties": { "city": { "type": "string" } } } } ],
          "temperature": 0,
          "stream": true
        }
        """, request.Body);
    }

    [Fact]
    public async Task Claude_with_1m_sends_the_beta_header_and_the_wire_id()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixtures.TypedEventChunks("anthropic/anthropic-text.chunks.txt"));

        var handler = Handler(server, clock, "claude-sonnet-4-6:1m", o => o.ThinkingBudgetTokens = 4000);
        await CollectAsync(Ask(handler));

        Assert.Equal(1_000_000, handler.GetModel().Info.ContextWindow);
        var request = Assert.Single(server.Requests);
        Assert.EndsWith("/publishers/anthropic/models/claude-sonnet-4-6:streamRawPredict", request.PathAndQuery);
        Assert.Equal("context-1m-2025-08-07", request.Headers["anthropic-beta"]);
        var body = JsonNode.Parse(request.Body)!;
        AssertJson("""{ "type": "enabled", "budget_tokens": 4000 }""", body["thinking"]!.ToJsonString());
        Assert.Null(body["model"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Gemini_goes_to_Googles_publisher_with_a_bearer_token_and_the_gemini_body(bool oneByteAtATime)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixtures.Raw("gemini/thinking-tool-calls.sse") is var r && oneByteAtATime ? r.OneByteAtATime() : r);

        var chunks = await CollectAsync(Ask(Handler(server, clock, "gemini-3-pro-preview", o => o.ReasoningEffort = "high")));

        const string Id = "Nc0taJ2fB6Kq1dkP1qSM8Qg";
        Assert.Equal(
        [
            new ReasoningChunk("**Planning the lookup**\n\nThe user wants the weather in two cities, "),
            new ReasoningChunk("so I will call get_weather once for each."),
            new ReasoningChunk("", Signature: "CiQBjz1rX5qk0Zk3c2lnbmF0dXJlLW9uZQ=="),
            new ToolCallChunk($"{Id}-tool-0", $"{Id}-tool-0", "get_weather", """{"city":"Paris","unit":"celsius"}"""),
            new ToolCallChunk($"{Id}-tool-1", $"{Id}-tool-1", "get_weather", """{"city":"London","unit":"celsius"}"""),
            // Vertex's table: $2 in, $12 out, no cache price (cached tokens at the input price).
            new UsageChunk(186, 154, CacheReadTokens: 1024, CacheWriteTokens: 0, ReasoningTokens: 120, TotalCost: 0.004268m),
        ], chunks);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/projects/my-project/locations/us-east5/publishers/google/models/gemini-3-pro-preview:streamGenerateContent?alt=sse", request.PathAndQuery);
        Assert.Equal("Bearer " + Token, request.Headers["Authorization"]);
        Assert.False(request.Headers.ContainsKey("x-goog-api-key"));
        AssertJson("""
        {
          "contents": [ { "role": "user", "parts": [ { "text": "Hello" } ] } ],
          "systemInstruction": { "parts": [ { "text": "You are terse." } ] },
          "tools": [ { "functionDeclarations": [ { "name": "get_weather", "description": "Current weather for a city",
            "parametersJsonSchema": { "type": "object", "properties": { "city": { "type": "string" } } } } ] } ],
          "generationConfig": { "temperature": 1, "thinkingConfig": { "thinkingLevel": "high", "includeThoughts": true } }
        }
        """, request.Body);
    }

    [Fact]
    public async Task A_model_override_to_Claude_goes_to_Anthropics_endpoint_and_the_token_provider_is_asked_per_request()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixtures.TypedEventChunks("anthropic/anthropic-text.chunks.txt"), Fixtures.Raw("gemini/text.sse"));
        var asked = 0;
        var handler = Handler(server, clock, "gemini-2.5-flash", o => (o.AccessToken, o.AccessTokenProvider) = (null, _ => ValueTask.FromResult($"token-{++asked}")));

        await CollectAsync(handler.CreateMessageAsync("s", [ChatMessage.User("Hello")], null, new RequestOverrides { ModelId = "claude-opus-4-6" }));
        await CollectAsync(Ask(handler));

        Assert.Equal(2, asked);
        Assert.EndsWith("/publishers/anthropic/models/claude-opus-4-6:streamRawPredict", server.Requests[0].PathAndQuery);
        Assert.Equal("Bearer token-1", server.Requests[0].Headers["Authorization"]);
        Assert.Equal(128_000, (int)JsonNode.Parse(server.Requests[0].Body)!["max_tokens"]!);
        Assert.EndsWith("/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse", server.Requests[1].PathAndQuery);
        Assert.Equal("Bearer token-2", server.Requests[1].Headers["Authorization"]);
    }

    [Fact]
    public async Task Claude_429_is_retried_by_the_vertex_handler_and_a_401_never_shows_the_token()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(
            ReplayResponse.Json(429, """{"type":"error","error":{"type":"rate_limit_error","message":"Too many requests"}}""", new Dictionary<string, string> { ["Retry-After"] = "2" }),
            Fixtures.TypedEventChunks("anthropic/anthropic-text.chunks.txt"),
            ReplayResponse.Json(401, $$$"""{"error":{"code":401,"message":"Request had invalid authentication credentials {{{Token}}}.","status":"UNAUTHENTICATED"}}"""));
        var handler = Handler(server, clock, "claude-sonnet-4-5@20250929");

        Assert.Equal(ClaudeText, Text(await CollectAsync(Ask(handler))));
        Assert.Equal(TimeSpan.FromSeconds(2), Assert.Single(clock.Retries).Delay);

        var (_, error) = await CollectUntilErrorAsync(Ask(handler));
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal((HttpStatusCode.Unauthorized, "vertex"), (ex.StatusCode, ex.ProviderId));
        Assert.DoesNotContain(Token, ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_gemini_error_on_vertex_maps_the_google_status()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(ReplayResponse.Json(403, """[{"error":{"code":403,"message":"Permission 'aiplatform.endpoints.predict' denied on resource.","status":"PERMISSION_DENIED"}}]"""));

        var (_, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock, "gemini-2.5-pro")));

        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal((HttpStatusCode.Forbidden, "permission_denied", false), (ex.StatusCode, ex.ErrorType, ex.IsRetryable));
        Assert.Contains("aiplatform.endpoints.predict", ex.Message);
    }

    [Theory]
    [InlineData("us-east5", "https://us-east5-aiplatform.googleapis.com/")]
    [InlineData("global", "https://aiplatform.googleapis.com/")]
    public void The_default_host_is_regional_except_for_global(string region, string root) =>
        Assert.Equal(new Uri(root), VertexHandler.DefaultRoot(region));

    [Fact]
    public void Settings_bind_from_Clines_keys_and_bad_ones_are_named()
    {
        var settings = ProviderSettings.Parse("""
        {
          "actModeApiProvider": "vertex", "planModeApiProvider": "vertex",
          "vertexProjectId": "my-project", "vertexRegion": "europe-west1", "vertexAccessToken": "ya29.x",
          "actModeApiModelId": "claude-opus-4-5@20251101", "planModeApiModelId": "gemini-2.5-pro", "actModeThinkingBudgetTokens": 2048
        }
        """);

        Assert.Equal(("claude-opus-4-5@20251101", 64_000), (ProviderRegistry.Build(settings, Mode.Act).GetModel().Id, ProviderRegistry.Build(settings, Mode.Act).GetModel().Info.MaxTokens ?? 0));
        Assert.Equal("gemini-2.5-pro", ProviderRegistry.Build(settings, Mode.Plan).GetModel().Id);

        var bad = Assert.Throws<ProviderConfigurationException>(() => new VertexHandler(new VertexOptions { ProjectId = "p", Region = "evil.example/x" }));
        Assert.Equal(["vertexRegion", "vertexAccessToken"], bad.Keys);
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Providers.SapAiCore;
using Providers.Tests.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.SapAiCore;

/// <summary>
/// The <c>sapaicore</c> provider against two servers on 127.0.0.1: a token server (OAuth client credentials) and the
/// AI API (deployment list and inference), replaying answers written from SAP AI Core's and the model vendors' formats.
/// </summary>
public sealed class SapAiCoreTests
{
    public const string ClientId = "sb-0a1b2c3d!b1234|aicore!b540";
    public const string AccessToken = "eyJhbGciOiJSUzI1NiJ9.sap-test-access-token";
    private const string ClaudeDeployment = "d9f8e7d6c5b4a321";

    private static readonly ReplayResponse Token = ReplayResponse.Json(200, Fixtures.Text("sapaicore/token.json"));
    private static readonly ReplayResponse Deployments = ReplayResponse.Json(200, Fixtures.Text("sapaicore/deployments.json"));

    internal static SapAiCoreOptions Options(Uri tokenServer, Uri apiServer, string model, string? deployment = null, string secret = Key) => new()
    {
        ClientId = ClientId,
        ClientSecret = secret,
        TokenUrl = tokenServer,
        BaseUrl = apiServer,
        ModelId = model,
        DeploymentId = deployment,
    };

    private static ReplayResponse Fixture(string name, bool oneByte)
    {
        var response = Fixtures.Raw("sapaicore/" + name);
        return oneByte ? response.OneByteAtATime() : response;
    }

    private static readonly IReadOnlyList<ChatMessage> Question = [ChatMessage.User("List the files in src.")];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Claude_4_gets_a_token_finds_its_deployment_and_streams_converse_events(bool oneByte)
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        api.Enqueue(Deployments, Fixture("converse-stream.sse", oneByte));

        var chunks = await CollectAsync(new SapAiCoreHandler(Options(tokens.BaseUri, api.BaseUri, "anthropic--claude-4-sonnet")).CreateMessageAsync("You are terse.", Question));

        const string Call = "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q";
        Assert.Equal<ApiStreamChunk>(
        [
            new ReasoningChunk("The user wants the files."),
            new ReasoningChunk("", Signature: "EqQBCkYIBxgCKkBsig=="),
            new TextChunk("Listing "),
            new TextChunk("src."),
            new ToolCallChunk(Call, Call, "list_files", ""),
            new ToolCallChunk(Call, Call, "list_files", "{\"path\":"),
            new ToolCallChunk(Call, Call, "list_files", "\"src\"}"),
            new UsageChunk(412, 58, 1200, 0),
        ],
            chunks);

        var token = Assert.Single(tokens.Requests);
        Assert.Equal("POST", token.Method);
        Assert.Equal("/oauth/token", token.PathAndQuery);
        Assert.Equal("application/x-www-form-urlencoded", token.Headers["Content-Type"]);
        Assert.Equal("grant_type=client_credentials&client_id=" + Uri.EscapeDataString(ClientId) + "&client_secret=" + Uri.EscapeDataString(Key), token.Body);

        Assert.Equal(2, api.Requests.Count);
        var list = api.Requests[0];
        Assert.Equal("GET", list.Method);
        Assert.Equal("/v2/lm/deployments?$top=10000&$skip=0", list.PathAndQuery);
        Assert.Equal("Bearer " + AccessToken, list.Headers["Authorization"]);
        Assert.Equal("default", list.Headers["AI-Resource-Group"]);

        var inference = api.Requests[1];
        Assert.Equal($"/v2/inference/deployments/{ClaudeDeployment}/converse-stream", inference.PathAndQuery);
        Assert.Equal("Bearer " + AccessToken, inference.Headers["Authorization"]);
        Assert.Equal("default", inference.Headers["AI-Resource-Group"]);
        Assert.Equal("Cline", inference.Headers["AI-Client-Type"]);
        Assert.Equal("application/json", inference.Headers["Content-Type"]);
        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"List the files in src."},{"cachePoint":{"type":"default"}}]}],"system":[{"text":"You are terse."},{"cachePoint":{"type":"default"}}],"inferenceConfig":{"maxTokens":64000,"temperature":0}}""",
            inference.Body);
    }

    [Fact]
    public async Task The_token_and_the_deployment_are_reused_until_the_token_nears_expiry_then_fetched_again()
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token, Token);
        api.Enqueue(Deployments, Fixture("converse-stream.sse", false), Fixture("converse-stream.sse", false), Fixture("converse-stream.sse", false));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Options(tokens.BaseUri, api.BaseUri, "anthropic--claude-4-sonnet");
        options.TimeProvider = time;
        var handler = new SapAiCoreHandler(options);

        await CollectAsync(handler.CreateMessageAsync("", Question));
        time.Advance(TimeSpan.FromSeconds(43199 - 61));
        await CollectAsync(handler.CreateMessageAsync("", Question));
        Assert.Single(tokens.Requests);

        // Within a minute of expires_in (43199 s) a new token is fetched before the request.
        time.Advance(TimeSpan.FromSeconds(2));
        await CollectAsync(handler.CreateMessageAsync("", Question));

        Assert.Equal(2, tokens.Requests.Count);
        Assert.Equal(4, api.Requests.Count);
        Assert.Single(api.Requests, r => r.PathAndQuery.StartsWith("/v2/lm/deployments", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(400)]
    public async Task Refused_client_credentials_fail_once_naming_the_settings_and_never_the_secret(int status)
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(ReplayResponse.Json(status, $$"""{"error":"unauthorized","error_description":"Bad credentials for {{Key}}"}"""));

        var (chunks, error) = await CollectUntilErrorAsync(new SapAiCoreHandler(Options(tokens.BaseUri, api.BaseUri, "gpt-4o", "d1")).CreateMessageAsync("", Question));

        Assert.Empty(chunks);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.Contains("'sapAiCoreClientId'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'sapAiCoreClientSecret'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'sapAiCoreTokenUrl'", error.Message, StringComparison.Ordinal);
        AssertNoKey(error);
        Assert.Single(tokens.Requests);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task A_model_without_a_running_deployment_fails_naming_the_deployment_settings()
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        api.Enqueue(Deployments);

        var (_, error) = await CollectUntilErrorAsync(new SapAiCoreHandler(Options(tokens.BaseUri, api.BaseUri, "anthropic--claude-4-opus")).CreateMessageAsync("", Question));

        Assert.Equal("no_deployment", error.ErrorType);
        Assert.False(error.IsRetryable);
        Assert.Contains("'anthropic--claude-4-opus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'planModeSapAiCoreDeploymentId'", error.Message, StringComparison.Ordinal);
        Assert.Single(api.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Claude_3_5_streams_anthropic_events_from_invoke_with_response_stream(bool oneByte)
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        api.Enqueue(Fixture("invoke-stream.sse", oneByte));
        var options = Options(tokens.BaseUri, api.BaseUri, "anthropic--claude-3.5-sonnet", "dep-35");
        options.ResourceGroup = "team-a";

        var chunks = await CollectAsync(new SapAiCoreHandler(options).CreateMessageAsync("You are terse.", [ChatMessage.User("Hi")]));

        Assert.Equal("Hello!", TextOf(chunks));
        var usage = StreamCollector.TotalUsage(chunks)!;
        Assert.Equal((25L, 15L), (usage.InputTokens, usage.OutputTokens));
        var request = Assert.Single(api.Requests);
        Assert.Equal("/v2/inference/deployments/dep-35/invoke-with-response-stream", request.PathAndQuery);
        Assert.Equal("team-a", request.Headers["AI-Resource-Group"]);
        Assert.Equal("Bearer " + AccessToken, request.Headers["Authorization"]);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("bedrock-2023-05-31", body.RootElement.GetProperty("anthropic_version").GetString());
        Assert.Equal(8192, body.RootElement.GetProperty("max_tokens").GetInt32());
        Assert.False(body.RootElement.TryGetProperty("model", out _));
        Assert.Equal("""[{"role":"user","content":[{"type":"text","text":"Hi"}]}]""", body.RootElement.GetProperty("messages").GetRawText());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_openai_model_streams_chat_completions_with_the_api_version_and_its_deployment(bool oneByte)
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        api.Enqueue(Deployments, Fixture("chat-stream.sse", oneByte));

        var chunks = await CollectAsync(new SapAiCoreHandler(Options(tokens.BaseUri, api.BaseUri, "gpt-4o")).CreateMessageAsync("You are terse.", [ChatMessage.User("Hi")]));

        Assert.Equal<ApiStreamChunk>([new TextChunk("Hello"), new TextChunk(" there."), new UsageChunk(19, 3, null, null, null, null)], chunks);
        var request = api.Requests[1];
        Assert.Equal("/v2/inference/deployments/d1a2b3c4d5e6f7a8/chat/completions?api-version=2024-12-01-preview", request.PathAndQuery);
        Assert.Equal(
            """{"model":"gpt-4o","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":[{"type":"text","text":"Hi"}]}],"temperature":0,"max_tokens":4096,"stream":true,"stream_options":{"include_usage":true}}""",
            request.Body);
    }

    [Fact]
    public void An_openai_reasoning_model_sends_its_effort_and_neither_max_tokens_nor_temperature()
    {
        var options = Options(new Uri("http://127.0.0.1:9/"), new Uri("http://127.0.0.1:9/"), "gpt-5", "d");
        options.ReasoningEffort = "High";
        var body = new SapAiCoreHandler(options).ChatBody("sys", [ChatMessage.User("Hi")], null);

        Assert.Null(body.MaxTokens);
        Assert.Null(body.Temperature);
        Assert.Equal("high", body.ReasoningEffort);
    }

    [Fact]
    public async Task The_second_turn_sends_back_the_reasoning_signature_the_tool_call_and_its_result()
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        api.Enqueue(Fixture("converse-stream.sse", false), Fixture("converse-stream.sse", false));
        var handler = new SapAiCoreHandler(Options(tokens.BaseUri, api.BaseUri, "anthropic--claude-3.7-sonnet", "dep-37"));
        var history = new List<ChatMessage>(Question);

        var answer = new AssistantMessageBuilder();
        await foreach (var chunk in handler.CreateMessageAsync("You are terse.", history))
        {
            answer.Add(chunk);
        }

        history.Add(answer.Build()!);
        history.Add(new ChatMessage(ChatRole.User, answer.ToolCalls.Select(c => (ContentBlock)new ToolResultBlock(c.Id, "a.cs\nb.cs")).ToList()));
        await CollectAsync(handler.CreateMessageAsync("You are terse.", history));

        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"List the files in src."},{"cachePoint":{"type":"default"}}]},{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"The user wants the files.","signature":"EqQBCkYIBxgCKkBsig=="}}},{"text":"Listing src."},{"toolUse":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","name":"list_files","input":{"path":"src"}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","content":[{"text":"a.cs\nb.cs"}],"status":"success"}},{"cachePoint":{"type":"default"}}]}],"system":[{"text":"You are terse."},{"cachePoint":{"type":"default"}}],"inferenceConfig":{"maxTokens":64000,"temperature":0}}""",
            api.Requests[1].Body);
    }

    [Fact]
    public void Settings_bind_under_cline_s_keys_and_every_missing_credential_is_named()
    {
        var settings = ProviderSettings.Parse($$"""
            {
              "planModeApiProvider": "sapaicore",
              "sapAiCoreClientId": "{{ClientId}}",
              "sapAiCoreClientSecret": "{{Key}}",
              "sapAiCoreTokenUrl": "https://tenant.authentication.eu10.hana.ondemand.com",
              "sapAiCoreBaseUrl": "https://api.ai.prod.eu-central-1.aws.ml.hana.ondemand.com",
              "sapAiResourceGroup": "team-a",
              "planModeApiModelId": "gpt-4.1",
              "planModeSapAiCoreDeploymentId": "d42",
              "sapAiCoreUseOrchestrationMode": false
            }
            """);
        var handler = Assert.IsType<SapAiCoreHandler>(ProviderRegistry.Build(settings, Mode.Plan));
        Assert.Equal("gpt-4.1", handler.GetModel().Id);
        Assert.Equal(1_047_576, handler.GetModel().Info.ContextWindow);
        Assert.Equal(32_768, handler.GetModel().Info.MaxTokens);

        var missing = Assert.Throws<ProviderConfigurationException>(() => ProviderRegistry.Build(ProviderSettings.Parse("""{ "actModeApiProvider": "sapaicore" }"""), Mode.Act));
        Assert.Equal(["sapAiCoreBaseUrl", "sapAiCoreClientId", "sapAiCoreClientSecret", "sapAiCoreTokenUrl"], missing.Keys.Order(StringComparer.Ordinal));
        var secret = Assert.Single(Assert.Single(ProviderRegistry.Providers, p => p.Id == "sapaicore").Settings, s => s.PlanModeKey == "sapAiCoreClientSecret");
        Assert.True(secret.IsSecret);
    }

    [Fact]
    public void The_default_model_is_cline_s()
    {
        var options = Options(new Uri("http://127.0.0.1:9/"), new Uri("http://127.0.0.1:9/"), "");
        Assert.Equal("anthropic--claude-3.5-sonnet", new SapAiCoreHandler(options).GetModel().Id);
    }

    [Fact]
    public async Task A_token_the_api_refuses_is_dropped_so_the_next_request_fetches_a_new_one()
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token, Token);
        api.Enqueue(ReplayResponse.Json(401, """{"error":"invalid_token"}"""), Fixture("chat-stream.sse", false));
        var handler = new SapAiCoreHandler(Options(tokens.BaseUri, api.BaseUri, "gpt-4o", "dep"));

        var (_, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("", Question));
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("Hello there.", TextOf(await CollectAsync(handler.CreateMessageAsync("", Question))));

        Assert.Equal(2, tokens.Requests.Count);
    }

    [Fact]
    public async Task A_token_url_that_already_names_the_token_endpoint_is_used_as_it_is()
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        api.Enqueue(Fixture("chat-stream.sse", false));

        await CollectAsync(new SapAiCoreHandler(Options(new Uri(tokens.BaseUri, "oauth/token"), api.BaseUri, "sonar-pro", "dep-sonar")).CreateMessageAsync("", Question));

        Assert.Equal("/oauth/token", Assert.Single(tokens.Requests).PathAndQuery);
        var request = Assert.Single(api.Requests);
        Assert.Equal("/v2/inference/deployments/dep-sonar/chat/completions", request.PathAndQuery);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("sonar-pro", body.RootElement.GetProperty("model").GetString());
        Assert.False(body.RootElement.TryGetProperty("max_tokens", out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_gemini_model_streams_generate_content_without_thinking(bool oneByte)
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        var stream = Fixtures.Raw("gemini/text.sse");
        api.Enqueue(oneByte ? stream.OneByteAtATime() : stream);

        var chunks = await CollectAsync(new SapAiCoreHandler(Options(tokens.BaseUri, api.BaseUri, "gemini-2.5-pro", "dep-gem")).CreateMessageAsync("You are terse.", [ChatMessage.User("Hi")]));

        Assert.NotEmpty(TextOf(chunks));
        Assert.NotNull(StreamCollector.TotalUsage(chunks));
        var request = Assert.Single(api.Requests);
        Assert.Equal("/v2/inference/deployments/dep-gem/models/gemini-2.5-pro:streamGenerateContent", request.PathAndQuery);
        Assert.Equal("Bearer " + AccessToken, request.Headers["Authorization"]);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("""{"temperature":0,"maxOutputTokens":65536}""", body.RootElement.GetProperty("generationConfig").GetRawText());
        Assert.Equal("""{"parts":[{"text":"You are terse."}]}""", body.RootElement.GetProperty("systemInstruction").GetRawText());
    }

    [Theory]
    [InlineData("anthropic--claude-3-haiku", SapAiCoreHandler.Route.Invoke)]
    [InlineData("anthropic--claude-4.5-sonnet", SapAiCoreHandler.Route.Converse)]
    [InlineData("amazon--nova-pro", SapAiCoreHandler.Route.Converse)]
    [InlineData("o3", SapAiCoreHandler.Route.OpenAi)]
    [InlineData("gpt-4.1-nano", SapAiCoreHandler.Route.OpenAi)]
    [InlineData("sonar-pro", SapAiCoreHandler.Route.ChatCompletions)]
    [InlineData("mistralai--mistral-large-instruct", SapAiCoreHandler.Route.ChatCompletions)]
    [InlineData("gemini-2.5-pro", SapAiCoreHandler.Route.Gemini)]
    [InlineData("cohere--command-a-reasoning", SapAiCoreHandler.Route.Unsupported)]
    internal void Each_model_family_takes_cline_s_route(string model, SapAiCoreHandler.Route route) =>
        Assert.Equal(route, SapAiCoreHandler.RouteOf(model));

    [Fact]
    public async Task A_cohere_model_fails_before_any_request_saying_it_is_not_served()
    {
        await using var tokens = await ReplayServer.StartAsync();
        var (_, error) = await CollectUntilErrorAsync(new SapAiCoreHandler(Options(tokens.BaseUri, tokens.BaseUri, "cohere--command-a-reasoning", "d")).CreateMessageAsync("", Question));

        Assert.Equal("unsupported_model", error.ErrorType);
        Assert.Empty(tokens.Requests);
    }
}

/// <summary>A token server shared by the fault matrix: it answers every token request with the same token.</summary>
internal static class SharedTokenServer
{
    private static readonly Lazy<ReplayServer> Server = new(() =>
    {
        var server = ReplayServer.StartAsync().GetAwaiter().GetResult();
        for (var i = 0; i < 500; i++)
        {
            server.Enqueue(ReplayResponse.Json(200, Fixtures.Text("sapaicore/token.json")));
        }

        return server;
    });

    public static Uri BaseUri => Server.Value.BaseUri;
}

/// <summary>The shared fault matrix against the <c>sapaicore</c> provider's Chat Completions route (a configured deployment).</summary>
public sealed class SapAiCoreFaultTests : FaultMatrix
{
    protected override string SuccessText => "Hello there.";

    protected override (IApiHandler Handler, ProviderOptions Options) Create(Uri baseUri)
    {
        var options = SapAiCoreTests.Options(SharedTokenServer.BaseUri, baseUri, "gpt-4o", "dep-gpt");
        return (new SapAiCoreHandler(options), options);
    }

    protected override ReplayResponse Success() => Fixtures.Raw("sapaicore/chat-stream.sse");

    protected override IReadOnlyList<byte[]> OutputParts() =>
    [
        Sse("""{"id":"c1","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}"""),
        Sse("""{"id":"c1","choices":[{"index":0,"delta":{"content":"lo"}}]}"""),
    ];

    protected override IReadOnlyList<byte[]> TerminatorParts() => [Sse("[DONE]")];

    protected override byte[] ErrorEvent() => Sse("""{"id":"c1","error":{"code":"server_error","message":"upstream fell over"}}""");
}

using System.Net;
using System.Text;
using Providers.SapAiCore;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.SapAiCore;

/// <summary>
/// <c>sapaicore</c> in Cline's orchestration mode (<c>sapAiCoreUseOrchestrationMode</c>), against a token server and an
/// AI API on 127.0.0.1: the orchestration deployment from <c>/v2/lm/deployments</c>, then the orchestration service's
/// <c>/v2/completion</c> stream, replaying fixtures written from SAP's documented format.
/// </summary>
public sealed class SapAiCoreOrchestrationTests
{
    private const string OrchestrationDeployment = "d0rch3str4t10n01";
    private const string CompletionPath = "/v2/inference/deployments/" + OrchestrationDeployment + "/v2/completion";

    private static readonly ReplayResponse Token = ReplayResponse.Json(200, Fixtures.Text("sapaicore/token.json"));
    private static readonly ReplayResponse WithOrchestration = ReplayResponse.Json(200, Fixtures.Text("sapaicore/deployments-orchestration.json"));
    private static readonly IReadOnlyList<ChatMessage> Question = [ChatMessage.User("List the files in src.")];
    private static readonly IReadOnlyList<ToolDefinition> Tools =
        [new ToolDefinition("list_files", "Lists a folder", Json("""{"type":"object","properties":{"path":{"type":"string"}}}"""))];

    private static SapAiCoreOptions Orchestrated(Uri tokens, Uri api, string model = "gpt-4o", string? deployment = null)
    {
        var options = SapAiCoreTests.Options(tokens, api, model, deployment);
        options.UseOrchestrationMode = true;
        return options;
    }

    private static ReplayResponse Stream(string name, bool oneByte)
    {
        var response = Fixtures.Raw("sapaicore/" + name);
        return oneByte ? response.OneByteAtATime() : response;
    }

    private static ReplayResponse Sse(string text) => new() { Parts = [Encoding.UTF8.GetBytes(text)] };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Streams_text_and_usage_from_the_orchestration_deployment_with_cline_s_request(bool oneByte)
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        api.Enqueue(WithOrchestration, Stream("orchestration-stream.sse", oneByte));

        // A configured deployment id is the model's, so orchestration mode does not use it.
        var handler = new SapAiCoreHandler(Orchestrated(tokens.BaseUri, api.BaseUri, deployment: "d1a2b3c4d5e6f7a8"));
        var chunks = await CollectAsync(handler.CreateMessageAsync("You are terse.", Question));

        Assert.Equal<ApiStreamChunk>(
            [new TextChunk("Hello"), new TextChunk(" there."), new UsageChunk(21, 3)],
            chunks);
        Assert.Equal(2, api.Requests.Count);
        Assert.Equal("/v2/lm/deployments?$top=10000&$skip=0", api.Requests[0].PathAndQuery);
        var completion = api.Requests[1];
        Assert.Equal("POST", completion.Method);
        Assert.Equal(CompletionPath, completion.PathAndQuery);
        Assert.Equal("Bearer " + SapAiCoreTests.AccessToken, completion.Headers["Authorization"]);
        Assert.Equal("default", completion.Headers["AI-Resource-Group"]);
        Assert.Equal("Cline", completion.Headers["AI-Client-Type"]);
        Assert.Equal("application/json", completion.Headers["Content-Type"]);
        Assert.Equal(
            """{"config":{"stream":{"enabled":true},"modules":{"prompt_templating":{"model":{"name":"gpt-4o","params":{"stream_options":{"include_usage":true}}},"prompt":{"template":[{"role":"system","content":"You are terse."}]}}}},"messages_history":[{"role":"user","content":[{"type":"text","text":"List the files in src."}]}]}""",
            completion.Body);
    }

    [Fact]
    public async Task A_tool_call_round_trips_through_the_builder_and_the_second_request_carries_the_call_and_its_result()
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        api.Enqueue(WithOrchestration, Stream("orchestration-tools.sse", false), Stream("orchestration-stream.sse", false));
        var handler = new SapAiCoreHandler(Orchestrated(tokens.BaseUri, api.BaseUri, "anthropic--claude-4-sonnet"));
        List<ChatMessage> history = [.. Question];

        var builder = new AssistantMessageBuilder();
        var first = new List<ApiStreamChunk>();
        await foreach (var chunk in handler.CreateMessageAsync("sys", history, Tools))
        {
            first.Add(chunk);
            builder.Add(chunk);
        }

        const string Call = "call_Q3rT8vLm2XnB5kPw9ZyA1cDe";
        Assert.Equal<ApiStreamChunk>(
        [
            new ToolCallChunk(Call, Call, "list_files", ""),
            new ToolCallChunk(Call, Call, "list_files", "{\"path\":"),
            new ToolCallChunk(Call, Call, "list_files", "\"src\"}"),
            new UsageChunk(88, 17),
        ],
            first);
        history.Add(builder.Build()!);
        history.Add(new ChatMessage(ChatRole.User, [new ToolResultBlock(Call, "a.cs\nb.cs")]));

        Assert.Equal("Hello there.", TextOf(await CollectAsync(handler.CreateMessageAsync("sys", history, Tools))));

        Assert.Equal(3, api.Requests.Count);
        Assert.Single(api.Requests, r => r.PathAndQuery.StartsWith("/v2/lm/deployments", StringComparison.Ordinal));
        Assert.Equal(CompletionPath, api.Requests[2].PathAndQuery);
        Assert.Equal(
            """{"config":{"stream":{"enabled":true},"modules":{"prompt_templating":{"model":{"name":"anthropic--claude-4-sonnet","params":{"stream_options":{"include_usage":true}}},"prompt":{"template":[{"role":"system","content":"sys"}],"tools":[{"type":"function","function":{"name":"list_files","description":"Lists a folder","parameters":{"type":"object","properties":{"path":{"type":"string"}}}}}]}}}},"messages_history":[{"role":"user","content":[{"type":"text","text":"List the files in src."}]},{"role":"assistant","content":null,"tool_calls":[{"id":"call_Q3rT8vLm2XnB5kPw9ZyA1cDe","type":"function","function":{"name":"list_files","arguments":"{\u0022path\u0022:\u0022src\u0022}"}}]},{"role":"tool","content":"a.cs\nb.cs","tool_call_id":"call_Q3rT8vLm2XnB5kPw9ZyA1cDe"}]}""",
            api.Requests[2].Body);
    }

    [Fact]
    public async Task Without_a_running_orchestration_deployment_the_error_says_what_to_do_and_nothing_is_sent()
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        api.Enqueue(ReplayResponse.Json(200, Fixtures.Text("sapaicore/deployments.json")));

        var (chunks, error) = await CollectUntilErrorAsync(new SapAiCoreHandler(Orchestrated(tokens.BaseUri, api.BaseUri)).CreateMessageAsync("", Question));

        Assert.Empty(chunks);
        Assert.Equal("no_orchestration_deployment", error.ErrorType);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.Contains("no running orchestration deployment in resource group 'default'", error.Message, StringComparison.Ordinal);
        Assert.Contains("scenario 'orchestration'", error.Message, StringComparison.Ordinal);
        Assert.Contains("set 'sapAiCoreUseOrchestrationMode' to false", error.Message, StringComparison.Ordinal);
        Assert.Single(api.Requests);
    }

    [Fact]
    public async Task A_stream_cut_off_before_its_end_fails_after_the_text_it_delivered()
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        var full = Fixtures.Text("sapaicore/orchestration-stream.sse");
        var cut = full[..full.IndexOf(" there.", StringComparison.Ordinal)];
        cut = cut[..(cut.LastIndexOf("\n\n", StringComparison.Ordinal) + 2)];
        api.Enqueue(WithOrchestration, Sse(cut));

        var (chunks, error) = await CollectUntilErrorAsync(new SapAiCoreHandler(Orchestrated(tokens.BaseUri, api.BaseUri)).CreateMessageAsync("", Question));

        Assert.Equal<ApiStreamChunk>([new TextChunk("Hello")], chunks);
        Assert.Contains("[DONE]", error.Message, StringComparison.Ordinal);
        Assert.True(error.OutputStarted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_error_event_ends_the_stream_with_the_service_s_code_and_message(bool oneByte)
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        api.Enqueue(WithOrchestration, Stream("orchestration-error.sse", oneByte));

        var (chunks, error) = await CollectUntilErrorAsync(new SapAiCoreHandler(Orchestrated(tokens.BaseUri, api.BaseUri)).CreateMessageAsync("", Question));

        Assert.Equal<ApiStreamChunk>([new TextChunk("Hel")], chunks);
        Assert.Equal("orchestration_429", error.ErrorType);
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(
            "SAP AI Core's orchestration service reported an error 429 in LLM Module: Rate limit of the LLM module exceeded for gpt-4o.",
            error.Message);
        Assert.Equal(2, api.Requests.Count);
    }

    [Fact]
    public async Task Secrets_in_an_error_event_or_an_error_answer_are_redacted()
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        api.Enqueue(
            WithOrchestration,
            Sse($$"""
                data: {"error":[{"request_id":"r1","code":400,"message":"Bearer {{SapAiCoreTests.AccessToken}} may not call {{Key}}","location":"Input Parameters"}] }


                """),
            ReplayResponse.Json(403, $$$"""{"error":{"request_id":"r2","code":403,"message":"upstream saw {{{SapAiCoreTests.AccessToken}}}","location":"LLM Module"}}"""));
        var handler = new SapAiCoreHandler(Orchestrated(tokens.BaseUri, api.BaseUri));

        var (_, inStream) = await CollectUntilErrorAsync(handler.CreateMessageAsync("", Question));
        var (_, answered) = await CollectUntilErrorAsync(handler.CreateMessageAsync("", Question));

        Assert.Equal("orchestration_400", inStream.ErrorType);
        Assert.False(inStream.IsRetryable);
        Assert.Contains("in Input Parameters", inStream.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, answered.StatusCode);
        Assert.Contains("upstream saw", answered.Message, StringComparison.Ordinal);
        foreach (var error in new[] { inStream, answered })
        {
            Assert.DoesNotContain(SapAiCoreTests.AccessToken, error.ToString(), StringComparison.Ordinal);
            AssertNoKey(error);
        }
    }

    [Fact]
    public void Cline_s_switch_binds_from_settings()
    {
        var settings = ProviderSettings.Parse("""
            {
              "actModeApiProvider": "sapaicore",
              "sapAiCoreClientId": "id",
              "sapAiCoreClientSecret": "secret",
              "sapAiCoreTokenUrl": "https://tenant.authentication.eu10.hana.ondemand.com",
              "sapAiCoreBaseUrl": "https://api.ai.prod.eu-central-1.aws.ml.hana.ondemand.com",
              "sapAiCoreUseOrchestrationMode": true
            }
            """);

        var options = Generated.ProvidersProviderFactories.BindSapaicoreOptions(settings, Mode.Act);

        Assert.True(options.UseOrchestrationMode);
    }

    [Fact]
    public async Task Unset_the_switch_is_cline_s_default_on_when_an_orchestration_deployment_is_running()
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        api.Enqueue(WithOrchestration, Stream("orchestration-stream.sse", false), Stream("orchestration-stream.sse", false));

        var handler = new SapAiCoreHandler(SapAiCoreTests.Options(tokens.BaseUri, api.BaseUri, "gpt-4o"));
        Assert.Equal("Hello there.", TextOf(await CollectAsync(handler.CreateMessageAsync("You are terse.", Question))));
        Assert.Equal("Hello there.", TextOf(await CollectAsync(handler.CreateMessageAsync("You are terse.", Question))));

        Assert.Equal(
            ["/v2/lm/deployments?$top=10000&$skip=0", CompletionPath, CompletionPath],
            api.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Unset_the_switch_falls_back_to_the_model_s_deployment_when_no_orchestration_deployment_runs_as_cline_s_settings_screen_does()
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        api.Enqueue(
            ReplayResponse.Json(200, Fixtures.Text("sapaicore/deployments.json")),
            Fixtures.Raw("sapaicore/chat-stream.sse"),
            Fixtures.Raw("sapaicore/chat-stream.sse"));

        var handler = new SapAiCoreHandler(SapAiCoreTests.Options(tokens.BaseUri, api.BaseUri, "gpt-4o"));
        Assert.Equal("Hello there.", TextOf(await CollectAsync(handler.CreateMessageAsync("You are terse.", Question))));
        Assert.Equal("Hello there.", TextOf(await CollectAsync(handler.CreateMessageAsync("You are terse.", Question))));

        // One listing answers both questions, and the answer is kept.
        const string Chat = "/v2/inference/deployments/d1a2b3c4d5e6f7a8/chat/completions?api-version=2024-12-01-preview";
        Assert.Equal(["/v2/lm/deployments?$top=10000&$skip=0", Chat, Chat], api.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Unset_the_switch_with_a_configured_deployment_calls_that_deployment_without_listing()
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(Token);
        api.Enqueue(Fixtures.Raw("sapaicore/chat-stream.sse"));

        var handler = new SapAiCoreHandler(SapAiCoreTests.Options(tokens.BaseUri, api.BaseUri, "gpt-4o", deployment: "d42"));
        Assert.Equal("Hello there.", TextOf(await CollectAsync(handler.CreateMessageAsync("You are terse.", Question))));

        Assert.Equal(["/v2/inference/deployments/d42/chat/completions?api-version=2024-12-01-preview"], api.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public void A_cline_settings_file_without_the_switch_leaves_it_unset()
    {
        var settings = ProviderSettings.Parse("""
            {
              "planModeApiProvider": "sapaicore",
              "sapAiCoreClientId": "id",
              "sapAiCoreClientSecret": "secret",
              "sapAiCoreTokenUrl": "https://tenant.authentication.eu10.hana.ondemand.com",
              "sapAiCoreBaseUrl": "https://api.ai.prod.eu-central-1.aws.ml.hana.ondemand.com"
            }
            """);
        var options = Generated.ProvidersProviderFactories.BindSapaicoreOptions(settings, Mode.Plan);
        Assert.Null(options.UseOrchestrationMode);
    }
}

using System.Net;
using System.Text;
using Providers.Dify;
using Providers.Tests.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.Dify;

/// <summary>The <c>dify</c> provider over real HTTP on 127.0.0.1, replaying streams written from Dify's chat-messages documentation.</summary>
public sealed class DifyTests
{
    private const string ConversationId = "45701982-8118-4bc5-8e9b-64562b4555f2";

    private static ReasoningChunk State(string id) => new("", Details: $$"""{"conversation_id":"{{id}}"}""") { DetailsFormat = DifyHandler.StateFormat };

    internal static DifyHandler Handler(Uri baseUri, RetryClock? clock = null, Action<DifyOptions>? configure = null)
    {
        var options = new DifyOptions { ApiKey = Key, BaseUrl = new Uri(baseUri, "v1") };
        clock?.Attach(options);
        configure?.Invoke(options);
        return new DifyHandler(options);
    }

    private static ReplayResponse Fixture(string name, bool oneByte)
    {
        var response = Fixtures.Raw("dify/" + name);
        return oneByte ? response.OneByteAtATime() : response;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_chat_app_stream_yields_the_answer_deltas_the_conversation_state_and_the_priced_usage(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixture("chat-stream.sse", oneByte));

        var chunks = await CollectAsync(Handler(server.BaseUri).CreateMessageAsync("You are terse.", [ChatMessage.User("Hi")]));

        Assert.Equal<ApiStreamChunk>(
            [new TextChunk(" I"), new TextChunk("'m"), new TextChunk(" glad to meet you! 你好"), State(ConversationId), new UsageChunk(1033, 135, TotalCost: 0.0013030m)],
            chunks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_chatflow_stream_ignores_workflow_and_node_events_and_prices_only_dollars(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixture("chatflow-stream.sse", oneByte));

        var chunks = await CollectAsync(Handler(server.BaseUri).CreateMessageAsync("", [ChatMessage.User("Capital of France?")]));

        // The price is in RMB: the tokens are reported, the cost is not invented.
        Assert.Equal<ApiStreamChunk>(
            [new TextChunk("Paris"), new TextChunk("."), State("c216b6c5-4d25-4c8a-a87f-3a1e1f1e7b43"), new UsageChunk(21, 2)],
            chunks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_agent_stream_yields_agent_message_deltas_and_skips_thoughts_and_files(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixture("agent-stream.sse", oneByte));

        var chunks = await CollectAsync(Handler(server.BaseUri).CreateMessageAsync("", [ChatMessage.User("Draw a cat")]));

        Assert.Equal<ApiStreamChunk>(
            [new TextChunk("I have created"), new TextChunk(" an image."), State("c216c595-2d89-438c-b33c-aae5ddddd142"), new UsageChunk(1033, 135, TotalCost: 0.0013030m)],
            chunks);
    }

    [Fact]
    public async Task An_error_event_is_a_provider_exception_with_dify_s_code_and_status_after_the_output()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixture("error-stream.sse", oneByte: false));

        var (chunks, error) = await CollectUntilErrorAsync(Handler(server.BaseUri).CreateMessageAsync("", [ChatMessage.User("Hi")]));

        Assert.Equal<ApiStreamChunk>([new TextChunk("Partial")], chunks);
        Assert.Equal("completion_request_error", error.ErrorType);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.True(error.OutputStarted);
        Assert.Contains("quota exceeded", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task The_first_request_posts_cline_s_body_with_the_system_prompt_before_the_query()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixture("chat-stream.sse", oneByte: false));

        await CollectAsync(Handler(server.BaseUri).CreateMessageAsync("You are terse.", [ChatMessage.User("Why is the sky blue?")]));

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/chat-messages", request.PathAndQuery);
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.Equal(
            """{"inputs":{},"query":"You are terse.\n\n---\n\nWhy is the sky blue?","response_mode":"streaming","conversation_id":"","user":"cline-user","files":[]}""",
            request.Body);
    }

    [Fact]
    public async Task The_second_turn_continues_the_conversation_and_sends_only_what_was_said_since()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixture("chat-stream.sse", oneByte: false), Fixture("chatflow-stream.sse", oneByte: false));
        var handler = Handler(server.BaseUri, configure: o => o.User = "agent-7");
        var history = new List<ChatMessage> { ChatMessage.User("List the files in src.") };

        var answer = new AssistantMessageBuilder();
        await foreach (var chunk in handler.CreateMessageAsync("You are terse.", history))
        {
            answer.Add(chunk);
        }

        history.Add(answer.Build()!);
        history.Add(new ChatMessage(ChatRole.User, [new ToolResultBlock("call_1", "a.cs\nb.cs"), new TextBlock("Now count them.")]));
        await CollectAsync(handler.CreateMessageAsync("You are terse.", history));

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(
            $$"""{"inputs":{},"query":"[tool result (call_1)] a.cs\nb.cs\nNow count them.","response_mode":"streaming","conversation_id":"{{ConversationId}}","user":"agent-7","files":[]}""",
            server.Requests[1].Body);
    }

    [Fact]
    public void A_history_without_dify_state_starts_a_new_conversation_with_the_whole_transcript()
    {
        var handler = Handler(new Uri("http://127.0.0.1:9/"));
        var body = handler.BuildBody("Be brief.", [ChatMessage.User("Hi"), ChatMessage.Assistant("Hello."), new ChatMessage(ChatRole.User, [new ToolResultBlock("t1", "denied", isError: true)])]);

        Assert.Equal("", body.ConversationId);
        Assert.Equal("Be brief.\n\n---\n\nUser: Hi\n\nAssistant: Hello.\n\nUser: [tool result (t1)] Error: denied", body.Query);
    }

    [Fact]
    public async Task A_replaced_answer_is_the_text_when_nothing_was_shown_and_an_error_after_output()
    {
        await using var server = await ReplayServer.StartAsync();
        const string End = """{"event":"message_end","conversation_id":"c1","metadata":{"usage":{"prompt_tokens":1,"completion_tokens":1}}}""";
        server.Enqueue(
            new ReplayResponse { Parts = [Sse("""{"event":"message_replace","conversation_id":"c1","answer":"[moderated]"}"""), Sse(End)] },
            new ReplayResponse { Parts = [Sse("""{"event":"message","conversation_id":"c1","answer":"Some"}"""), Sse("""{"event":"message_replace","conversation_id":"c1","answer":"[moderated]"}"""), Sse(End)] });
        var handler = Handler(server.BaseUri);

        Assert.Equal<ApiStreamChunk>([new TextChunk("[moderated]"), State("c1"), new UsageChunk(1, 1)], await CollectAsync(handler.CreateMessageAsync("", [ChatMessage.User("Hi")])));

        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("", [ChatMessage.User("Hi")]));
        Assert.Equal<ApiStreamChunk>([new TextChunk("Some")], chunks);
        Assert.Equal("message_replace", error.ErrorType);
        Assert.Contains("[moderated]", error.Message, StringComparison.Ordinal);
        Assert.True(error.OutputStarted);
    }

    [Fact]
    public async Task A_key_echoed_in_an_error_event_is_redacted()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(new ReplayResponse { Parts = [Encoding.UTF8.GetBytes($$"""data: {"event":"error","status":401,"code":"{{Key}}","message":"bad key {{Key}}"}""" + "\n\n")] });

        var (_, error) = await CollectUntilErrorAsync(Handler(server.BaseUri).CreateMessageAsync("", [ChatMessage.User("Hi")]));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        AssertNoKey(error);
    }

    [Fact]
    public void Settings_bind_under_cline_s_keys_and_a_missing_key_is_named()
    {
        var settings = ProviderSettings.Parse($$"""
            { "actModeApiProvider": "dify", "difyApiKey": "{{Key}}", "difyBaseUrl": "http://dify.internal/v1" }
            """);
        var handler = Assert.IsType<DifyHandler>(ProviderRegistry.Build(settings, Mode.Act));
        Assert.Equal("dify-workflow", handler.GetModel().Id);
        Assert.Equal(128_000, handler.GetModel().Info.ContextWindow);

        var missing = Assert.Throws<ProviderConfigurationException>(() => ProviderRegistry.Build(ProviderSettings.Parse("""{ "actModeApiProvider": "dify" }"""), Mode.Act));
        Assert.Contains("difyApiKey", missing.Keys);
        var descriptor = Assert.Single(ProviderRegistry.Providers, p => p.Id == "dify");
        Assert.Equal(["difyApiKey", "difyBaseUrl", "difyUser"], descriptor.AllKeys.Where(k => k.StartsWith("dify", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }
}

/// <summary>The shared fault matrix against the <c>dify</c> provider.</summary>
public sealed class DifyFaultTests : FaultMatrix
{
    protected override string SuccessText => " I'm glad to meet you! 你好";

    protected override (IApiHandler Handler, ProviderOptions Options) Create(Uri baseUri)
    {
        var options = new DifyOptions { ApiKey = Key, BaseUrl = new Uri(baseUri, "v1") };
        return (new DifyHandler(options), options);
    }

    protected override ReplayResponse Success() => Fixtures.Raw("dify/chat-stream.sse");

    protected override IReadOnlyList<byte[]> OutputParts() =>
    [
        Sse("""{"event":"message","conversation_id":"c1","message_id":"m1","answer":"Hel"}"""),
        Sse("""{"event":"message","conversation_id":"c1","message_id":"m1","answer":"lo"}"""),
    ];

    protected override IReadOnlyList<byte[]> TerminatorParts() =>
        [Sse("""{"event":"message_end","conversation_id":"c1","message_id":"m1","metadata":{"usage":{"prompt_tokens":1,"completion_tokens":2}}}""")];

    protected override byte[] ErrorEvent() => Sse("""{"event":"error","message_id":"m1","status":500,"code":"server_error","message":"upstream fell over"}""");
}

using System.Net;
using System.Text;
using System.Text.Json;
using Providers.AskSage;
using Providers.Tests.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.AskSage;

/// <summary>
/// The <c>asksage</c> provider against a real server on 127.0.0.1: <c>POST {url}/query</c> as AskSage's Server API
/// documents it and Cline sends it, with answers written from its documented response (tests/fixtures/asksage).
/// </summary>
public class AskSageTests
{
    private static readonly IReadOnlyList<ChatMessage> Hi = [ChatMessage.User("Hi")];

    private static (AskSageHandler Handler, AskSageOptions Options, RetryClock Clock) Create(ReplayServer server, string? modelId = "gpt-5")
    {
        var options = new AskSageOptions { ApiKey = Key, BaseUrl = new Uri(server.BaseUri, "server"), ModelId = modelId };
        var clock = new RetryClock();
        clock.Attach(options);
        return (new AskSageHandler(options), options, clock);
    }

    private static ReplayResponse Answer(string fixture, bool oneByte = false)
    {
        var response = ReplayResponse.Json(200, Fixtures.Text("asksage/" + fixture));
        return oneByte ? response.OneByteAtATime() : response;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_json_answer_becomes_its_text_then_its_usage(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Answer("query-text.json", oneByte));
        var (handler, _, _) = Create(server);

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", Hi));

        // AskSage bills by subscription: the table's prices are 0, and its own asksage_tokens are no dollars.
        Assert.Equal([new TextChunk("Hello! The file lists three tasks."), new UsageChunk(412, 9, TotalCost: 0m)], chunks);
    }

    [Fact]
    public async Task Server_tool_responses_come_first_as_text_and_no_usage_is_made_up()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Answer("query-tool-responses.json"));
        var (handler, _, _) = Create(server);

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", Hi));

        Assert.Equal(
            [new TextChunk("[Tool Response: {\"tool\":\"weather\",\"output\":\"sunny, 21 C\"}]\n"), new TextChunk("The weather service says it is sunny.")],
            chunks);
    }

    [Fact]
    public async Task Sends_the_documented_query_with_the_key_in_x_access_tokens()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Answer("query-text.json"));
        var (handler, _, _) = Create(server);

        await CollectAsync(handler.CreateMessageAsync("You are terse.", [ChatMessage.User("Hi"), ChatMessage.Assistant("Hello."), ChatMessage.User("What is in notes.txt?")]));

        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/server/query"), (request.Method, request.PathAndQuery));
        Assert.Equal(Key, request.Headers["x-access-tokens"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.Equal("application/json", request.Headers["Accept"]);
        OpenAiRequestTests.AssertJson(
            """
            {"system_prompt":"You are terse.",
             "message":[{"user":"me","message":"Hi"},{"user":"gpt","message":"Hello."},{"user":"me","message":"What is in notes.txt?"}],
             "model":"gpt-5","dataset":"none","usage":true}
            """,
            request.Body);
    }

    [Fact]
    public async Task A_temperature_override_is_sent_and_a_model_override_replaces_the_model()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Answer("query-text.json"));
        var (handler, _, _) = Create(server);

        await CollectAsync(handler.CreateMessageAsync("sys", Hi, null, new RequestOverrides { Temperature = 0.4, ModelId = "google-gemini-2.5-pro", MaxOutputTokens = 10 }));

        OpenAiRequestTests.AssertJson(
            """{"system_prompt":"sys","message":[{"user":"me","message":"Hi"}],"model":"google-gemini-2.5-pro","dataset":"none","temperature":0.4,"usage":true}""",
            Assert.Single(server.Requests).Body);
        Assert.Equal(RequestOverrideKinds.ModelId | RequestOverrideKinds.Temperature, handler.SupportedOverrides);
    }

    [Fact]
    public async Task A_two_turn_exchange_sends_the_first_answer_and_the_tool_result_back_as_text()
    {
        // AskSage's query takes text only: Cline's agent describes tools in its prompt and the model answers with a
        // tool use in its text, so the builder makes a text message and the result goes back as the next user text.
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Answer("query-tool-use.json"), Answer("query-text.json"));
        var (handler, _, _) = Create(server);
        var history = new List<ChatMessage> { ChatMessage.User("Read notes.txt") };

        var builder = new AssistantMessageBuilder();
        await foreach (var chunk in handler.CreateMessageAsync("sys", history))
        {
            builder.Add(chunk);
        }

        history.Add(builder.Build()!);
        history.Add(ChatMessage.User("[read_file for 'notes.txt'] Result:\nthree tasks"));
        var second = await CollectAsync(handler.CreateMessageAsync("sys", history));

        Assert.Equal("Hello! The file lists three tasks.", TextOf(second));
        Assert.Equal(new UsageChunk(388, 21, TotalCost: 0m), builder.Usage);
        OpenAiRequestTests.AssertJson(
            """
            {"system_prompt":"sys","message":[
              {"user":"me","message":"Read notes.txt"},
              {"user":"gpt","message":"I'll read it.\n<read_file>\n<path>notes.txt</path>\n</read_file>"},
              {"user":"me","message":"[read_file for 'notes.txt'] Result:\nthree tasks"}],
             "model":"gpt-5","dataset":"none","usage":true}
            """,
            server.Requests[1].Body);
    }

    [Fact]
    public async Task Native_tool_calls_from_another_provider_travel_as_text_lines()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Answer("query-text.json"));
        var (handler, _, _) = Create(server);
        var input = JsonDocument.Parse("""{"path":"notes.txt"}""").RootElement.Clone();
        List<ChatMessage> history =
        [
            ChatMessage.User("Read notes.txt"),
            new(ChatRole.Assistant, [new ThinkingBlock("need the file"), new TextBlock("Reading."), new ToolUseBlock("call_1", "read_file", input)]),
            new(ChatRole.User, [new ToolResultBlock("call_1", [new TextBlock("three tasks")]), new ToolResultBlock("call_2", [new TextBlock("no such file")], IsError: true)]),
        ];

        await CollectAsync(handler.CreateMessageAsync("sys", history, [new ToolDefinition("read_file", "Reads a file", input)]));

        OpenAiRequestTests.AssertJson(
            """
            {"system_prompt":"sys","message":[
              {"user":"me","message":"Read notes.txt"},
              {"user":"gpt","message":"Reading.\n[tool_use read_file id=call_1] {\"path\":\"notes.txt\"}"},
              {"user":"me","message":"[tool_result id=call_1] three tasks\n[tool_result id=call_2 error] no such file"}],
             "model":"gpt-5","dataset":"none","usage":true}
            """,
            Assert.Single(server.Requests).Body);
    }

    [Fact]
    public void Cline_settings_bind_with_the_table_and_a_missing_key_names_asksageApiKey()
    {
        var handler = ProviderRegistry.Build(ProviderSettings.Parse("""
            {"actModeApiProvider":"asksage","asksageApiKey":"k-123456789","asksageApiUrl":"https://api.genai.army.mil/server","actModeApiModelId":"gpt-5"}
            """), Mode.Act);
        Assert.Equal(new ApiHandlerModel("gpt-5", new ModelInfo { MaxTokens = 65536, ContextWindow = 2_097_152, InputPrice = 0, OutputPrice = 0 }), handler.GetModel());
        Assert.Equal("claude-4-sonnet", ProviderRegistry.Build(ProviderSettings.Parse("""{"actModeApiProvider":"asksage","asksageApiKey":"k"}"""), Mode.Act).GetModel().Id);

        var error = Assert.ThrowsAny<ProviderConfigurationException>(
            () => ProviderRegistry.Build(ProviderSettings.Parse("""{"actModeApiProvider":"asksage","asksageApiUrl":"https://api.asksage.ai/server"}"""), Mode.Act));
        Assert.Contains("asksageApiKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_429_with_retry_after_then_succeeds()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(
            ReplayResponse.Json(429, """{"message":"Too many requests","status":429}""", new Dictionary<string, string> { ["Retry-After"] = "2" }),
            Answer("query-text.json"));
        var (handler, _, clock) = Create(server);

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", Hi));

        Assert.Equal("Hello! The file lists three tasks.", TextOf(chunks));
        Assert.Equal([TimeSpan.FromSeconds(2)], clock.Delays);
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Retries_server_errors_then_succeeds(int status)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(status, """{"message":"internal error"}"""), Answer("query-text.json"));
        var (handler, _, clock) = Create(server);

        Assert.Equal("Hello! The file lists three tasks.", TextOf(await CollectAsync(handler.CreateMessageAsync("sys", Hi))));
        Assert.Single(clock.Delays);
    }

    [Fact]
    public async Task Retries_a_connection_reset_before_headers_then_succeeds()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(new ReplayResponse { ResetBeforeHeaders = true }, Answer("query-text.json"));
        var (handler, _, _) = Create(server);

        Assert.Equal("Hello! The file lists three tasks.", TextOf(await CollectAsync(handler.CreateMessageAsync("sys", Hi))));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_401_echoing_the_key_is_not_retried_and_keeps_the_key_secret()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(401, $$"""{"message":"Token {{Key}} is invalid!","status":401}"""), Answer("query-text.json"));
        var (handler, _, _) = Create(server);

        var (_, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", Hi));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("is invalid", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_error_status_inside_a_200_answer_fails_with_it_without_a_retry()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Answer("query-status-error.json"), Answer("query-text.json"));
        var (handler, _, _) = Create(server);

        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", Hi));

        Assert.Empty(chunks);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("not available for your tenant", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_answer_without_text_is_an_error()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Answer("query-no-message.json"));
        var (handler, _, _) = Create(server);

        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", Hi));

        Assert.Empty(chunks);
        Assert.Equal("empty_response", error.ErrorType);
    }

    [Theory]
    [InlineData("{\"message\":\"Hel")]
    [InlineData("<html>gateway</html>")]
    [InlineData("[1,2]")]
    [InlineData("{\"message\":42}")]
    [InlineData("{\"status\":1e400,\"message\":\"x\"}")]
    public async Task A_malformed_answer_is_a_malformed_stream_error_without_a_retry(string body)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(200, body), Answer("query-text.json"));
        var (handler, _, _) = Create(server);

        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", Hi));

        Assert.Empty(chunks);
        Assert.Equal("malformed_stream", error.ErrorType);
        Assert.Contains("'asksage' response was malformed", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Invalid_utf8_in_the_answer_is_a_malformed_stream_error()
    {
        await using var server = await ReplayServer.StartAsync();
        var bytes = Encoding.UTF8.GetBytes(Fixtures.Text("asksage/query-text.json"));
        var at = bytes.AsSpan().IndexOf("Hello"u8);
        bytes[at] = 0xff;
        bytes[at + 1] = 0xc0;
        server.Enqueue(new ReplayResponse { ContentType = "application/json", Parts = [bytes] });
        var (handler, _, _) = Create(server);

        var (_, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", Hi));

        Assert.Equal("malformed_stream", error.ErrorType);
    }

    [Fact]
    public async Task An_answer_longer_than_maxResponseBytes_is_abandoned_naming_the_setting()
    {
        await using var server = await ReplayServer.StartAsync();
        var big = "{\"message\":\"" + new string('x', 200_000) + "\",\"status\":200}";
        server.Enqueue(ReplayResponse.Json(200, big));
        var (handler, options, _) = Create(server);
        options.MaxResponseBytes = 64 * 1024;

        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", Hi));

        Assert.Empty(chunks);
        Assert.Equal("response_too_large", error.ErrorType);
        Assert.Contains("'maxResponseBytes'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_answer_within_the_request_timeout_fails_after_the_retries()
    {
        await using var server = await ReplayServer.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            server.Enqueue(Answer("query-text.json") with { DelayBeforeHeaders = TimeSpan.FromSeconds(30) });
        }

        var (handler, options, _) = Create(server);
        options.RequestTimeout = TimeSpan.FromSeconds(1);

        var (_, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", Hi));

        Assert.Equal("request_timeout", error.ErrorType);
        Assert.Equal(4, server.Requests.Count);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Providers.OpenAiCompatible;
using Providers.Tests.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAiCompatible;

/// <summary>
/// <c>qwen-code</c>: Qwen Code's OAuth credentials file, the refresh_token grant against a token endpoint on 127.0.0.1,
/// the write-back, and OpenAI-compatible Chat Completions to the credentials' <c>resource_url</c>.
/// </summary>
public class QwenCodeTests
{
    private const string Expired = "qwen-access-EXPIRED-0123456789abcdef";
    private const string Refresh = "qwen-refresh-SECRET-0123456789abcdef";
    private const string Fresh = "qwen-access-FRESH-fedcba9876543210";
    private const string Rotated = "qwen-refresh-ROTATED-fedcba9876543210";
    private const string CallId = "call_qc_4f1e";
    private static readonly IReadOnlyList<ToolDefinition> Tools =
        [new("read_file", "Reads a file", Json("""{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}"""))];

    /// <summary>The fixture's credentials, with the access token valid for an hour (or expired), and the API at the kit's server.</summary>
    private static string Credentials(SignInKit kit, bool expired = false, string? resourceUrl = null)
    {
        var credentials = JsonNode.Parse(Fixtures.Text("qwen-code/oauth_creds.json"))!.AsObject();
        credentials["expiry_date"] = SignInKit.UnixMsFromNow(expired ? TimeSpan.FromHours(-1) : TimeSpan.FromHours(1));
        credentials["resource_url"] = resourceUrl ?? kit.Api.BaseUri.ToString().TrimEnd('/');
        return kit.Write("oauth_creds.json", credentials.ToJsonString());
    }

    private static (IApiHandler Handler, RetryClock Clock) Create(SignInKit kit, string credentialsPath, params (string Key, string Value)[] extra)
    {
        var settings = new JsonObject
        {
            ["actModeApiProvider"] = "qwen-code",
            ["qwenCodeOauthPath"] = credentialsPath,
            ["qwenCodeTokenUrl"] = kit.TokenUrl.ToString(),
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var clock = new RetryClock();
        return (ProviderRegistry.Build(ProviderSettings.Parse(settings.ToJsonString()), Mode.Act, clock.Attach), clock);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Replays_reasoning_text_a_fragmented_tool_call_and_usage_exactly(bool oneByte)
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Api.Enqueue(Fixtures.Raw("qwen-code/chat-reasoning-tool-call.sse").MaybeOneByte(oneByte));
        var (handler, _) = Create(kit, Credentials(kit));

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Open src/main.py")], Tools));

        Assert.Equal(
            [
                new ReasoningChunk("The user wants the file."),
                new TextChunk("Reading it now."),
                new ToolCallChunk(CallId, CallId, "read_file", ""),
                new ToolCallChunk(CallId, CallId, "read_file", "{\"path\":\"src/"),
                new ToolCallChunk(CallId, CallId, "read_file", "main.py\"}"),
                new UsageChunk(48, 21, null, null, null, 0m),
            ],
            chunks);
        Assert.Empty(kit.Tokens.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Splits_think_tags_out_of_the_text(bool oneByte)
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Api.Enqueue(Fixtures.Raw("openai-compatible/think-tags.sse").MaybeOneByte(oneByte));
        var (handler, _) = Create(kit, Credentials(kit));

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("The user wants a greeting.", ReasoningOf(chunks));
        Assert.Equal("\n\nHello! <b>", TextOf(chunks));
    }

    [Fact]
    public async Task Sends_the_documented_request_to_the_credentials_resource_url_with_the_access_token()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Api.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"));
        var (handler, _) = Create(kit, Credentials(kit));

        await CollectAsync(handler.CreateMessageAsync("Be brief.", [ChatMessage.User("Hi")], Tools));

        var request = Assert.Single(kit.Api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/chat/completions", request.PathAndQuery);
        Assert.Equal("Bearer " + Expired, request.Headers["Authorization"]);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse(
                """
                {"model":"qwen3-coder-plus",
                 "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"}]}],
                 "temperature":0,"max_completion_tokens":65536,"stream":true,"stream_options":{"include_usage":true},
                 "tools":[{"type":"function","function":{"name":"read_file","description":"Reads a file","parameters":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}}}],
                 "tool_choice":"auto"}
                """),
            JsonNode.Parse(request.Body)),
            request.Body);
        Assert.Empty(kit.Tokens.Requests);
    }

    [Fact]
    public async Task The_base_url_setting_replaces_the_resource_url()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Api.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"));
        var (handler, _) = Create(kit, Credentials(kit, resourceUrl: "portal.qwen.ai"), ("qwenCodeBaseUrl", new Uri(kit.Api.BaseUri, "compatible-mode/v1").ToString()));

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("It says hi.", TextOf(chunks));
        Assert.Equal("/compatible-mode/v1/chat/completions", Assert.Single(kit.Api.Requests).PathAndQuery);
    }

    [Theory]
    [InlineData("portal.qwen.ai", "https://portal.qwen.ai/v1")]
    [InlineData("https://portal.qwen.ai", "https://portal.qwen.ai/v1")]
    [InlineData("https://portal.qwen.ai/v1/", "https://portal.qwen.ai/v1")]
    [InlineData("https://dashscope.aliyuncs.com/compatible-mode/v1", "https://dashscope.aliyuncs.com/compatible-mode/v1")]
    [InlineData(null, "https://dashscope.aliyuncs.com/compatible-mode/v1")]
    public void The_resource_url_becomes_an_https_v1_base_url(string? resourceUrl, string expected) =>
        Assert.Equal(expected, QwenCodeCredentials.BaseUrlFrom(resourceUrl));

    [Fact]
    public async Task An_expired_token_is_refreshed_with_the_refresh_token_grant_and_written_back_atomically()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Tokens.Enqueue(ReplayResponse.Json(200, Fixtures.Text("qwen-code/token-refresh.json")));
        kit.Api.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"), Fixtures.Raw("openai-compatible/chat-text.sse"));
        var path = Credentials(kit, expired: true);
        var original = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        original["extra_field"] = "kept";
        File.WriteAllText(path, original.ToJsonString());
        var (handler, _) = Create(kit, path, ("qwenCodeBaseUrl", new Uri(kit.Api.BaseUri, "v1").ToString()));
        var before = DateTimeOffset.UtcNow;

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("It says hi.", TextOf(chunks));
        var refresh = Assert.Single(kit.Tokens.Requests);
        Assert.Equal("POST", refresh.Method);
        Assert.Equal("/oauth/token", refresh.PathAndQuery);
        Assert.StartsWith("application/x-www-form-urlencoded", refresh.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("application/json", refresh.Headers["Accept"]);
        Assert.Equal(
            new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = Refresh, ["client_id"] = "f0304373b74a44d2b584a3fb70ca9e56" },
            SignInKit.Form(refresh));
        Assert.All(kit.Api.Requests, r => Assert.Equal("Bearer " + Fresh, r.Headers["Authorization"]));

        var written = kit.Read("oauth_creds.json");
        Assert.Equal(Fresh, (string?)written["access_token"]);
        Assert.Equal(Rotated, (string?)written["refresh_token"]);
        Assert.Equal("Bearer", (string?)written["token_type"]);
        Assert.Equal("portal.qwen.ai", (string?)written["resource_url"]);
        Assert.Equal("kept", (string?)written["extra_field"]);
        var expiry = DateTimeOffset.FromUnixTimeMilliseconds((long)written["expiry_date"]!);
        Assert.InRange(expiry, before.AddSeconds(21600).AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(21600).AddSeconds(1));
        Assert.Equal(["oauth_creds.json"], Directory.GetFiles(kit.Folder).Select(Path.GetFileName));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task A_401_refreshes_the_token_once_and_sends_again()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Tokens.Enqueue(ReplayResponse.Json(200, Fixtures.Text("qwen-code/token-refresh.json")));
        kit.Api.Enqueue(ReplayResponse.Json(401, """{"error":{"message":"invalid access token or token expired","type":"invalid_request_error"}}"""), Fixtures.Raw("openai-compatible/chat-text.sse"));
        var (handler, clock) = Create(kit, Credentials(kit), ("qwenCodeBaseUrl", new Uri(kit.Api.BaseUri, "v1").ToString()));

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("It says hi.", TextOf(chunks));
        Assert.Equal(["Bearer " + Expired, "Bearer " + Fresh], kit.Api.Requests.Select(r => r.Headers["Authorization"]));
        Assert.Single(kit.Tokens.Requests);
        Assert.Empty(clock.Delays);
    }

    [Fact]
    public async Task A_second_401_after_the_refresh_reaches_the_caller()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Tokens.Enqueue(ReplayResponse.Json(200, Fixtures.Text("qwen-code/token-refresh.json")));
        var unauthorized = ReplayResponse.Json(401, """{"error":{"message":"invalid access token","type":"invalid_request_error"}}""");
        kit.Api.Enqueue(unauthorized, unauthorized);
        var (handler, _) = Create(kit, Credentials(kit), ("qwenCodeBaseUrl", new Uri(kit.Api.BaseUri, "v1").ToString()));

        var (_, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(2, kit.Api.Requests.Count);
        Assert.Single(kit.Tokens.Requests);
        SignInKit.AssertNoSecret(error, Expired, Refresh, Fresh, Rotated);
    }

    [Fact]
    public async Task A_refused_refresh_is_a_clear_error_naming_the_file_and_the_setting_without_tokens()
    {
        await using var kit = await SignInKit.StartAsync();
        var refused = ReplayResponse.Json(400, Fixtures.Text("qwen-code/token-invalid-grant.json").Replace("revoked", "revoked: " + Refresh, StringComparison.Ordinal));
        kit.Tokens.Enqueue(refused, refused);
        var path = Credentials(kit, expired: true);
        var (handler, clock) = Create(kit, path);

        var (_, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("qwen-code", error.ProviderId);
        Assert.False(error.IsRetryable);
        Assert.Equal("token_refresh_failed", error.ErrorType);
        Assert.Contains("invalid_grant", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("'qwenCodeOauthPath'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sign in to Qwen Code again", error.Message, StringComparison.Ordinal);
        SignInKit.AssertNoSecret(error, Expired, Refresh);
        Assert.Empty(kit.Api.Requests);
        Assert.Single(kit.Tokens.Requests);
        Assert.Empty(clock.Delays);
        Assert.Equal(Expired, (string?)kit.Read("oauth_creds.json")["access_token"]);
    }

    [Fact]
    public async Task Concurrent_requests_with_an_expired_token_refresh_it_once()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Tokens.Enqueue(ReplayResponse.Json(200, Fixtures.Text("qwen-code/token-refresh.json")));
        kit.Api.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"), Fixtures.Raw("openai-compatible/chat-text.sse"), Fixtures.Raw("openai-compatible/chat-text.sse"));
        var (handler, _) = Create(kit, Credentials(kit, expired: true), ("qwenCodeBaseUrl", new Uri(kit.Api.BaseUri, "v1").ToString()));

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]))));

        Assert.All(results, chunks => Assert.Equal("It says hi.", TextOf(chunks)));
        Assert.Single(kit.Tokens.Requests);
        Assert.All(kit.Api.Requests, r => Assert.Equal("Bearer " + Fresh, r.Headers["Authorization"]));
    }

    [Fact]
    public async Task A_token_endpoint_that_is_briefly_down_is_retried()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Tokens.Enqueue(
            ReplayResponse.Json(503, """{"error":"temporarily_unavailable"}""", new Dictionary<string, string> { ["Retry-After"] = "1" }),
            ReplayResponse.Json(200, Fixtures.Text("qwen-code/token-refresh.json")));
        kit.Api.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"));
        var (handler, clock) = Create(kit, Credentials(kit, expired: true), ("qwenCodeBaseUrl", new Uri(kit.Api.BaseUri, "v1").ToString()));

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("It says hi.", TextOf(chunks));
        Assert.Equal(2, kit.Tokens.Requests.Count);
        Assert.Single(clock.Delays);
        Assert.Equal("Bearer " + Fresh, Assert.Single(kit.Api.Requests).Headers["Authorization"]);
    }

    [Fact]
    public async Task A_redirecting_token_endpoint_is_not_followed_so_the_refresh_token_stays_there()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Tokens.Enqueue(ReplayResponse.Json(302, "", new Dictionary<string, string> { ["Location"] = new Uri(kit.Api.BaseUri, "steal").ToString() }));
        var (handler, _) = Create(kit, Credentials(kit, expired: true));

        var (_, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("token_refresh_failed", error.ErrorType);
        Assert.Contains("answered 302", error.Message, StringComparison.Ordinal);
        Assert.Empty(kit.Api.Requests);
        SignInKit.AssertNoSecret(error, Expired, Refresh);
    }

    [Fact]
    public async Task A_missing_credentials_file_says_how_to_sign_in()
    {
        await using var kit = await SignInKit.StartAsync();
        var path = Path.Combine(kit.Folder, "absent", "oauth_creds.json");
        var (handler, _) = Create(kit, path);

        var (_, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.False(error.IsRetryable);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("'qwenCodeOauthPath'", error.Message, StringComparison.Ordinal);
        Assert.Empty(kit.Api.Requests);
    }

    [Fact]
    public async Task Retries_429_with_retry_after_then_succeeds()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Api.Enqueue(
            ReplayResponse.Json(429, """{"error":{"message":"Rate limit reached","type":"rate_limit_exceeded"}}""", new Dictionary<string, string> { ["Retry-After"] = "2" }),
            Fixtures.Raw("openai-compatible/chat-text.sse"));
        var (handler, clock) = Create(kit, Credentials(kit));

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("It says hi.", TextOf(chunks));
        Assert.Equal(2, kit.Api.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(2)], clock.Delays);
        Assert.Empty(kit.Tokens.Requests);
    }

    [Fact]
    public async Task Retries_a_500_then_succeeds()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Api.Enqueue(ReplayResponse.Json(500, """{"error":{"message":"internal error"}}"""), Fixtures.Raw("openai-compatible/chat-text.sse"));
        var (handler, clock) = Create(kit, Credentials(kit));

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("It says hi.", TextOf(chunks));
        Assert.Equal(2, kit.Api.Requests.Count);
        Assert.Single(clock.Delays);
    }

    [Fact]
    public async Task A_cut_stream_fails_as_cut_off_after_output_without_a_retry()
    {
        await using var kit = await SignInKit.StartAsync();
        var whole = Fixtures.Raw("qwen-code/chat-reasoning-tool-call.sse");
        kit.Api.Enqueue(whole with { Parts = whole.Parts.Take(4).ToArray() }, whole);
        var (handler, _) = Create(kit, Credentials(kit));

        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")], Tools));

        Assert.Equal("The user wants the file.", ReasoningOf(chunks));
        Assert.Contains("cut off", error.Message, StringComparison.Ordinal);
        Assert.True(error.OutputStarted);
        Assert.Equal("qwen-code", error.ProviderId);
        Assert.Single(kit.Api.Requests);
    }

    [Fact]
    public async Task Round_trip_sends_the_tool_call_and_its_result_back_exactly()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Api.Enqueue(Fixtures.Raw("qwen-code/chat-reasoning-tool-call.sse"), Fixtures.Raw("openai-compatible/chat-text.sse"));
        var (handler, _) = Create(kit, Credentials(kit));
        List<ChatMessage> history = [ChatMessage.User("Open src/main.py")];

        var builder = new AssistantMessageBuilder();
        await foreach (var chunk in handler.CreateMessageAsync("sys", history, Tools))
        {
            builder.Add(chunk);
        }

        history.Add(builder.Build()!);
        history.Add(new ChatMessage(ChatRole.User, [new ToolResultBlock(Assert.Single(builder.ToolCalls).Id, "print('hi')")]));
        var second = await CollectAsync(handler.CreateMessageAsync("sys", history, Tools));

        Assert.Equal("It says hi.", TextOf(second));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse(
                """
                [{"role":"system","content":"sys"},
                 {"role":"user","content":[{"type":"text","text":"Open src/main.py"}]},
                 {"role":"assistant","content":"Reading it now.","tool_calls":[{"id":"call_qc_4f1e","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"src/main.py\"}"}}]},
                 {"role":"tool","content":"print('hi')","tool_call_id":"call_qc_4f1e"}]
                """),
            JsonNode.Parse(kit.Api.Requests[1].Body)!["messages"]),
            JsonNode.Parse(kit.Api.Requests[1].Body)!["messages"]!.ToJsonString());
    }

    [Fact]
    public void The_model_table_is_Clines()
    {
        var handler = ProviderRegistry.Build(ProviderSettings.Parse("""{"actModeApiProvider":"qwen-code"}"""), Mode.Act);
        var flash = ProviderRegistry.Build(ProviderSettings.Parse("""{"actModeApiProvider":"qwen-code","actModeApiModelId":"qwen3-coder-flash"}"""), Mode.Act);

        Assert.Equal("qwen3-coder-plus", handler.GetModel().Id);
        Assert.Equal(1_000_000, handler.GetModel().Info.ContextWindow);
        Assert.Equal(65_536, handler.GetModel().Info.MaxTokens);
        Assert.Equal(0m, handler.GetModel().Info.InputPrice);
        Assert.Equal("qwen3-coder-flash", flash.GetModel().Id);
        Assert.Equal(65_536, flash.GetModel().Info.MaxTokens);
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Providers.OpenAiCompatible;
using Providers.Tests.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAiCompatible;

/// <summary>
/// <c>openai-codex</c>: the ChatGPT sign-in Cline keeps (its secret, in the setting or in Cline's secrets file), the
/// refresh_token grant against a token endpoint on 127.0.0.1 with the write-back, and the Responses API at the Codex
/// backend with Cline's headers.
/// </summary>
public class OpenAiCodexTests
{
    private const string Expired = "codex-access-EXPIRED-0123456789";
    private const string Refresh = "rt_codex-refresh-SECRET-0123456789";
    private const string Fresh = "codex-access-FRESH-fedcba9876";
    private const string Rotated = "rt_codex-refresh-ROTATED-fedcba9876";
    private const string SecretKey = "openai-codex-oauth-credentials";
    private static readonly IReadOnlyList<ToolDefinition> Tools =
        [new("read_file", "Reads a file", Json("""{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}"""))];

    /// <summary>The fixture's credentials JSON, valid for an hour or expired.</summary>
    private static JsonObject Credentials(bool expired)
    {
        var secrets = JsonNode.Parse(Fixtures.Text("openai-codex/secrets.json"))!.AsObject();
        var credentials = JsonNode.Parse((string)secrets[SecretKey]!)!.AsObject();
        credentials["expires"] = SignInKit.UnixMsFromNow(expired ? TimeSpan.FromHours(-1) : TimeSpan.FromHours(1));
        return credentials;
    }

    /// <summary>Cline's secrets file holding the fixture's credentials (as a JSON text, as Cline stores them) and another secret.</summary>
    private static string SecretsFile(SignInKit kit, bool expired = false)
    {
        var secrets = JsonNode.Parse(Fixtures.Text("openai-codex/secrets.json"))!.AsObject();
        secrets[SecretKey] = Credentials(expired).ToJsonString();
        return kit.Write("secrets.json", secrets.ToJsonString());
    }

    private static (IApiHandler Handler, RetryClock Clock) Create(SignInKit kit, params (string Key, string Value)[] extra)
    {
        var settings = new JsonObject
        {
            ["actModeApiProvider"] = "openai-codex",
            ["openAiCodexBaseUrl"] = new Uri(kit.Api.BaseUri, "backend-api/codex").ToString(),
            ["openAiCodexTokenUrl"] = kit.TokenUrl.ToString(),
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var clock = new RetryClock();
        return (ProviderRegistry.Build(ProviderSettings.Parse(settings.ToJsonString()), Mode.Act, clock.Attach), clock);
    }

    private static (IApiHandler Handler, RetryClock Clock) FromFile(SignInKit kit, bool expired = false, params (string Key, string Value)[] extra) =>
        Create(kit, [("openAiCodexSecretsPath", SecretsFile(kit, expired)), .. extra]);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Replays_reasoning_summaries_encrypted_reasoning_a_function_call_and_usage_exactly(bool oneByte)
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Api.Enqueue(Fixtures.TypedEventChunks("openai-codex/reasoning-tool-call.chunks.txt").MaybeOneByte(oneByte));
        var (handler, _) = FromFile(kit);

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Read notes.txt")], Tools));

        Assert.Equal(
            [
                new ReasoningChunk("**Reading the file**\n\nI need"),
                new ReasoningChunk(" its contents first."),
                new ReasoningChunk(
                    "",
                    Details: """{"type":"reasoning","id":"rs_cx_01","summary":[{"type":"summary_text","text":"**Reading the file**\n\nI need its contents first."}],"encrypted_content":"gAAAAABpCodexEncryptedReasoningBlob0123456789=="}""")
                { DetailsFormat = ReasoningStateFormats.OpenAiResponses },
                new ToolCallChunk("call_cx_7Qa1", "fc_cx_01", "read_file", ""),
                new ToolCallChunk("call_cx_7Qa1", "fc_cx_01", "read_file", "{\"path\":"),
                new ToolCallChunk("call_cx_7Qa1", "fc_cx_01", "read_file", "\"notes.txt\"}"),
                new UsageChunk(176, 85, 1024, null, 64, 0m),
            ],
            chunks);
    }

    [Fact]
    public async Task Sends_the_responses_request_Cline_sends_to_the_codex_backend()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Api.Enqueue(Fixtures.TypedEventChunks("openai-codex/text.chunks.txt"), Fixtures.TypedEventChunks("openai-codex/text.chunks.txt"));
        var (handler, _) = FromFile(kit);

        await CollectAsync(handler.CreateMessageAsync("Be brief.", [ChatMessage.User("Hi")], Tools));
        await CollectAsync(handler.CreateMessageAsync("Be brief.", [ChatMessage.User("Hi")], Tools));

        var request = kit.Api.Requests[0];
        Assert.Equal("POST", request.Method);
        Assert.Equal("/backend-api/codex/responses", request.PathAndQuery);
        Assert.Equal("Bearer " + Expired, request.Headers["Authorization"]);
        Assert.Equal("cline", request.Headers["originator"]);
        Assert.Equal("acct-0000-old", request.Headers["ChatGPT-Account-Id"]);
        Assert.Equal("text/event-stream", request.Headers["Accept"]);
        var session = Guid.Parse(request.Headers["session_id"]);
        Assert.Equal(7, session.Version);
        Assert.Equal(session.ToString(), kit.Api.Requests[1].Headers["session_id"]);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse(
                """
                {"model":"gpt-5.3-codex","instructions":"Be brief.",
                 "input":[{"role":"user","content":[{"type":"input_text","text":"Hi"}]}],
                 "stream":true,"store":false,
                 "include":["reasoning.encrypted_content"],"reasoning":{"effort":"medium","summary":"auto"},
                 "tools":[{"type":"function","name":"read_file","description":"Reads a file","parameters":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]},"strict":false}],
                 "tool_choice":"auto"}
                """),
            JsonNode.Parse(request.Body)),
            request.Body);
        Assert.Empty(kit.Tokens.Requests);
    }

    [Fact]
    public async Task Effort_none_sends_no_reasoning_and_the_configured_effort_is_sent_otherwise()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Api.Enqueue(Fixtures.TypedEventChunks("openai-codex/text.chunks.txt"), Fixtures.TypedEventChunks("openai-codex/text.chunks.txt"));
        var (none, _) = FromFile(kit, extra: [("actModeApiModelId", "gpt-5.2"), ("actModeReasoningEffort", "none")]);
        var (high, _) = FromFile(kit, extra: [("actModeReasoningEffort", "high")]);

        await CollectAsync(none.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        await CollectAsync(high.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        var first = JsonNode.Parse(kit.Api.Requests[0].Body)!.AsObject();
        Assert.Equal("gpt-5.2", (string?)first["model"]);
        Assert.False(first.ContainsKey("reasoning"));
        Assert.False(first.ContainsKey("include"));
        Assert.Equal("high", (string?)JsonNode.Parse(kit.Api.Requests[1].Body)!["reasoning"]!["effort"]);
    }

    [Fact]
    public async Task Credentials_in_the_setting_are_used_without_a_secrets_file()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Api.Enqueue(Fixtures.TypedEventChunks("openai-codex/text.chunks.txt"));
        var (handler, _) = Create(kit, (SecretKey, Credentials(expired: false).ToJsonString()), ("openAiCodexSecretsPath", Path.Combine(kit.Folder, "absent.json")));

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("The file says hi.", TextOf(chunks));
        Assert.Equal("Bearer " + Expired, Assert.Single(kit.Api.Requests).Headers["Authorization"]);
    }

    [Fact]
    public async Task An_expired_sign_in_is_refreshed_and_written_back_to_Clines_secrets_file()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Tokens.Enqueue(ReplayResponse.Json(200, Fixtures.Text("openai-codex/token-refresh.json")));
        kit.Api.Enqueue(Fixtures.TypedEventChunks("openai-codex/text.chunks.txt"), Fixtures.TypedEventChunks("openai-codex/text.chunks.txt"));
        var (handler, _) = FromFile(kit, expired: true);
        var before = DateTimeOffset.UtcNow;

        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        var refresh = Assert.Single(kit.Tokens.Requests);
        Assert.Equal("/oauth/token", refresh.PathAndQuery);
        Assert.StartsWith("application/x-www-form-urlencoded", refresh.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(
            new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = Refresh, ["client_id"] = "app_EMoamEEZ73f0CkXaXp7hrann" },
            SignInKit.Form(refresh));
        Assert.All(kit.Api.Requests, r => Assert.Equal("Bearer " + Fresh, r.Headers["Authorization"]));
        Assert.All(kit.Api.Requests, r => Assert.Equal("acct-1111-new", r.Headers["ChatGPT-Account-Id"]));

        var secrets = kit.Read("secrets.json");
        Assert.Equal("sk-or-OTHER-SECRET-kept-as-is", (string?)secrets["openRouterApiKey"]);
        var written = JsonNode.Parse((string)secrets[SecretKey]!)!.AsObject();
        Assert.Equal("openai-codex", (string?)written["type"]);
        Assert.Equal(Fresh, (string?)written["access_token"]);
        Assert.Equal(Rotated, (string?)written["refresh_token"]);
        Assert.Equal("dev@example.com", (string?)written["email"]);
        Assert.Equal("acct-1111-new", (string?)written["accountId"]);
        var expires = DateTimeOffset.FromUnixTimeMilliseconds((long)written["expires"]!);
        Assert.InRange(expires, before.AddSeconds(864000).AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(864000).AddSeconds(1));
        Assert.Equal(["secrets.json"], Directory.GetFiles(kit.Folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_sign_in_from_the_setting_is_refreshed_once_and_kept_in_memory()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Tokens.Enqueue(ReplayResponse.Json(200, Fixtures.Text("openai-codex/token-refresh.json")));
        kit.Api.Enqueue(Fixtures.TypedEventChunks("openai-codex/text.chunks.txt"), Fixtures.TypedEventChunks("openai-codex/text.chunks.txt"));
        var (handler, _) = Create(kit, (SecretKey, Credentials(expired: true).ToJsonString()));

        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Single(kit.Tokens.Requests);
        Assert.All(kit.Api.Requests, r => Assert.Equal("Bearer " + Fresh, r.Headers["Authorization"]));
        Assert.Empty(Directory.GetFiles(kit.Folder));
    }

    [Fact]
    public async Task A_401_refreshes_the_token_once_and_sends_again()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Tokens.Enqueue(ReplayResponse.Json(200, Fixtures.Text("openai-codex/token-refresh.json")));
        kit.Api.Enqueue(ReplayResponse.Json(401, """{"detail":"Unauthorized"}"""), Fixtures.TypedEventChunks("openai-codex/text.chunks.txt"));
        var (handler, clock) = FromFile(kit);

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("The file says hi.", TextOf(chunks));
        Assert.Equal(["Bearer " + Expired, "Bearer " + Fresh], kit.Api.Requests.Select(r => r.Headers["Authorization"]));
        Assert.Single(kit.Tokens.Requests);
        Assert.Empty(clock.Delays);
    }

    [Fact]
    public async Task A_refused_refresh_is_a_clear_error_naming_the_secret_and_the_file_without_tokens()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Tokens.Enqueue(ReplayResponse.Json(401, $$$"""{"error":{"message":"Your refresh token {{{Refresh}}} has already been used","type":"invalid_request_error","code":"refresh_token_reused"}}"""));
        var path = SecretsFile(kit, expired: true);
        var (handler, clock) = Create(kit, ("openAiCodexSecretsPath", path));

        var (_, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("openai-codex", error.ProviderId);
        Assert.False(error.IsRetryable);
        Assert.Equal("token_refresh_failed", error.ErrorType);
        Assert.Contains("already been used", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("'openai-codex-oauth-credentials'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sign in again", error.Message, StringComparison.Ordinal);
        SignInKit.AssertNoSecret(error, Expired, Refresh);
        Assert.Empty(kit.Api.Requests);
        Assert.Empty(clock.Delays);
    }

    [Fact]
    public async Task Without_a_sign_in_the_error_names_the_secret_and_the_file()
    {
        await using var kit = await SignInKit.StartAsync();
        var path = Path.Combine(kit.Folder, "secrets.json");
        var (handler, _) = Create(kit, ("openAiCodexSecretsPath", path));

        var (_, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.False(error.IsRetryable);
        Assert.Contains("not signed in", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("'openai-codex-oauth-credentials'", error.Message, StringComparison.Ordinal);
        Assert.Empty(kit.Api.Requests);
    }

    [Theory]
    [InlineData("not json at all, but long enough to be a secret")]
    [InlineData("""{"type":"openai-codex","access_token":"codex-access-EXPIRED-0123456789"}""")]
    public void Malformed_credentials_in_the_setting_are_refused_when_the_handler_is_built(string credentials)
    {
        var settings = new JsonObject { ["actModeApiProvider"] = "openai-codex", [SecretKey] = credentials };

        var error = Assert.Throws<ProviderConfigurationException>(() => ProviderRegistry.Build(ProviderSettings.Parse(settings.ToJsonString()), Mode.Act));

        Assert.Equal([SecretKey], error.Keys);
        SignInKit.AssertNoSecret(error, Expired, "long enough");
    }

    [Fact]
    public async Task Retries_429_with_retry_after_then_succeeds()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Api.Enqueue(
            ReplayResponse.Json(429, """{"error":{"message":"usage limit reached","type":"usage_limit_reached"}}""", new Dictionary<string, string> { ["Retry-After"] = "3" }),
            Fixtures.TypedEventChunks("openai-codex/text.chunks.txt"));
        var (handler, clock) = FromFile(kit);

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("The file says hi.", TextOf(chunks));
        Assert.Equal([TimeSpan.FromSeconds(3)], clock.Delays);
        Assert.Equal(2, kit.Api.Requests.Count);
    }

    [Fact]
    public async Task Retries_a_500_then_succeeds()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Api.Enqueue(ReplayResponse.Json(500, """{"error":{"message":"internal error"}}"""), Fixtures.TypedEventChunks("openai-codex/text.chunks.txt"));
        var (handler, clock) = FromFile(kit);

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("The file says hi.", TextOf(chunks));
        Assert.Single(clock.Delays);
        Assert.Equal(2, kit.Api.Requests.Count);
    }

    [Fact]
    public async Task A_cut_stream_fails_as_cut_off_after_output_without_a_retry()
    {
        await using var kit = await SignInKit.StartAsync();
        var whole = Fixtures.TypedEventChunks("openai-codex/reasoning-tool-call.chunks.txt");
        kit.Api.Enqueue(whole with { Parts = whole.Parts.Take(6).ToArray() }, whole);
        var (handler, _) = FromFile(kit);

        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")], Tools));

        Assert.Equal("**Reading the file**\n\nI need its contents first.", ReasoningOf(chunks));
        Assert.Contains("cut off", error.Message, StringComparison.Ordinal);
        Assert.True(error.OutputStarted);
        Assert.Equal("openai-codex", error.ProviderId);
        Assert.Single(kit.Api.Requests);
    }

    [Fact]
    public async Task Round_trip_replays_the_encrypted_reasoning_and_the_function_call_with_its_output()
    {
        await using var kit = await SignInKit.StartAsync();
        kit.Api.Enqueue(Fixtures.TypedEventChunks("openai-codex/reasoning-tool-call.chunks.txt"), Fixtures.TypedEventChunks("openai-codex/text.chunks.txt"));
        var (handler, _) = FromFile(kit);
        List<ChatMessage> history = [ChatMessage.User("Read notes.txt")];

        var builder = new AssistantMessageBuilder();
        await foreach (var chunk in handler.CreateMessageAsync("sys", history, Tools))
        {
            builder.Add(chunk);
        }

        history.Add(builder.Build()!);
        history.Add(new ChatMessage(ChatRole.User, [new ToolResultBlock(Assert.Single(builder.ToolCalls).Id, "hi")]));
        var second = await CollectAsync(handler.CreateMessageAsync("sys", history, Tools));

        Assert.Equal("The file says hi.", TextOf(second));
        var input = JsonNode.Parse(kit.Api.Requests[1].Body)!["input"];
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse(
                """
                [{"role":"user","content":[{"type":"input_text","text":"Read notes.txt"}]},
                 {"type":"reasoning","id":"rs_cx_01","summary":[{"type":"summary_text","text":"**Reading the file**\n\nI need its contents first."}],"encrypted_content":"gAAAAABpCodexEncryptedReasoningBlob0123456789=="},
                 {"type":"function_call","id":"fc_cx_01","call_id":"call_cx_7Qa1","name":"read_file","arguments":"{\"path\":\"notes.txt\"}"},
                 {"type":"function_call_output","call_id":"call_cx_7Qa1","output":"hi"}]
                """),
            input),
            input!.ToJsonString());
    }

    [Fact]
    public void The_model_table_is_Clines_and_costs_nothing_per_token()
    {
        var handler = ProviderRegistry.Build(ProviderSettings.Parse("""{"actModeApiProvider":"openai-codex"}"""), Mode.Act);
        var other = ProviderRegistry.Build(ProviderSettings.Parse("""{"actModeApiProvider":"openai-codex","actModeApiModelId":"gpt-5"}"""), Mode.Act);

        Assert.Equal("gpt-5.3-codex", handler.GetModel().Id);
        Assert.Equal(400_000, handler.GetModel().Info.ContextWindow);
        Assert.Equal(128_000, handler.GetModel().Info.MaxTokens);
        Assert.Equal(0m, handler.GetModel().Info.InputPrice);
        Assert.Equal(0m, other.GetModel().Info.OutputPrice);
        Assert.Equal(1_000_000, ProviderRegistry.Build(ProviderSettings.Parse("""{"actModeApiProvider":"openai-codex","actModeApiModelId":"gpt-5.5"}"""), Mode.Act).GetModel().Info.ContextWindow);
    }

    [Theory]
    [InlineData("""{"chatgpt_account_id":"acct-root"}""", "acct-root")]
    [InlineData("""{"https://api.openai.com/auth":{"chatgpt_account_id":"acct-nested"}}""", "acct-nested")]
    [InlineData("""{"organizations":[{"id":"org-first"},{"id":"org-second"}]}""", "org-first")]
    [InlineData("""{"email":"dev@example.com"}""", null)]
    public void The_account_id_comes_from_the_token_claims(string claims, string? expected)
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(expected, OpenAiCodexCredentials.AccountIdIn($"{Part("""{"alg":"none"}""")}.{Part(claims)}.c2ln"));
        Assert.Null(OpenAiCodexCredentials.AccountIdIn("not-a-jwt"));
    }
}

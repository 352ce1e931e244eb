using System.Text.Json;
using Providers.Tests.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAiCompatible;

/// <summary>
/// Every Chat Completions member of the OpenAI-compatible family, built from a Cline settings file by the generated
/// registry and run against a real server on 127.0.0.1: the same stream, the same request shape, the same faults.
/// </summary>
public class FamilyTests
{
    private static readonly JsonElement ReadFileSchema = Json("""{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}""");
    private static readonly IReadOnlyList<ToolDefinition> Tools = [new("read_file", "Reads a file", ReadFileSchema)];
    private const string CallId = "call_Q7x2k9";

    private static (IApiHandler Handler, RetryClock Clock) Create(FamilyMember member, ReplayServer server, params (string, string)[] extra)
    {
        var clock = new RetryClock();
        var handler = ProviderRegistry.Create(member.Id, member.Settings(server.BaseUri, extra), Mode.Act, clock.Attach);
        return (handler, clock);
    }

    [Fact]
    public void The_registry_knows_every_member_by_its_Cline_id()
    {
        foreach (var member in FamilyMember.All)
        {
            // Found as Cline spells it: ids are matched ignoring case (Cline's nousResearch is nousresearch here).
            Assert.NotNull(ProviderRegistry.Instance.Find(member.Id));
        }

        Assert.Contains("openai-native", ProviderRegistry.ProviderIds);
    }

    [Theory]
    [MemberData(nameof(FamilyMember.IdsAtBothBoundaries), MemberType = typeof(FamilyMember))]
    public async Task Replays_text_a_fragmented_tool_call_and_usage_exactly(string id, bool oneByte)
    {
        var member = FamilyMember.Get(id);
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/chat-tool-call.sse").MaybeOneByte(oneByte));
        var (handler, _) = Create(member, server);

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Read notes.txt")], Tools));

        var info = handler.GetModel().Info;
        Assert.Equal(
            [
                new TextChunk("Let me "),
                new TextChunk("check."),
                new ToolCallChunk(CallId, CallId, "read_file", ""),
                new ToolCallChunk(CallId, CallId, "read_file", "{\"path\":"),
                new ToolCallChunk(CallId, CallId, "read_file", "\"notes.txt\"}"),
                new UsageChunk(20, 30, 100, null, null, info.CostOf(20, 30, 0, 100)),
            ],
            chunks);
    }

    [Theory]
    [MemberData(nameof(FamilyMember.Ids), MemberType = typeof(FamilyMember))]
    public async Task Sends_the_documented_request_to_the_overridden_base_url(string id)
    {
        var member = FamilyMember.Get(id);
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"));
        var (handler, _) = Create(member, server);

        await CollectAsync(handler.CreateMessageAsync("Be brief.", [ChatMessage.User("Hi")], Tools));

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(member.Path, request.PathAndQuery);
        if (member.ApiKeyKey is null)
        {
            Assert.False(request.Headers.ContainsKey("Authorization"));
        }
        else
        {
            Assert.Equal("Bearer " + FamilyMember.Key, request.Headers["Authorization"]);
        }

        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(member.Model, root.GetProperty("model").GetString());
        Assert.True(root.GetProperty("stream").GetBoolean());
        Assert.True(root.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal("system", root.GetProperty("messages")[0].GetProperty("role").GetString());
        // Members that cache Anthropic models (vercel-ai-gateway) send the system prompt as one text part with a breakpoint.
        var system = root.GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("Be brief.", system.ValueKind == JsonValueKind.Array ? Assert.Single(system.EnumerateArray()).GetProperty("text").GetString() : system.GetString());
        Assert.Equal("user", root.GetProperty("messages")[1].GetProperty("role").GetString());
        Assert.Equal("read_file", root.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("auto", root.GetProperty("tool_choice").GetString());
        Assert.Equal(member.Temperature, root.TryGetProperty("temperature", out var t) ? t.GetDouble() : null);
        Assert.Equal(handler.GetModel().Id, member.Model);
    }

    [Theory]
    [MemberData(nameof(FamilyMember.Ids), MemberType = typeof(FamilyMember))]
    public async Task Retries_429_with_retry_after_then_succeeds(string id)
    {
        var member = FamilyMember.Get(id);
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(
            ReplayResponse.Json(429, """{"error":{"message":"Rate limit reached","type":"rate_limit_exceeded"}}""", new Dictionary<string, string> { ["Retry-After"] = "2" }),
            Fixtures.Raw("openai-compatible/chat-text.sse"));
        var (handler, clock) = Create(member, server);

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("It says hi.", TextOf(chunks));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(2)], clock.Delays);
    }

    [Theory]
    [MemberData(nameof(FamilyMember.Ids), MemberType = typeof(FamilyMember))]
    public async Task Retries_a_500_then_succeeds(string id)
    {
        var member = FamilyMember.Get(id);
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(500, """{"error":{"message":"internal error"}}"""), Fixtures.Raw("openai-compatible/chat-text.sse"));
        var (handler, clock) = Create(member, server);

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("It says hi.", TextOf(chunks));
        Assert.Equal(2, server.Requests.Count);
        Assert.Single(clock.Delays);
    }

    [Theory]
    [MemberData(nameof(FamilyMember.Ids), MemberType = typeof(FamilyMember))]
    public async Task A_cut_stream_fails_as_cut_off_after_output_without_a_retry(string id)
    {
        var member = FamilyMember.Get(id);
        await using var server = await ReplayServer.StartAsync();
        var whole = Fixtures.Raw("openai-compatible/chat-tool-call.sse");
        server.Enqueue(whole with { Parts = whole.Parts.Take(6).ToArray() }, whole);
        var (handler, _) = Create(member, server);

        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")], Tools));

        Assert.Equal("Let me check.", TextOf(chunks));
        Assert.Contains("cut off", error.Message, StringComparison.Ordinal);
        Assert.True(error.OutputStarted);
        Assert.Equal(member.Id, error.ProviderId, ignoreCase: true);
        Assert.Single(server.Requests);
    }

    [Theory]
    [MemberData(nameof(FamilyMember.Ids), MemberType = typeof(FamilyMember))]
    public async Task Sends_the_tool_call_and_its_result_back_on_the_second_turn(string id)
    {
        var member = FamilyMember.Get(id);
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/chat-tool-call.sse"), Fixtures.Raw("openai-compatible/chat-text.sse"));
        var (handler, _) = Create(member, server);
        List<ChatMessage> history = [ChatMessage.User("Read notes.txt")];

        var first = await CollectAsync(handler.CreateMessageAsync("sys", history, Tools));
        var call = Assert.Single(ToolCallsOf(first));
        history.Add(new ChatMessage(ChatRole.Assistant, [new TextBlock(TextOf(first)), new ToolUseBlock(call.CallId, call.Name, Json(call.Arguments))]));
        history.Add(new ChatMessage(ChatRole.User, [new ToolResultBlock(call.CallId, [new TextBlock("hi")])]));
        var second = await CollectAsync(handler.CreateMessageAsync("sys", history, Tools));

        Assert.Equal("It says hi.", TextOf(second));
        using var body = JsonDocument.Parse(server.Requests[1].Body);
        var messages = body.RootElement.GetProperty("messages").EnumerateArray().ToList();
        var assistant = messages.Single(m => m.GetProperty("role").GetString() == "assistant");
        var sentCall = Assert.Single(assistant.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal(CallId, sentCall.GetProperty("id").GetString());
        Assert.Equal("read_file", sentCall.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"path":"notes.txt"}""", sentCall.GetProperty("function").GetProperty("arguments").GetString());
        var result = messages.Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Equal(CallId, result.GetProperty("tool_call_id").GetString());
        Assert.Contains("hi", result.GetProperty("content").ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FamilyMember.Ids), MemberType = typeof(FamilyMember))]
    public void A_settings_file_without_the_key_names_the_missing_key(string id)
    {
        var member = FamilyMember.Get(id);
        var settings = ProviderSettings.Parse($$"""{"actModeApiProvider":"{{member.Id}}","actModeLmStudioModelId":"m","actModeTogetherModelId":"m","actModeHicapModelId":"m"}""");
        if (member.ApiKeyKey is null || member.Id == "litellm")
        {
            // Local servers and the LiteLLM proxy need no key.
            Assert.Equal(member.Id == "litellm" ? member.Model : "m", ProviderRegistry.Build(settings, Mode.Act).GetModel().Id);
            return;
        }

        var error = Assert.ThrowsAny<ProviderConfigurationException>(() => ProviderRegistry.Build(settings, Mode.Act));
        Assert.Contains(member.ApiKeyKey, error.Message, StringComparison.Ordinal);
    }
}

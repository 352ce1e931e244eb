using System.Text.Json;
using Providers.Tests.Replay;
using static Providers.Tests.Bedrock.BedrockTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Bedrock;

public class BedrockRoundTripTests
{
    private static readonly ToolDefinition Weather = new(
        "get_weather", "Current weather", JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement.Clone());

    [Fact]
    public async Task A_tool_call_and_its_signed_reasoning_go_back_unchanged_with_the_tool_result()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(
            Frames(
                EventStreamEncoder.Event("messageStart", """{"p":"abc","role":"assistant"}"""),
                EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Need the "}},"p":"ab"}"""),
                EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"weather."}},"p":"ab"}"""),
                EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"EqoBCkgIARABGAIiQSIG-SIGNATURE=="}},"p":"ab"}"""),
                EventStreamEncoder.Event("contentBlockStop", """{"contentBlockIndex":0,"p":"abcd"}"""),
                EventStreamEncoder.Event("contentBlockStart", """{"contentBlockIndex":1,"p":"a","start":{"toolUse":{"name":"get_weather","toolUseId":"tooluse_Paris01"}}}"""),
                EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"city\":"}},"p":"ab"}"""),
                EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"\"Paris\"}"}},"p":"ab"}"""),
                EventStreamEncoder.Event("contentBlockStop", """{"contentBlockIndex":1,"p":"abcd"}"""),
                EventStreamEncoder.Event("messageStop", """{"p":"abcdef","stopReason":"tool_use"}"""),
                EventStreamEncoder.Event("metadata", """{"metrics":{"latencyMs":900},"p":"abc","usage":{"inputTokens":310,"outputTokens":61,"totalTokens":371}}""")),
            Fixture("bedrock-text.chunks.txt"));
        var handler = Handler(server, clock, o => o.ThinkingBudgetTokens = 2048);
        var question = ChatMessage.User("Weather in Paris?");

        var first = await CollectAsync(handler.CreateMessageAsync("You are terse.", [question], [Weather]));

        var call = Assert.Single(ToolCalls(first));
        Assert.Equal(("tooluse_Paris01", "get_weather", """{"city":"Paris"}"""), call);
        var signature = Assert.Single(first.OfType<ReasoningChunk>(), r => r.Signature is not null).Signature;
        var assistant = new ChatMessage(ChatRole.Assistant, [
            new ThinkingBlock(Reasoning(first), signature),
            new ToolUseBlock(call.Id, call.Name, JsonDocument.Parse(call.Arguments).RootElement.Clone()),
        ]);
        var result = new ChatMessage(ChatRole.User, [new ToolResultBlock(call.Id, "18 C, sunny")]);

        var second = await CollectAsync(handler.CreateMessageAsync("You are terse.", [question, assistant, result], [Weather]));

        Assert.StartsWith("Let me count", StreamCollector.Text(second), StringComparison.Ordinal);
        var body = server.Requests[1].Body;
        Assert.Equal(
            """[{"role":"user","content":[{"text":"Weather in Paris?"}]},"""
            + """{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"Need the weather.","signature":"EqoBCkgIARABGAIiQSIG-SIGNATURE=="}}},{"toolUse":{"toolUseId":"tooluse_Paris01","name":"get_weather","input":{"city":"Paris"}}}]},"""
            + """{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_Paris01","content":[{"text":"18 C, sunny"}],"status":"success"}}]}]""",
            Member(body, "messages"));
        Assert.Equal(
            """{"tools":[{"toolSpec":{"name":"get_weather","description":"Current weather","inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}}],"toolChoice":{"auto":{}}}""",
            Member(body, "toolConfig"));
        Assert.Equal("""{"thinking":{"type":"enabled","budget_tokens":2048}}""", Member(body, "additionalModelRequestFields"));
    }

    [Fact]
    public async Task Redacted_reasoning_goes_back_as_redacted_content_and_an_error_result_keeps_its_status()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("bedrock-text.chunks.txt"));

        await CollectAsync(Handler(server, clock).CreateMessageAsync("s", [
            ChatMessage.User("go"),
            new ChatMessage(ChatRole.Assistant, [new RedactedThinkingBlock("RVhBTVBMRQ=="), new ThinkingBlock("unsigned, from elsewhere"), new ToolUseBlock("t1", "list_files", default)]),
            new ChatMessage(ChatRole.User, [new TextBlock("and?"), new ToolResultBlock("t1", "permission denied", isError: true)]),
        ], [Weather]));

        Assert.Equal(
            """[{"role":"user","content":[{"text":"go"}]},"""
            + """{"role":"assistant","content":[{"reasoningContent":{"redactedContent":"RVhBTVBMRQ=="}},{"toolUse":{"toolUseId":"t1","name":"list_files","input":{}}}]},"""
            + """{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"permission denied"}],"status":"error"}},{"text":"and?"}]}]""",
            Member(Assert.Single(server.Requests).Body, "messages"));
    }
}

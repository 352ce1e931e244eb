using System.Text.Json;

namespace Providers.Abstractions.Tests.Messages;

public class AssistantMessageBuilderTests
{
    private static AssistantMessageBuilder Feed(params ApiStreamChunk[] chunks)
    {
        var builder = new AssistantMessageBuilder();
        foreach (var chunk in chunks)
        {
            builder.Add(chunk);
        }

        return builder;
    }

    [Fact]
    public void Keeps_thinking_with_its_signature_text_and_whole_tool_calls_in_stream_order()
    {
        var builder = Feed(
            new ReasoningChunk("Let me "), new ReasoningChunk("think."), new ReasoningChunk("", Signature: "sig"),
            new TextChunk("I'll "), new TextChunk("look."),
            new UsageChunk(1, 1),
            new ToolCallChunk("t1", "t1", "get_weather", "{\"city\":"),
            new ToolCallChunk("t2", "t2", "broken", "{\"cut"),
            new ToolCallChunk("t1", "t1", "get_weather", "\"Paris\"}"));

        var message = builder.Build()!;

        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Equal(4, message.Content.Count);
        Assert.Equal(new ThinkingBlock("Let me think.", "sig"), message.Content[0]);
        Assert.Equal(new TextBlock("I'll look."), message.Content[1]);
        var call = Assert.IsType<ToolUseBlock>(message.Content[2]);
        Assert.Equal(("t1", "get_weather", "{\"city\":\"Paris\"}", (string?)null), (call.Id, call.Name, call.Input.GetRawText(), call.FunctionId));
        var broken = Assert.IsType<ToolUseBlock>(message.Content[3]);
        Assert.Equal("{}", broken.Input.GetRawText());
        Assert.Equal(["t1", "t2"], builder.ToolCalls.Select(c => c.Id));
    }

    [Fact]
    public void A_signed_thinking_block_is_closed_and_the_next_reasoning_starts_a_new_one()
    {
        var message = Feed(
            new ReasoningChunk("first"), new ReasoningChunk("", Signature: "s1"),
            new ReasoningChunk("second"), new ReasoningChunk("", Signature: "s2"),
            new ReasoningChunk("", RedactedData: "ENCRYPTED"),
            new TextChunk("done")).Build()!;

        Assert.Equal<ContentBlock>(
            [new ThinkingBlock("first", "s1"), new ThinkingBlock("second", "s2"), new RedactedThinkingBlock("ENCRYPTED"), new TextBlock("done")],
            message.Content);
    }

    [Fact]
    public void Text_after_a_tool_call_is_a_new_text_block()
    {
        var message = Feed(new TextChunk("a"), new ToolCallChunk("c", "c", "t", "{}"), new TextChunk("b")).Build()!;

        Assert.Equal(3, message.Content.Count);
        Assert.Equal(new TextBlock("b"), message.Content[2]);
    }

    [Fact]
    public void Keeps_the_function_item_id_when_it_differs_from_the_call_id()
    {
        var call = Assert.Single(Feed(new ToolCallChunk("call_1", "fc_1", "calc", "{\"a\":1}")).ToolCalls);

        Assert.Equal(("call_1", "fc_1"), (call.Id, call.FunctionId));
    }

    [Fact]
    public void Sums_the_usage_increments()
    {
        var builder = Feed(new UsageChunk(10, 1, CacheReadTokens: 5), new TextChunk("x"), new UsageChunk(0, 7, TotalCost: 0.5m));

        Assert.Equal(new UsageChunk(10, 8, 5, null, null, 0.5m), builder.Usage);
    }

    [Fact]
    public void An_answer_without_content_builds_no_message()
    {
        var builder = Feed(new UsageChunk(3, 0), new TextChunk(""));

        Assert.Null(builder.Build());
        Assert.False(builder.HasContent);
    }

    [Fact]
    public void Merges_streamed_reasoning_details_by_index_into_one_state_block_before_the_text()
    {
        var message = Feed(
            new ReasoningChunk("Need ", Details: """[{"type":"reasoning.text","text":"Need ","format":"anthropic-claude-v1","index":0}]"""),
            new ReasoningChunk("files.", Details: """[{"type":"reasoning.text","text":"files.","index":0}]"""),
            new ReasoningChunk("", Signature: "sig", Details: """[{"type":"reasoning.text","signature":"sig","format":"anthropic-claude-v1","index":0}]"""),
            new ReasoningChunk("", RedactedData: "enc", Details: """[{"type":"reasoning.encrypted","data":"enc","id":"r1","index":1}]"""),
            new TextChunk("Listing.")).Build()!;

        Assert.Equal<ContentBlock>(
            [
                new ThinkingBlock("Need files.", "sig"),
                new ReasoningStateBlock(
                    ReasoningStateFormats.ReasoningDetails,
                    """[{"type":"reasoning.text","text":"Need files.","format":"anthropic-claude-v1","index":0,"signature":"sig"},{"type":"reasoning.encrypted","data":"enc","id":"r1","index":1}]"""),
                new TextBlock("Listing."),
            ],
            message.Content);
    }

    [Fact]
    public void Keeps_other_reasoning_state_where_it_arrived()
    {
        const string Item = """{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"gAAA"}""";
        var message = Feed(
            new ReasoningChunk("Summary."),
            new ReasoningChunk("", Details: Item) { DetailsFormat = ReasoningStateFormats.OpenAiResponses },
            new ToolCallChunk("call_1", "fc_1", "calc", "{}")).Build()!;

        Assert.Equal(new ReasoningStateBlock(ReasoningStateFormats.OpenAiResponses, Item), message.Content[1]);
        Assert.IsType<ToolUseBlock>(message.Content[2]);
    }

    [Fact]
    public async Task A_turn_of_many_tool_calls_never_stalls_on_finding_its_call()
    {
        // 400,000 argument fragments over 20,000 calls: a search through the calls per chunk (the old builder) takes
        // billions of steps; a lookup by id takes well under a second. The limit is about stalling, not speed.
        const int Calls = 20_000;
        const int Chunks = 400_000;
        var run = Task.Run(() =>
        {
            var builder = new AssistantMessageBuilder();
            for (var i = 0; i < Chunks; i++)
            {
                var id = "call_" + (i % Calls);
                builder.Add(new ToolCallChunk(id, id, "t", i < Calls ? "[" : i >= Chunks - Calls ? "0]" : "0,"));
            }

            return builder.Build()!;
        });

        var message = await run.WaitAsync(TimeSpan.FromSeconds(30));
        var calls = message.Content.Cast<ToolUseBlock>().ToList();
        Assert.Equal(Calls, calls.Count);
        Assert.Equal(Chunks / Calls - 1, calls[0].Input.GetArrayLength());
    }
}

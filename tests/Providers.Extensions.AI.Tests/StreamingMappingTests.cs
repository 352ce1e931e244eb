using System.Text.Json;
using Microsoft.Extensions.AI;
using MEAI = Microsoft.Extensions.AI;

namespace Providers.Extensions.AI.Tests;

/// <summary>How our chunks become M.E.AI updates.</summary>
public sealed class StreamingMappingTests
{
    private static async Task<List<ChatResponseUpdate>> Updates(IApiHandler handler, ChatOptions? options = null)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in handler.AsChatClient().GetStreamingResponseAsync("hi", options))
        {
            updates.Add(update);
        }

        return updates;
    }

    [Fact]
    public async Task Text_reasoning_and_usage_map_one_update_each_and_the_stream_ends_with_stop()
    {
        var handler = new RecordingHandler(
            new ReasoningChunk("Think"), new ReasoningChunk("ing."), new ReasoningChunk("", Signature: "sig-1"),
            new TextChunk("Hel"), new TextChunk("lo"),
            new UsageChunk(10, 5, CacheReadTokens: 100, CacheWriteTokens: 20, ReasoningTokens: 3));

        var updates = await Updates(handler);

        Assert.Equal(7, updates.Count);
        Assert.All(updates, u => Assert.Equal(MEAI.ChatRole.Assistant, u.Role));
        Assert.All(updates, u => Assert.Equal("recorded-model", u.ModelId));
        Assert.Single(updates.Select(u => u.ResponseId).Distinct());
        Assert.Equal(["Think", "ing.", ""], updates.Take(3).Select(u => Assert.IsType<TextReasoningContent>(Assert.Single(u.Contents)).Text));
        Assert.Equal([null, null, "sig-1"], updates.Take(3).Select(u => ((TextReasoningContent)u.Contents[0]).ProtectedData));
        Assert.Equal(["Hel", "lo"], updates.Skip(3).Take(2).Select(u => Assert.IsType<TextContent>(Assert.Single(u.Contents)).Text));
        var usage = Assert.IsType<UsageContent>(Assert.Single(updates[5].Contents)).Details;
        Assert.Equal((130L, 5L, 135L, 100L, 3L), (usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount, usage.CachedInputTokenCount, usage.ReasoningTokenCount));
        Assert.Equal(20, usage.AdditionalCounts![ProvidersChatClientExtensions.CacheWriteInputTokensKey]);
        Assert.Empty(updates[6].Contents);
        Assert.Equal(ChatFinishReason.Stop, updates[6].FinishReason);
    }

    [Fact]
    public async Task Aggregated_response_keeps_the_reasoning_signature_and_sums_usage_increments()
    {
        var handler = new RecordingHandler(
            new ReasoningChunk("Think"), new ReasoningChunk("ing."), new ReasoningChunk("", Signature: "sig-1"),
            new UsageChunk(10, 0), new TextChunk("Hel"), new TextChunk("lo"), new UsageChunk(0, 7, CacheReadTokens: 4));

        var response = await handler.AsChatClient().GetResponseAsync("hi");

        var message = Assert.Single(response.Messages);
        Assert.Equal(2, message.Contents.Count);
        var reasoning = Assert.IsType<TextReasoningContent>(message.Contents[0]);
        Assert.Equal(("Thinking.", "sig-1"), (reasoning.Text, reasoning.ProtectedData));
        Assert.Equal("Hello", response.Text);
        Assert.Equal((14L, 7L, 21L, 4L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount, response.Usage.CachedInputTokenCount));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("recorded-model", response.ModelId);
        Assert.Null(response.AdditionalProperties);
    }

    [Fact]
    public async Task Tool_call_fragments_become_one_function_call_per_call_when_the_next_call_starts_or_the_stream_ends()
    {
        var handler = new RecordingHandler(
            new TextChunk("Checking."),
            new ToolCallChunk("call_1", "fc_1", "get_weather", ""),
            new ToolCallChunk("call_1", "fc_1", "get_weather", "{\"ci"),
            new ToolCallChunk("call_1", "fc_1", "get_weather", "ty\": \"Paris\"}"),
            new ToolCallChunk("call_2", "fc_2", "get_time", "{}"),
            new UsageChunk(3, 4));

        var updates = await Updates(handler);

        var contents = updates.SelectMany(u => u.Contents).ToList();
        Assert.Equal(4, contents.Count);
        Assert.Equal("Checking.", Assert.IsType<TextContent>(contents[0]).Text);
        var first = Assert.IsType<FunctionCallContent>(contents[1]);
        Assert.Equal(("call_1", "get_weather"), (first.CallId, first.Name));
        Assert.Equal("Paris", ((JsonElement)first.Arguments!["city"]!).GetString());
        Assert.Null(first.Exception);
        // The usage increment arrived while call_2 was still open, so it precedes the call that the stream's end completes.
        Assert.IsType<UsageContent>(contents[2]);
        var second = Assert.IsType<FunctionCallContent>(contents[3]);
        Assert.Equal(("call_2", "get_time"), (second.CallId, second.Name));
        Assert.Empty(second.Arguments!);
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
    }

    [Fact]
    public async Task Arguments_that_are_not_a_json_object_are_reported_on_the_call_not_thrown()
    {
        var handler = new RecordingHandler(new ToolCallChunk("call_1", "call_1", "get_weather", "{\"city\": "));

        var response = await handler.AsChatClient().GetResponseAsync("hi");

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages[0].Contents));
        Assert.Equal("call_1", call.CallId);
        Assert.NotNull(call.Exception);
    }

    [Fact]
    public async Task Redacted_reasoning_is_marked_so_it_round_trips_as_redacted_thinking()
    {
        var handler = new RecordingHandler(new ReasoningChunk("", RedactedData: "ENCRYPTED"), new TextChunk("ok"));
        var response = await handler.AsChatClient().GetResponseAsync("hi");
        var again = new RecordingHandler();

        await again.AsChatClient().GetResponseAsync([.. response.Messages, new MEAI.ChatMessage(MEAI.ChatRole.User, "more")]);

        Assert.Equal(["assistant: redacted(ENCRYPTED) | text(ok)", "user: text(more)"], Describe.Messages(again.Messages!));
    }

    [Fact]
    public async Task Metadata_names_the_provider_and_the_handlers_model_and_the_handler_is_reachable()
    {
        var handler = new RecordingHandler();
        using var client = handler.AsChatClient("ollama");

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.Equal(("ollama", "recorded-model"), (metadata?.ProviderName, metadata?.DefaultModelId));
        Assert.Same(handler, client.GetService<IApiHandler>());
        Assert.Same(client, client.GetService<IChatClient>());
    }
}

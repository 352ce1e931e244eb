using System.Net;
using Microsoft.Extensions.AI;
using Providers.OpenRouter;
using Providers.Tests.Replay;

namespace Providers.Extensions.AI.Tests;

/// <summary>Usage a provider reports only after the stream (<see cref="IApiHandler.GetApiStreamUsageAsync"/>) reaches the chat client's response.</summary>
public sealed class OutOfBandUsageTests
{
    private static OpenRouterHandler Handler(ReplayServer server, FastRetryClock clock) =>
        new(clock.Attach(new OpenRouterOptions { ApiKey = "sk-test", BaseUrl = new Uri(server.BaseUri, "api/v1"), ModelId = "anthropic/claude-sonnet-4.5" }));

    [Fact]
    public async Task Usage_looked_up_after_a_stream_without_usage_is_in_the_response()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixtures.Raw("openai-chat/anthropic-fallback-tool-call.sse"), ReplayResponse.Json(200, Fixtures.Text("openrouter/generation.json")));

        var response = await Handler(server, clock).AsChatClient("openrouter").GetResponseAsync("Hi");

        // The generation record: 1520 prompt tokens of which 1024 cached, 64 out, 12 of them reasoning.
        Assert.NotNull(response.Usage);
        Assert.Equal((1520L, 1024L, 64L, 12L), (response.Usage.InputTokenCount!.Value, response.Usage.CachedInputTokenCount!.Value, response.Usage.OutputTokenCount!.Value, response.Usage.ReasoningTokenCount!.Value));
        Assert.Equal(("GET", "/api/v1/generation?id=msg_sanitized"), (server.Requests[1].Method, server.Requests[1].PathAndQuery));
    }

    [Fact]
    public async Task A_stream_that_carried_usage_is_not_looked_up_again()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixtures.Raw("openrouter/chat-reasoning-tool-call.sse"));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Handler(server, clock).AsChatClient("openrouter").GetStreamingResponseAsync("Hi"))
        {
            updates.Add(update);
        }

        Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_failed_lookup_leaves_the_usage_out_and_keeps_the_answer()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(
            Fixtures.Raw("openai-chat/anthropic-fallback-tool-call.sse"),
            ReplayResponse.Json((int)HttpStatusCode.NotFound, """{"error":{"code":404,"message":"Generation not found"}}"""));

        var response = await Handler(server, clock).AsChatClient("openrouter").GetResponseAsync("Hi");

        Assert.Null(response.Usage);
        Assert.NotEmpty(response.Messages);
        Assert.Equal(2, server.Requests.Count);
    }
}

using Providers.Tests.Replay;
using static Providers.Tests.Ollama.OllamaTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Ollama;

public class OllamaFixtureTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Streams_text_then_usage_from_the_done_line(bool oneByteAtATime)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("chat-text.ndjson", oneByteAtATime));

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal(
        [
            new TextChunk("The"),
            new TextChunk(" sky"),
            new TextChunk(" looks"),
            new TextChunk(" blue"),
            new TextChunk(" because of Rayleigh scattering \u2014 short wavelengths scatter more.\n"),
            new UsageChunk(31, 17, TotalCost: 0m),
        ], chunks);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Streams_thinking_as_reasoning_before_the_answer(bool oneByteAtATime)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("chat-thinking.ndjson", oneByteAtATime));

        var chunks = await CollectAsync(Ask(Handler(server, clock, o => o.Think = true, model: "qwen3:8b")));

        Assert.Equal(
        [
            new ReasoningChunk("The user asks"),
            new ReasoningChunk(" for 17 * 23. 17*20=340, 17*3=51,"),
            new ReasoningChunk(" total 391."),
            new TextChunk("17 \u00d7 23"),
            new TextChunk(" = 391"),
            new UsageChunk(18, 44, TotalCost: 0m),
        ], chunks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Yields_each_whole_tool_call_with_a_stable_unique_id(bool oneByteAtATime)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("chat-tool-calls.ndjson", oneByteAtATime), Fixture("chat-tool-calls.ndjson", oneByteAtATime));
        var handler = Handler(server, clock);

        var chunks = await CollectAsync(Ask(handler));
        var again = await CollectAsync(Ask(handler));

        Assert.Equal(
        [
            new ToolCallChunk("ollama_call_0_53d12f669d91", "ollama_call_0_53d12f669d91", "get_weather", """{"city":"Tokyo"}"""),
            new ToolCallChunk("ollama_call_1_d6c81492de46", "ollama_call_1_d6c81492de46", "get_time", """{"timezone":"Asia/Tokyo","format":"24h"}"""),
            new UsageChunk(169, 15, TotalCost: 0m),
        ], chunks);
        Assert.Equal(chunks, again);
    }

    [Fact]
    public void Tool_call_ids_differ_between_responses_and_positions()
    {
        var a = Providers.Ollama.OllamaHandler.MakeCallId("2026-11-20T09:31:40.184789Z", 0, "get_weather", """{"city":"Tokyo"}""");
        var b = Providers.Ollama.OllamaHandler.MakeCallId("2026-11-20T09:35:00.000000Z", 0, "get_weather", """{"city":"Tokyo"}""");
        var c = Providers.Ollama.OllamaHandler.MakeCallId("2026-11-20T09:31:40.184789Z", 1, "get_weather", """{"city":"Tokyo"}""");
        Assert.Equal(3, new[] { a, b, c }.Distinct().Count());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_mid_stream_error_line_fails_after_the_text_it_followed(bool oneByteAtATime)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("chat-midstream-error.ndjson", oneByteAtATime));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal([new TextChunk(" Yes"), new TextChunk(".")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.True(ex.OutputStarted);
        Assert.Contains("an error was encountered while running the model", ex.Message);
        Assert.Contains("llama3.2", ex.Message);
        Assert.Single(server.Requests);
        AssertNoSecret(ex);
    }

    [Fact]
    public async Task A_missing_model_fails_once_with_advice_to_pull_it()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(ReplayResponse.Json(404, Fixtures.Text("ollama/error-model-not-found.json")));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock, model: "llama9")));

        Assert.Empty(chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.StatusCode);
        Assert.False(ex.IsRetryable);
        Assert.Equal("model_not_found", ex.ErrorType);
        Assert.Contains("'llama9' is not installed", ex.Message);
        Assert.Contains("ollama pull llama9", ex.Message);
        Assert.Single(server.Requests);
        Assert.Empty(clock.Retries);
    }
}

using System.Text.Json.Nodes;
using Providers.Ollama;
using Providers.Tests.Replay;
using static Providers.Tests.Ollama.OllamaTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Ollama;

/// <summary>Per-request overrides (<see cref="IApiHandlerWithOverrides"/>) on the wire.</summary>
public class OllamaOverrideTests
{
    private static async Task<JsonNode> SendAsync(RequestOverrides overrides, Action<OllamaOptions>? configure = null)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("chat-text.ndjson"));
        IApiHandlerWithOverrides handler = Handler(server, clock, configure);

        await CollectAsync(handler.CreateMessageAsync("You are terse.", [ChatMessage.User("Why is the sky blue?")], null, overrides));

        return JsonNode.Parse(Assert.Single(server.Requests).Body)!;
    }

    private static void AssertBody(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual.ToJsonString());

    [Fact]
    public void Every_override_is_supported()
    {
        var handler = new OllamaHandler(new OllamaOptions { ModelId = "llama3.2" });

        Assert.Equal(RequestOverrideKinds.All, handler.SupportedOverrides);
    }

    [Fact]
    public async Task Without_overrides_the_body_carries_the_configured_model_and_no_sampling_options()
    {
        var body = await SendAsync(RequestOverrides.None);

        AssertBody("""
            {"model":"llama3.2","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Why is the sky blue?"}],
             "stream":true,"options":{"num_ctx":32768}}
            """, body);
    }

    [Fact]
    public async Task The_overrides_become_the_model_temperature_num_predict_and_think()
    {
        var body = await SendAsync(new RequestOverrides { ModelId = "qwen3:8b", Temperature = 0.3, MaxOutputTokens = 256, ReasoningEffort = ReasoningEffort.High });

        AssertBody("""
            {"model":"qwen3:8b","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Why is the sky blue?"}],
             "stream":true,"think":true,"options":{"num_ctx":32768,"temperature":0.3,"num_predict":256}}
            """, body);
    }

    [Theory]
    [InlineData(ReasoningEffort.None, false)]
    [InlineData(ReasoningEffort.Low, true)]
    [InlineData(ReasoningEffort.Medium, true)]
    [InlineData(ReasoningEffort.ExtraHigh, true)]
    public async Task A_reasoning_effort_replaces_the_configured_think(ReasoningEffort effort, bool think)
    {
        var body = await SendAsync(new RequestOverrides { ReasoningEffort = effort }, o => o.Think = !think);

        Assert.Equal(think, body["think"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_model_override_that_is_not_installed_is_named_in_the_error()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(ReplayResponse.Json(404, Fixtures.Text("ollama/error-model-not-found.json")));
        IApiHandlerWithOverrides handler = Handler(server, clock);

        var (_, error) = await CollectUntilErrorAsync(
            handler.CreateMessageAsync("", [ChatMessage.User("Hi")], null, new RequestOverrides { ModelId = "llama9" }));

        var ex = Assert.IsType<ProviderException>(error);
        Assert.Contains("'llama9' is not installed", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ollama pull llama9", ex.Message, StringComparison.Ordinal);
        Assert.Equal("llama3.2", handler.GetModel().Id);
    }
}

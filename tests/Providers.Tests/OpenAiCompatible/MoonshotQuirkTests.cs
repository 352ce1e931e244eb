using System.Text.Json;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAiCompatible;

/// <summary>Moonshot's per-model temperatures, output limits and cache usage, as Cline and Moonshot's parameter reference ask.</summary>
public class MoonshotQuirkTests
{
    private static IApiHandlerWithOverrides Create(ReplayServer server, string? model = null) =>
        (IApiHandlerWithOverrides)ProviderRegistry.Create(
            "moonshot",
            FamilyMember.Get("moonshot").Settings(server.BaseUri, model is null ? [] : [("actModeApiModelId", model)]),
            Mode.Act);

    private static JsonElement BodyOf(ReplayServer server, int index = 0)
    {
        using var doc = JsonDocument.Parse(server.Requests[index].Body);
        return doc.RootElement.Clone();
    }

    [Theory]
    [InlineData("kimi-k2-0905-preview", 0.6, 16_384)]
    [InlineData("kimi-k2-turbo-preview", 0.6, 32_000)]
    [InlineData("kimi-k2-thinking", 1.0, 32_000)]
    [InlineData("kimi-k2-thinking-turbo", 1.0, 32_000)]
    [InlineData("kimi-k2.5", 1.0, 32_000)]
    [InlineData("moonshot-v1-8k", null, null)]
    public async Task Sends_each_model_its_documented_temperature_and_output_limit(string model, double? temperature, int? maxTokens)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"));

        await CollectAsync(Create(server, model).CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        var body = BodyOf(server);
        Assert.Equal(model, body.GetProperty("model").GetString());
        Assert.Equal(temperature, body.TryGetProperty("temperature", out var t) ? t.GetDouble() : null);
        Assert.Equal(maxTokens, body.TryGetProperty("max_tokens", out var m) ? m.GetInt32() : null);
    }

    [Fact]
    public async Task A_temperature_override_applies_to_the_k2_series_but_the_fixed_k2_5_offers_none()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"));
        var k2 = Create(server, "kimi-k2-0905-preview");
        var k25 = Create(server, "kimi-k2.5");

        await CollectAsync(k2.CreateMessageAsync("sys", [ChatMessage.User("Hi")], null, new RequestOverrides { Temperature = 0.3, MaxOutputTokens = 900 }));

        Assert.Equal(0.3, BodyOf(server).GetProperty("temperature").GetDouble());
        Assert.Equal(900, BodyOf(server).GetProperty("max_tokens").GetInt32());
        Assert.True(k2.SupportedOverrides.HasFlag(RequestOverrideKinds.Temperature));
        Assert.False(k25.SupportedOverrides.HasFlag(RequestOverrideKinds.Temperature));
    }

    [Fact]
    public async Task A_temperature_for_an_overriding_fixed_temperature_model_fails_before_sending()
    {
        await using var server = await ReplayServer.StartAsync();
        var handler = Create(server, "kimi-k2-0905-preview");

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")], null, new RequestOverrides { ModelId = "kimi-k2.5", Temperature = 0.2 })));

        Assert.Contains("'kimi-k2.5' cannot be changed", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reads_reasoning_content_and_the_top_level_cached_tokens(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/moonshot-thinking-cache.sse").MaybeOneByte(oneByte));

        var chunks = await CollectAsync(Create(server, "kimi-k2.5").CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        // kimi-k2.5 in Cline's table: input 0.6, output 3.0, cache reads 0.1 per million.
        Assert.Equal(
            [
                new ReasoningChunk("Recall the "),
                new ReasoningChunk("earlier turn."),
                new TextChunk("Same as before."),
                new UsageChunk(176, 60, 1024, null, null, (176 * 0.6m + 60 * 3m + 1024 * 0.1m) / 1_000_000m),
            ],
            chunks);
    }
}

using System.Text.Json;
using Providers.Tests.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAiCompatible;

/// <summary><c>openai-native</c>: OpenAI's own API through the Responses API, with its own Cline keys.</summary>
public class OpenAiNativeTests
{
    private static (IApiHandler Handler, RetryClock Clock) Create(ReplayServer server, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string> { ["openAiNativeApiKey"] = FamilyMember.Key, ["openAiNativeBaseUrl"] = new Uri(server.BaseUri, "v1").ToString() };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var clock = new RetryClock();
        return (ProviderRegistry.Create("openai-native", ProviderSettings.Parse(JsonSerializer.Serialize(settings)), Mode.Act, clock.Attach), clock);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Streams_the_responses_api_with_the_native_key_and_default_model(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.TypedEventChunks("openai-responses/azure-text.1.chunks.txt").MaybeOneByte(oneByte));
        var (handler, _) = Create(server, ("actModeReasoningEffort", "low"));

        var chunks = await CollectAsync(handler.CreateMessageAsync("Be brief.", [ChatMessage.User("Hi")]));

        Assert.NotEmpty(TextOf(chunks));
        Assert.NotNull(UsageOf(chunks));
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/responses", request.PathAndQuery);
        Assert.Equal("Bearer " + FamilyMember.Key, request.Headers["Authorization"]);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("gpt-5.5", body.RootElement.GetProperty("model").GetString());
        Assert.Equal("Be brief.", body.RootElement.GetProperty("instructions").GetString());
        Assert.Equal("low", body.RootElement.GetProperty("reasoning").GetProperty("effort").GetString());
        Assert.Equal("gpt-5.5", handler.GetModel().Id);
        Assert.Equal(1_050_000, handler.GetModel().Info.ContextWindow);
    }

    [Fact]
    public async Task Retries_429_then_succeeds_and_names_itself_in_errors()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(
            ReplayResponse.Json(429, """{"error":{"message":"slow down","type":"rate_limit_exceeded"}}""", new Dictionary<string, string> { ["Retry-After"] = "1" }),
            Fixtures.TypedEventChunks("openai-responses/azure-text.1.chunks.txt"),
            ReplayResponse.Json(401, """{"error":{"message":"bad key","type":"invalid_request_error"}}"""));
        var (handler, clock) = Create(server);

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        var (_, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.NotEmpty(TextOf(chunks));
        Assert.Equal([TimeSpan.FromSeconds(1)], clock.Delays);
        Assert.Equal("openai-native", error.ProviderId);
        Assert.Equal(3, server.Requests.Count);
    }
}

using Providers.Anthropic;
using Providers.Tests.Replay;

namespace Providers.Tests.Anthropic;

internal static class AnthropicTestKit
{
    public const string Secret = "sk-test-SECRET-0123456789";

    public static ReplayResponse Chunks(string name, bool oneByteAtATime = false)
    {
        var response = Fixtures.TypedEventChunks("anthropic/" + name);
        return oneByteAtATime ? response.OneByteAtATime() : response;
    }

    public static ReplayResponse RawSse(string name, bool oneByteAtATime = false)
    {
        var response = Fixtures.Raw("anthropic/raw-sse/" + name);
        return oneByteAtATime ? response.OneByteAtATime() : response;
    }

    /// <summary>An SSE response made of the given typed events (JSON objects with a "type").</summary>
    public static ReplayResponse Events(params string[] events) => new()
    {
        Parts = events.Select(e =>
        {
            using var doc = System.Text.Json.JsonDocument.Parse(e);
            return System.Text.Encoding.UTF8.GetBytes($"event: {doc.RootElement.GetProperty("type").GetString()}\ndata: {e}\n\n");
        }).ToArray(),
    };

    public static AnthropicHandler Handler(ReplayServer server, FastRetryClock clock, Action<AnthropicOptions>? configure = null)
    {
        var options = clock.Attach(new AnthropicOptions { BaseUrl = server.BaseUri, ApiKey = Secret });
        configure?.Invoke(options);
        return new AnthropicHandler(options);
    }

    public static IAsyncEnumerable<ApiStreamChunk> Ask(IApiHandler handler, CancellationToken cancellationToken = default) =>
        handler.CreateMessageAsync("You are terse.", [ChatMessage.User("Hello")], null, cancellationToken);

    public static void AssertNoSecret(Exception exception)
    {
        Assert.DoesNotContain(Secret, exception.ToString(), StringComparison.Ordinal);
    }
}

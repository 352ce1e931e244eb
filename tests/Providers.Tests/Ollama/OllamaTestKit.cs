using Providers.Ollama;
using Providers.Tests.Replay;

namespace Providers.Tests.Ollama;

internal static class OllamaTestKit
{
    public const string Secret = "sk-test-SECRET-0123456789";

    public const string NdJson = "application/x-ndjson";

    public static ReplayResponse Fixture(string name, bool oneByteAtATime = false)
    {
        var response = Fixtures.Raw("ollama/" + name, NdJson);
        return oneByteAtATime ? response.OneByteAtATime() : response;
    }

    public static OllamaHandler Handler(ReplayServer server, FastRetryClock clock, Action<OllamaOptions>? configure = null, string model = "llama3.2")
    {
        var options = clock.Attach(new OllamaOptions { BaseUrl = server.BaseUri, ModelId = model, ApiKey = Secret });
        configure?.Invoke(options);
        return new OllamaHandler(options);
    }

    public static IAsyncEnumerable<ApiStreamChunk> Ask(IApiHandler handler, CancellationToken cancellationToken = default) =>
        handler.CreateMessageAsync("You are terse.", [ChatMessage.User("Why is the sky blue?")], null, cancellationToken);

    public static void AssertNoSecret(Exception exception)
    {
        Assert.DoesNotContain(Secret, exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, exception.Message, StringComparison.Ordinal);
    }
}

using System.Text;
using Providers.Anthropic;
using Providers.Gemini;
using Providers.Ollama;
using Providers.OpenAi;
using Providers.OpenRouter;
using Providers.Tests.Bedrock;
using Providers.Tests.OpenAiCompatible;
using Providers.Tests.Replay;
using Providers.Vertex;

namespace Providers.Tests.Abort;

/// <summary><see cref="IApiHandler.Abort"/> cancels the request in flight on every built-in provider, over a real socket.</summary>
public class AbortTests
{
    /// <summary>Generous: these tests are about never hanging, not about speed.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>Every built-in HTTP provider (Vertex twice: its Claude side and its Gemini side); claude-code is in <see cref="ClaudeCodeAbortTests"/>.</summary>
    public static TheoryData<string> ProviderIds =>
    [
        "anthropic", "openai", "openrouter", "ollama", "openai-native", "gemini", "vertex/gemini", "vertex/claude", "bedrock",
        .. FamilyMember.All.Select(m => m.Id),
    ];

    private static IApiHandler Create(string provider, ReplayServer server, FastRetryClock clock) => provider switch
    {
        "anthropic" => new AnthropicHandler(clock.Attach(new AnthropicOptions { ApiKey = "sk-test", BaseUrl = server.BaseUri })),
        "openai" => new OpenAiHandler(clock.Attach(new OpenAiOptions { ApiKey = "sk-test", BaseUrl = server.BaseUri, ModelId = "gpt-4.1" })),
        "openrouter" => new OpenRouterHandler(clock.Attach(new OpenRouterOptions { ApiKey = "sk-test", BaseUrl = server.BaseUri, ModelId = "mistralai/mistral-large" })),
        "ollama" => new OllamaHandler(clock.Attach(new OllamaOptions { BaseUrl = server.BaseUri, ModelId = "llama3.2" })),
        "openai-native" => ProviderRegistry.Create(
            provider,
            ProviderSettings.Parse($$"""{"openAiNativeApiKey":"sk-test","openAiNativeBaseUrl":"{{new Uri(server.BaseUri, "v1")}}"}"""),
            Mode.Act,
            o => clock.Attach(o)),
        "gemini" => new GeminiHandler(clock.Attach(new GeminiOptions { ApiKey = "AIza-test", BaseUrl = server.BaseUri })),
        "vertex/gemini" or "vertex/claude" => new VertexHandler(clock.Attach(new VertexOptions
        {
            BaseUrl = server.BaseUri,
            ProjectId = "my-project",
            Region = "us-east5",
            AccessToken = "ya29.test",
            ModelId = provider == "vertex/claude" ? "claude-sonnet-4-5@20250929" : VertexOptions.DefaultModelId,
        })),
        "bedrock" => BedrockTestKit.Handler(server, clock),
        _ => ProviderRegistry.Create(provider, FamilyMember.Get(provider).Settings(server.BaseUri), Mode.Act, o => clock.Attach(o)),
    };

    /// <summary>The first chunk of text in the provider's wire format, then silence.</summary>
    private static ReplayResponse FirstChunkThenSilence(string provider) => provider == "bedrock"
        ? BedrockTestKit.Frames(
            EventStreamEncoder.Event("messageStart", """{"role":"assistant"}"""),
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}""")) with { HangAfterParts = true }
        : new()
        {
            ContentType = provider == "ollama" ? "application/x-ndjson" : "text/event-stream",
            HangAfterParts = true,
            Parts = [Encoding.UTF8.GetBytes(provider switch
            {
                "anthropic" or "vertex/claude" => """
                    event: message_start
                    data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","usage":{"input_tokens":5,"output_tokens":1}}}

                    event: content_block_start
                    data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"Hi"}}


                    """.ReplaceLineEndings("\n"),
                "ollama" => """{"model":"llama3.2","message":{"role":"assistant","content":"Hi"},"done":false}""" + "\n",
                "openai-native" => """
                    event: response.output_text.delta
                    data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi","sequence_number":1}


                    """.ReplaceLineEndings("\n"),
                "gemini" or "vertex/gemini" => "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n",
                _ => "data: {\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\n\n",
            })],
        };

    /// <summary>The first text chunk (Anthropic reports the prompt's usage before it).</summary>
    private static async Task<ApiStreamChunk> FirstTextAsync(IAsyncEnumerator<ApiStreamChunk> stream)
    {
        while (await stream.MoveNextAsync().AsTask().WaitAsync(Limit))
        {
            if (stream.Current is TextChunk)
            {
                return stream.Current;
            }
        }

        throw new Xunit.Sdk.XunitException("The stream ended before any text.");
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public async Task Abort_mid_stream_ends_the_stream_with_cancellation_and_closes_the_connection(string provider)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstChunkThenSilence(provider));
        var handler = Create(provider, server, clock);
        await using var stream = handler.CreateMessageAsync("sys", [ChatMessage.User("Hello")]).GetAsyncEnumerator();

        Assert.Equal(new TextChunk("Hi"), await FirstTextAsync(stream));
        var next = stream.MoveNextAsync().AsTask();
        handler.Abort();

        var ex = await Record.ExceptionAsync(() => next.WaitAsync(Limit));
        Assert.True(ex is OperationCanceledException, ex?.ToString());
        var deadline = DateTime.UtcNow + Limit;
        while (server.ClientDisconnects == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, server.ClientDisconnects);
        Assert.Single(server.Requests);
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public async Task Abort_while_waiting_for_the_response_headers_cancels_without_a_retry(string provider)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstChunkThenSilence(provider) with { DelayBeforeHeaders = TimeSpan.FromMinutes(5) });
        var handler = Create(provider, server, clock);
        await using var stream = handler.CreateMessageAsync("sys", [ChatMessage.User("Hello")]).GetAsyncEnumerator();

        var first = stream.MoveNextAsync().AsTask();
        var deadline = DateTime.UtcNow + Limit;
        while (server.Requests.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        handler.Abort();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Limit));
        Assert.Single(server.Requests);
        Assert.Empty(clock.Retries);
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public async Task Abort_with_nothing_in_flight_does_nothing_and_the_next_request_works(string provider)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(FirstChunkThenSilence(provider));
        var handler = Create(provider, server, clock);
        handler.Abort();

        await using var stream = handler.CreateMessageAsync("sys", [ChatMessage.User("Hello")]).GetAsyncEnumerator();

        Assert.Equal(new TextChunk("Hi"), await FirstTextAsync(stream));
        handler.Abort();
    }
}

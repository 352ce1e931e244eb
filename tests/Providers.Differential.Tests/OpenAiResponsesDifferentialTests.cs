using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI.Responses;
using Providers.OpenAi;
using Providers.Tests.Replay;

namespace Providers.Differential.Tests;

/// <summary>The Responses API fixtures through OpenAI's .NET SDK (<c>ResponsesClient</c>) and through our <c>openai</c> provider with <c>openAiUseResponsesApi</c>.</summary>
#pragma warning disable OPENAI001 // The SDK marks its Responses client experimental; it is what we compare against.
public sealed class OpenAiResponsesDifferentialTests : IAsyncLifetime
{
    private ReplayServer _server = null!;

    public static TheoryData<string> ResponsesFixtures { get; } = new()
    {
        "openai-responses/azure-text.1.chunks.txt",
        "openai-responses/azure-tool-call.1.chunks.txt",
    };

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(ResponsesFixtures))]
    public async Task Responses_fixture_gives_the_same_text_tool_calls_and_usage_as_the_OpenAI_SDK(string fixture)
    {
        var response = Fixtures.TypedEventChunks(fixture);
        _server.Enqueue(response, response);
        var baseUrl = new Uri(_server.BaseUri, "v1");

        var sdk = await ReadWithSdkAsync(baseUrl);
        var ours = await Ours.ReadAsync(new OpenAiHandler(new OpenAiOptions { BaseUrl = baseUrl, ApiKey = "sk-test", ModelId = "test-model", UseResponsesApi = true }));

        Assert.NotEqual(0, sdk.Text.Length + sdk.ToolCalls.Count);
        Assert.Equal(sdk.Text.ToString(), ours.Text.ToString());
        // Ids: the SDK keys a call by its call_ id, as we do (the fc_ item id is our FunctionId).
        Outcome.AssertSameToolCalls(sdk.ToolCalls, ours.ToolCalls);
        Assert.Equal(sdk.OutputTokens, ours.OutputTokens);
        // Known difference: input_tokens includes the cached tokens; we report them apart, so input + cache read = input_tokens.
        Assert.Equal(sdk.InputTokens, ours.InputTokens + ours.CacheReadTokens + ours.CacheWriteTokens);
        Assert.Equal(sdk.CacheReadTokens, ours.CacheReadTokens);
    }

    [Fact]
    public async Task An_error_stream_fails_on_both_sides()
    {
        var response = Fixtures.TypedEventChunks("openai-responses/openai-error.1.chunks.txt");
        _server.Enqueue(response, response);
        var baseUrl = new Uri(_server.BaseUri, "v1");

        var sdkFailure = await Record.ExceptionAsync(async () =>
        {
            var outcome = await ReadWithSdkAsync(baseUrl);
            if (outcome.Failed)
            {
                throw new InvalidOperationException("the SDK surfaced the error as an update");
            }
        });
        var ourFailure = await Record.ExceptionAsync(() => Ours.ReadAsync(new OpenAiHandler(new OpenAiOptions { BaseUrl = baseUrl, ApiKey = "sk-test", ModelId = "test-model", UseResponsesApi = true })));

        // The SDK yields error / response.failed as updates (it does not throw); we raise a typed, non-retried error.
        Assert.IsType<InvalidOperationException>(sdkFailure);
        Assert.IsAssignableFrom<ProviderException>(ourFailure);
        // One request each: the error is not retried by us (the SDK has its retries off).
        Assert.Equal(2, _server.Requests.Count);
    }

    private static async Task<(System.Text.StringBuilder Text, List<Call> ToolCalls, long InputTokens, long OutputTokens, long CacheReadTokens, bool Failed)> ReadWithSdkAsync(Uri baseUrl)
    {
        var client = new ResponsesClient(new ApiKeyCredential("sk-test"), new ResponsesClientOptions
        {
            Endpoint = baseUrl,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
        var outcome = new Outcome();
        var failed = false;
        var names = new Dictionary<string, (string CallId, string Name)>();
        await foreach (var update in await client.CreateResponseStreamingAsync("test-model", "Hello", null, CancellationToken.None))
        {
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate text:
                    outcome.Text.Append(text.Delta);
                    break;
                case StreamingResponseOutputItemAddedUpdate { Item: FunctionCallResponseItem call }:
                    names[call.Id] = (call.CallId, call.FunctionName);
                    outcome.AddToolFragment(call.CallId, call.FunctionName, "");
                    break;
                case StreamingResponseFunctionCallArgumentsDeltaUpdate delta:
                    var (callId, name) = names[delta.ItemId];
                    outcome.AddToolFragment(callId, name, delta.Delta.ToString());
                    break;
                case StreamingResponseCompletedUpdate { Response.Usage: { } usage }:
                    outcome.InputTokens += usage.InputTokenCount;
                    outcome.OutputTokens += usage.OutputTokenCount;
                    outcome.CacheReadTokens += usage.InputTokenDetails?.CachedTokenCount ?? 0;
                    break;
                case StreamingResponseErrorUpdate or StreamingResponseFailedUpdate:
                    failed = true;
                    break;
            }
        }

        return (outcome.Text, outcome.ToolCalls, outcome.InputTokens, outcome.OutputTokens, outcome.CacheReadTokens, failed);
    }
}
#pragma warning restore OPENAI001

using Providers.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAi;

public sealed class OpenAiChatFaultTests : FaultMatrix
{
    protected override string SuccessText => "Hello, world! This is a test response.";

    protected override (IApiHandler Handler, ProviderOptions Options) Create(Uri baseUri)
    {
        var options = new OpenAiOptions { ApiKey = Key, BaseUrl = new Uri(baseUri, "v1"), ModelId = "mistral-small-latest" };
        return (new OpenAiHandler(options), options);
    }

    protected override ReplayResponse Success() => Fixtures.OpenAiChatChunks("openai-chat/mistral-text.chunks.txt");

    protected override IReadOnlyList<byte[]> OutputParts() =>
    [
        Sse("""{"id":"c1","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}"""),
        Sse("""{"id":"c1","choices":[{"index":0,"delta":{"content":"lo"}}]}"""),
    ];

    protected override IReadOnlyList<byte[]> TerminatorParts() => [Sse("[DONE]")];

    protected override byte[] ErrorEvent() => Sse("""{"id":"c1","error":{"code":"server_error","message":"upstream fell over"}}""");
}

public sealed class OpenAiResponsesFaultTests : FaultMatrix
{
    protected override string SuccessText => "Hello";

    protected override (IApiHandler Handler, ProviderOptions Options) Create(Uri baseUri)
    {
        var options = new OpenAiOptions { ApiKey = Key, BaseUrl = new Uri(baseUri, "v1"), ModelId = "gpt-5.1", UseResponsesApi = true };
        return (new OpenAiHandler(options), options);
    }

    protected override ReplayResponse Success() => Fixtures.TypedEventChunks("openai-responses/azure-text.1.chunks.txt");

    protected override IReadOnlyList<byte[]> OutputParts() =>
    [
        TypedSse("response.created", """{"type":"response.created","response":{"id":"resp_1","status":"in_progress"}}"""),
        TypedSse("response.output_text.delta", """{"type":"response.output_text.delta","item_id":"msg_1","delta":"Hel"}"""),
        TypedSse("response.output_text.delta", """{"type":"response.output_text.delta","item_id":"msg_1","delta":"lo"}"""),
    ];

    protected override IReadOnlyList<byte[]> TerminatorParts() =>
        [TypedSse("response.completed", """{"type":"response.completed","response":{"id":"resp_1","status":"completed"}}""")];

    protected override byte[] ErrorEvent() =>
        TypedSse("error", """{"type":"error","code":"server_error","message":"upstream fell over","param":null}""");
}

using System.Text;
using Providers.Anthropic;
using Providers.Ollama;
using Providers.OpenAi;
using Providers.OpenRouter;
using Providers.Tests.Replay;

namespace Providers.Tests.Hostile;

/// <summary>One built-in provider as the hostile tests drive it: how to build it against a server, and how its wire frames a stream.</summary>
public sealed record HostileTarget(
    string Name,
    Func<Uri, FastRetryClock, Action<ProviderOptions>?, IApiHandler> Create,
    string StreamContentType,
    Func<IReadOnlyList<string>, byte[]> Frame,
    IReadOnlyList<string> MinimalStream,
    string FixtureFolder)
{
    public override string ToString() => Name;
}

public static class HostileTargets
{
    /// <summary>The key every target is configured with; no 8-character prefix of it may ever be seen in any output.</summary>
    public const string Key = "sk-hostile-KEY-4f9a1c2e7b3d";

    /// <summary>A custom header value (openAiHeaders), secret as well.</summary>
    public const string HeaderSecret = "hdr-SECRET-77aa88bb99cc";

    public static readonly HostileTarget Ollama = new(
        "ollama",
        (uri, clock, configure) => Build(new OllamaOptions { BaseUrl = uri, ApiKey = Key, ModelId = "llama3.2" }, clock, configure, o => new OllamaHandler(o)),
        "application/x-ndjson",
        lines => Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))),
        [
            """{"model":"llama3.2","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"Hi"},"done":false}""",
            """{"model":"llama3.2","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":""},"done":true,"prompt_eval_count":3,"eval_count":1}""",
        ],
        "ollama");

    public static readonly HostileTarget Anthropic = new(
        "anthropic",
        (uri, clock, configure) => Build(new AnthropicOptions { BaseUrl = uri, ApiKey = Key }, clock, configure, o => new AnthropicHandler(o)),
        "text/event-stream",
        TypedEvents,
        [
            """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":3,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}""",
            """{"type":"content_block_stop","index":0}""",
            """{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":1}}""",
            """{"type":"message_stop"}""",
        ],
        "anthropic");

    public static readonly HostileTarget OpenAiChat = new(
        "openai-chat",
        (uri, clock, configure) => Build(new OpenAiOptions { BaseUrl = new Uri(uri, "v1"), ApiKey = Key, ModelId = "gpt-4.1", Headers = new() { ["X-Team-Token"] = HeaderSecret } }, clock, configure, o => new OpenAiHandler(o)),
        "text/event-stream",
        DataEvents,
        [
            """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}""",
            """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""",
        ],
        "openai-chat");

    public static readonly HostileTarget OpenAiResponses = new(
        "openai-responses",
        (uri, clock, configure) => Build(new OpenAiOptions { BaseUrl = new Uri(uri, "v1"), ApiKey = Key, ModelId = "gpt-4.1", UseResponsesApi = true, Headers = new() { ["X-Team-Token"] = HeaderSecret } }, clock, configure, o => new OpenAiHandler(o)),
        "text/event-stream",
        TypedEvents,
        [
            """{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","status":"in_progress","model":"gpt-4.1","output":[]}}""",
            """{"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi"}""",
            """{"type":"response.completed","sequence_number":2,"response":{"id":"resp_1","object":"response","status":"completed","model":"gpt-4.1","output":[],"usage":{"input_tokens":3,"output_tokens":1,"total_tokens":4}}}""",
        ],
        "openai-responses");

    public static readonly HostileTarget OpenRouter = new(
        "openrouter",
        (uri, clock, configure) => Build(new OpenRouterOptions { BaseUrl = new Uri(uri, "api/v1"), ApiKey = Key, ModelId = "openai/gpt-4.1" }, clock, configure, o => new OpenRouterHandler(o)),
        "text/event-stream",
        DataEvents,
        OpenAiChat.MinimalStream,
        "openrouter");

    public static IReadOnlyList<HostileTarget> All { get; } = [Ollama, Anthropic, OpenAiChat, OpenAiResponses, OpenRouter];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var target in All)
        {
            data.Add(target.Name);
        }

        return data;
    }

    public static HostileTarget Named(string name) => All.Single(t => t.Name == name);

    public static byte[] DataEvents(IReadOnlyList<string> lines) =>
        Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => $"data: {l}\n\n")) + "data: [DONE]\n\n");

    public static byte[] TypedEvents(IReadOnlyList<string> lines) => Encoding.UTF8.GetBytes(string.Concat(lines.Select(l =>
    {
        var type = l.Split("\"type\":\"", 2) is [_, var rest] ? rest[..rest.IndexOf('"', StringComparison.Ordinal)] : "unknown";
        return $"event: {type}\ndata: {l}\n\n";
    })));

    internal static IApiHandler Build<T>(T options, FastRetryClock clock, Action<ProviderOptions>? configure, Func<T, IApiHandler> create)
        where T : ProviderOptions
    {
        clock.Attach(options);
        options.RequestTimeout = TimeSpan.FromSeconds(20);
        options.StreamIdleTimeout = TimeSpan.FromSeconds(20);
        configure?.Invoke(options);
        return create(options);
    }
}

using System.Text.Json;
using System.Buffers;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.IO.Pipelines;
using System.Net.ServerSentEvents;
using System.Text;
using Anthropic;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;
using OpenAI.Chat;
using Providers.Anthropic;
using Providers.Ollama;
using Providers.OpenAi;
using Ours = Providers;

namespace Providers.Benchmarks;

/// <summary>
/// Each way of reading a stream, over one <see cref="HttpClient"/>: ours, the vendor SDKs (retries off) and the floor.
/// Every subject does the same consuming work: it adds up the length of each text, reasoning and argument fragment
/// and the usage numbers, and calls <c>onFirstOutput</c> when the first text arrives (for time to first chunk).
/// </summary>
public sealed class Subjects
{
    private static readonly IReadOnlyList<Ours.ChatMessage> OurConversation = [new(Ours.ChatRole.User, [new TextBlock("Tell me why the sky is blue.")])];
    private static readonly OpenAI.Chat.ChatMessage[] OpenAiConversation = [OpenAI.Chat.ChatMessage.CreateUserMessage("Tell me why the sky is blue.")];
    private static readonly Microsoft.Extensions.AI.ChatMessage[] MeaiConversation = [new(Microsoft.Extensions.AI.ChatRole.User, "Tell me why the sky is blue.")];
    private static readonly byte[] FloorBody = "{\"model\":\"m\",\"stream\":true}"u8.ToArray();

    private readonly HttpClient _http;
    private readonly OpenAiHandler _oursOpenAi;
    private readonly ChatClient _openAiSdk;
    private readonly IChatClient _meai;
    private readonly AnthropicHandler _oursAnthropic;
    private readonly AnthropicClient _anthropicSdk;
    private readonly OllamaHandler _oursOllama;
    private readonly OllamaApiClient _ollamaSharp;
    private readonly Uri _openAiUrl;
    private readonly Uri _anthropicUrl;
    private readonly Uri _ollamaUrl;

    /// <param name="http">The client every subject sends through.</param>
    /// <param name="openAiBase">The OpenAI-compatible base URL, version segment included (…/v1).</param>
    /// <param name="anthropicBase">The Anthropic base URL (without /v1).</param>
    /// <param name="ollamaBase">The Ollama base URL.</param>
    public Subjects(HttpClient http, Uri openAiBase, Uri anthropicBase, Uri ollamaBase)
    {
        _http = http;
        _openAiUrl = new Uri(openAiBase.ToString().TrimEnd('/') + "/chat/completions");
        _anthropicUrl = new Uri(anthropicBase.ToString().TrimEnd('/') + "/v1/messages");
        _ollamaUrl = new Uri(ollamaBase.ToString().TrimEnd('/') + "/api/chat");

        OursOpenAiOptions = OursOpenAiOptionsFor(http, openAiBase);
        _oursOpenAi = new OpenAiHandler(OursOpenAiOptions);
        _openAiSdk = OpenAiSdkFor(http, openAiBase);
        _meai = _openAiSdk.AsIChatClient();

        OursAnthropicOptions = new AnthropicOptions { HttpClient = http, BaseUrl = anthropicBase, ApiKey = "sk-ant-bench", ModelId = "claude-sonnet-4-5-20250929" };
        _oursAnthropic = new AnthropicHandler(OursAnthropicOptions);
        _anthropicSdk = new AnthropicClient { HttpClient = http, BaseUrl = anthropicBase.ToString().TrimEnd('/'), ApiKey = "sk-ant-bench", MaxRetries = 0 };

        OursOllamaOptions = new OllamaOptions { HttpClient = http, BaseUrl = ollamaBase, ModelId = "llama3.2" };
        _oursOllama = new OllamaHandler(OursOllamaOptions);
        // OllamaSharp resolves its paths against the client's base address; every other subject sends absolute URLs.
        http.BaseAddress ??= new Uri(ollamaBase.ToString().TrimEnd('/') + "/");
        _ollamaSharp = new OllamaApiClient(http, "llama3.2");
    }

    /// <summary>Ours for OpenAI, as every benchmark builds it.</summary>
    public static OpenAiOptions OursOpenAiOptionsFor(HttpClient http, Uri openAiBase) =>
        new() { HttpClient = http, BaseUrl = openAiBase, ApiKey = "sk-bench", ModelId = "gpt-4.1-nano" };

    /// <summary>OpenAI's SDK, as every benchmark builds it: the same client underneath, retries off.</summary>
    public static ChatClient OpenAiSdkFor(HttpClient http, Uri openAiBase) =>
        new("gpt-4.1-nano", new ApiKeyCredential("sk-bench"), new OpenAIClientOptions
        {
            Endpoint = openAiBase,
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    /// <summary>The options ours is built with, per provider (a base build's handler is built from the same values).</summary>
    public OpenAiOptions OursOpenAiOptions { get; }

    public AnthropicOptions OursAnthropicOptions { get; }

    public OllamaOptions OursOllamaOptions { get; }

    /// <summary>Ours: any provider handler.</summary>
    public static async Task<long> ConsumeOursAsync(IApiHandler handler, Action? onFirstOutput, CancellationToken cancellationToken = default)
    {
        long sum = 0;
        await foreach (var chunk in handler.CreateMessageAsync("You are terse.", OurConversation, null, cancellationToken).ConfigureAwait(false))
        {
            switch (chunk)
            {
                case TextChunk text:
                    if (onFirstOutput is not null) { onFirstOutput(); onFirstOutput = null; }
                    sum += text.Text.Length;
                    break;
                case ReasoningChunk reasoning:
                    sum += reasoning.Reasoning.Length;
                    break;
                case ToolCallChunk call:
                    sum += call.Arguments.Length;
                    break;
                case UsageChunk usage:
                    sum += usage.InputTokens + usage.OutputTokens;
                    break;
            }
        }

        return sum;
    }

    public Task<long> OursOpenAiAsync(Action? onFirstOutput = null, CancellationToken cancellationToken = default) => ConsumeOursAsync(_oursOpenAi, onFirstOutput, cancellationToken);

    public Task<long> OursAnthropicAsync(Action? onFirstOutput = null, CancellationToken cancellationToken = default) => ConsumeOursAsync(_oursAnthropic, onFirstOutput, cancellationToken);

    public Task<long> OursOllamaAsync(Action? onFirstOutput = null, CancellationToken cancellationToken = default) => ConsumeOursAsync(_oursOllama, onFirstOutput, cancellationToken);

    /// <summary>OpenAI's SDK: <c>ChatClient.CompleteChatStreamingAsync</c>.</summary>
    public Task<long> OpenAiSdkAsync(Action? onFirstOutput = null, CancellationToken cancellationToken = default) =>
        ConsumeOpenAiSdkAsync(_openAiSdk, onFirstOutput, cancellationToken);

    /// <summary>OpenAI's SDK, any <see cref="ChatClient"/>.</summary>
    public static async Task<long> ConsumeOpenAiSdkAsync(ChatClient client, Action? onFirstOutput, CancellationToken cancellationToken = default)
    {
        long sum = 0;
        await foreach (var update in client.CompleteChatStreamingAsync(OpenAiConversation, null, cancellationToken).ConfigureAwait(false))
        {
            foreach (var part in update.ContentUpdate)
            {
                if (onFirstOutput is not null && part.Text.Length > 0) { onFirstOutput(); onFirstOutput = null; }
                sum += part.Text.Length;
            }

            foreach (var call in update.ToolCallUpdates)
            {
                sum += call.FunctionArgumentsUpdate?.ToMemory().Length ?? 0;
            }

            if (update.Usage is { } usage)
            {
                sum += usage.InputTokenCount + usage.OutputTokenCount;
            }
        }

        return sum;
    }

    /// <summary>Microsoft.Extensions.AI's <c>IChatClient</c> over OpenAI's SDK.</summary>
    public async Task<long> MeaiOpenAiAsync(Action? onFirstOutput = null, CancellationToken cancellationToken = default)
    {
        long sum = 0;
        await foreach (var update in _meai.GetStreamingResponseAsync(MeaiConversation, null, cancellationToken).ConfigureAwait(false))
        {
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent text:
                        if (onFirstOutput is not null && text.Text.Length > 0) { onFirstOutput(); onFirstOutput = null; }
                        sum += text.Text.Length;
                        break;
                    case TextReasoningContent reasoning:
                        sum += reasoning.Text.Length;
                        break;
                    case UsageContent usage:
                        sum += (usage.Details.InputTokenCount ?? 0) + (usage.Details.OutputTokenCount ?? 0);
                        break;
                }
            }
        }

        return sum;
    }

    /// <summary>Anthropic's SDK: <c>Messages.CreateStreaming</c>.</summary>
    public async Task<long> AnthropicSdkAsync(Action? onFirstOutput = null, CancellationToken cancellationToken = default)
    {
        long sum = 0;
        var parameters = new MessageCreateParams
        {
            Model = "claude-sonnet-4-5-20250929",
            MaxTokens = 8192,
            System = "You are terse.",
            Messages = [new UserMessageParam("Tell me why the sky is blue.")],
        };
        await foreach (var e in _anthropicSdk.Messages.CreateStreaming(parameters, cancellationToken).ConfigureAwait(false))
        {
            if (e.TryPickContentBlockDelta(out var blockDelta))
            {
                if (blockDelta.Delta.TryPickText(out var text))
                {
                    if (onFirstOutput is not null) { onFirstOutput(); onFirstOutput = null; }
                    sum += text.Text.Length;
                }
                else if (blockDelta.Delta.TryPickInputJson(out var json))
                {
                    sum += json.PartialJson.Length;
                }
                else if (blockDelta.Delta.TryPickThinking(out var thinking))
                {
                    sum += thinking.Thinking.Length;
                }
            }
            else if (e.TryPickStart(out var start))
            {
                sum += start.Message.Usage.InputTokens + start.Message.Usage.OutputTokens;
            }
            else if (e.TryPickDelta(out var delta))
            {
                sum += delta.Usage.OutputTokens;
            }
        }

        return sum;
    }

    /// <summary>OllamaSharp: <c>OllamaApiClient.ChatAsync</c>.</summary>
    public async Task<long> OllamaSharpAsync(Action? onFirstOutput = null, CancellationToken cancellationToken = default)
    {
        long sum = 0;
        var request = new OllamaSharp.Models.Chat.ChatRequest
        {
            Model = "llama3.2",
            Stream = true,
            Messages = [new OllamaSharp.Models.Chat.Message(OllamaSharp.Models.Chat.ChatRole.User, "Tell me why the sky is blue.")],
        };
        await foreach (var line in _ollamaSharp.ChatAsync(request, cancellationToken).ConfigureAwait(false))
        {
            if (line?.Message?.Content is { Length: > 0 } content)
            {
                if (onFirstOutput is not null) { onFirstOutput(); onFirstOutput = null; }
                sum += content.Length;
            }

            if (line is OllamaSharp.Models.Chat.ChatDoneResponseStream done)
            {
                sum += done.PromptEvalCount + done.EvalCount;
            }
        }

        return sum;
    }

    /// <summary>
    /// The floor for SSE: the same request through the same client, the body split into events by
    /// <see cref="SseParser"/> and each event's data discarded. No JSON, no chunk objects.
    /// </summary>
    public Task<long> FloorSseAsync(Uri url, int skipEvents = 0, Action? onFirstOutput = null, CancellationToken cancellationToken = default) =>
        FloorSseAsync(_http, url, skipEvents, onFirstOutput, cancellationToken);

    /// <summary>The floor for SSE over any client.</summary>
    public static async Task<long> FloorSseAsync(HttpClient http, Uri url, int skipEvents = 0, Action? onFirstOutput = null, CancellationToken cancellationToken = default)
    {
        using var request = FloorRequest(url);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var _ = body.ConfigureAwait(false);
        long sum = 0;
        var seen = 0;
        await foreach (var item in SseParser.Create(body, static (_, data) => data.Length).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (++seen == skipEvents + 1) onFirstOutput?.Invoke();
            sum += item.Data;
        }

        return sum;
    }

    /// <summary>
    /// A fairer floor: the same split, plus one <see cref="Utf8JsonReader"/> pass over each event's JSON (every token
    /// read, nothing kept). What any parser of the format must at least do.
    /// </summary>
    public async Task<long> JsonFloorSseAsync(Uri url, CancellationToken cancellationToken = default)
    {
        using var request = FloorRequest(url);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var _ = body.ConfigureAwait(false);
        long sum = 0;
        await foreach (var item in SseParser.Create(body, static (_, data) => CountTokens(data)).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            sum += item.Data;
        }

        return sum;
    }

    public Task<long> JsonFloorOpenAiAsync() => JsonFloorSseAsync(_openAiUrl);

    public Task<long> JsonFloorAnthropicAsync() => JsonFloorSseAsync(_anthropicUrl);

    private static long CountTokens(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || data[0] != (byte)'{')
        {
            return 0; // [DONE]
        }

        var reader = new Utf8JsonReader(data);
        long tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    public Task<long> FloorOpenAiAsync(int skipEvents = 0, Action? onFirstOutput = null, CancellationToken cancellationToken = default) =>
        FloorSseAsync(_openAiUrl, skipEvents, onFirstOutput, cancellationToken);

    public Task<long> FloorAnthropicAsync(int skipEvents = 0, Action? onFirstOutput = null, CancellationToken cancellationToken = default) =>
        FloorSseAsync(_anthropicUrl, skipEvents, onFirstOutput, cancellationToken);

    /// <summary>The floor for NDJSON: the same request, the body split into lines by a <see cref="PipeReader"/>, each line discarded.</summary>
    public async Task<long> FloorNdjsonAsync(Action? onFirstOutput = null, CancellationToken cancellationToken = default)
    {
        using var request = FloorRequest(_ollamaUrl);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var _ = body.ConfigureAwait(false);
        var reader = PipeReader.Create(body);
        long sum = 0;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } end)
            {
                if (onFirstOutput is not null) { onFirstOutput(); onFirstOutput = null; }
                sum += buffer.Slice(0, end).Length;
                buffer = buffer.Slice(buffer.GetPosition(1, end));
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await reader.CompleteAsync().ConfigureAwait(false);
        return sum;
    }

    /// <summary>
    /// The JSON floor for NDJSON: the same line split as <see cref="FloorNdjsonAsync"/>, plus one
    /// <see cref="Utf8JsonReader"/> pass over each line (every token read, nothing kept).
    /// </summary>
    public async Task<long> JsonFloorNdjsonAsync(CancellationToken cancellationToken = default)
    {
        using var request = FloorRequest(_ollamaUrl);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var _ = body.ConfigureAwait(false);
        var reader = PipeReader.Create(body);
        long sum = 0;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } end)
            {
                var line = buffer.Slice(0, end);
                sum += line.IsSingleSegment ? CountTokens(line.FirstSpan) : CountTokens(line.ToArray());
                buffer = buffer.Slice(buffer.GetPosition(1, end));
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await reader.CompleteAsync().ConfigureAwait(false);
        return sum;
    }

    private static HttpRequestMessage FloorRequest(Uri url)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(FloorBody) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return request;
    }
}

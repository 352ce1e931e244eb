using System.Text.Json;
using System.Text.Json.Serialization;

namespace Providers.OpenAi;

// Wire models of OpenAI Chat Completions, shared by every OpenAI-shaped provider (OpenRouter included).

/// <summary>A <c>POST /chat/completions</c> body.</summary>
internal sealed class ChatCompletionsRequest
{
    [JsonPropertyName("model")] public required string Model { get; init; }

    [JsonPropertyName("messages")] public required List<WireMessage> Messages { get; init; }

    [JsonPropertyName("temperature")] public double? Temperature { get; set; }

    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; set; }

    [JsonPropertyName("max_completion_tokens")] public int? MaxCompletionTokens { get; set; }

    [JsonPropertyName("reasoning_effort")] public string? ReasoningEffort { get; set; }

    [JsonPropertyName("stream")] public bool Stream { get; init; } = true;

    [JsonPropertyName("stream_options")] public StreamOptions StreamOptions { get; init; } = new();

    [JsonPropertyName("tools")] public List<WireTool>? Tools { get; set; }

    [JsonPropertyName("tool_choice")] public string? ToolChoice { get; set; }

    /// <summary>Fields a provider of the OpenAI-compatible family adds to the body (Qwen's <c>enable_thinking</c>...).</summary>
    /// <remarks>
    /// <see cref="ToUtf8Json"/> writes them after the others, where <c>[JsonExtensionData]</c> would. They are not
    /// extension data because that turns off System.Text.Json's generated fast path for the whole request: every
    /// field would then go through the serializer's metadata path, which costs time on each request and many more
    /// methods to compile before the first.
    /// </remarks>
    [JsonIgnore] public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>The body as UTF-8 JSON: the fields above, then those of <see cref="Extra"/>.</summary>
    public byte[] ToUtf8Json()
    {
        var fields = JsonSerializer.SerializeToUtf8Bytes(this, OpenAiJsonContext.Default.ChatCompletionsRequest);
        if (Extra is not { Count: > 0 } extra)
        {
            return fields;
        }

        // Two objects, and the first is never empty (model and messages are required): join their members.
        var more = JsonSerializer.SerializeToUtf8Bytes(extra, OpenAiJsonContext.Default.DictionaryStringJsonElement);
        var body = new byte[fields.Length + more.Length - 1];
        fields.AsSpan(0, fields.Length - 1).CopyTo(body);
        body[fields.Length - 1] = (byte)',';
        more.AsSpan(1).CopyTo(body.AsSpan(fields.Length));
        return body;
    }
}

internal sealed class StreamOptions
{
    [JsonPropertyName("include_usage")] public bool IncludeUsage { get; init; } = true;
}

/// <summary>One message of the <c>messages</c> array.</summary>
internal sealed class WireMessage
{
    [JsonPropertyName("role")] public required string Role { get; init; }

    /// <summary>A string, an array of parts, or <c>null</c> (an assistant message with only tool calls): always written.</summary>
    [JsonPropertyName("content")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public WireContent? Content { get; set; }

    /// <summary>DeepSeek's reasoning of an earlier assistant turn, sent back during a tool loop.</summary>
    [JsonPropertyName("reasoning_content")] public string? ReasoningContent { get; set; }

    /// <summary>OpenRouter's structured reasoning of an earlier assistant turn, sent back unchanged.</summary>
    [JsonPropertyName("reasoning_details")] public JsonElement? ReasoningDetails { get; set; }

    [JsonPropertyName("tool_calls")] public List<WireToolCall>? ToolCalls { get; set; }

    [JsonPropertyName("tool_call_id")] public string? ToolCallId { get; init; }
}

/// <summary>Message content: plain text or a list of parts (text, image, with optional cache control).</summary>
[JsonConverter(typeof(WireContentConverter))]
internal sealed class WireContent : ITextOrParts<WirePart>
{
    public WireContent(string text) => Text = text;

    public WireContent(List<WirePart> parts) => Parts = parts;

    public string? Text { get; private set; }

    public List<WirePart>? Parts { get; private set; }

    /// <summary>Turns plain text into one text part, so that parts can be appended or marked.</summary>
    public List<WirePart> AsParts()
    {
        if (Parts is null)
        {
            Parts = [WirePart.OfText(Text ?? "")];
            Text = null;
        }

        return Parts;
    }
}

/// <summary>A content part: <c>{"type":"text","text":…}</c> or <c>{"type":"image_url","image_url":{"url":…}}</c>.</summary>
internal sealed class WirePart : IContentPart
{
    public required string Type { get; init; }

    public string? Text { get; init; }

    public string? ImageUrl { get; init; }

    /// <summary>Anthropic-style prompt caching through OpenRouter: <c>"cache_control":{"type":"ephemeral"}</c>.</summary>
    public bool CacheControl { get; set; }

    public static WirePart OfText(string text) => new() { Type = "text", Text = text };

    public static WirePart OfImage(string mediaType, string base64) => new() { Type = "image_url", ImageUrl = $"data:{mediaType};base64,{base64}" };
}

/// <summary>Writes <see cref="WireContent"/>: parts carry <c>image_url.url</c> and Anthropic-style <c>cache_control</c>.</summary>
internal sealed class WireContentConverter : TextOrPartsConverter<WireContent, WirePart>
{
    protected override void WriteOtherFields(Utf8JsonWriter writer, WirePart part)
    {
        if (part.ImageUrl is not null)
        {
            writer.WriteStartObject("image_url");
            writer.WriteString("url", part.ImageUrl);
            writer.WriteEndObject();
        }

        if (part.CacheControl)
        {
            writer.WriteStartObject("cache_control");
            writer.WriteString("type", "ephemeral");
            writer.WriteEndObject();
        }
    }
}

internal sealed class WireToolCall
{
    [JsonPropertyName("id")] public required string Id { get; init; }

    [JsonPropertyName("type")] public string Type { get; init; } = "function";

    [JsonPropertyName("function")] public required WireFunctionCall Function { get; init; }
}

internal sealed class WireFunctionCall
{
    [JsonPropertyName("name")] public required string Name { get; init; }

    [JsonPropertyName("arguments")] public required string Arguments { get; init; }
}

internal sealed class WireTool
{
    [JsonPropertyName("type")] public string Type { get; init; } = "function";

    [JsonPropertyName("function")] public required WireFunction Function { get; init; }
}

internal sealed class WireFunction
{
    [JsonPropertyName("name")] public required string Name { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("parameters")] public JsonElement Parameters { get; init; }
}

/// <summary>One <c>chat.completion.chunk</c> of the stream, with the fields OpenAI-compatible servers and OpenRouter add.</summary>
internal sealed class ChatChunk
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("choices")] public List<ChatChoice>? Choices { get; set; }

    [JsonPropertyName("usage")] public ChatUsage? Usage { get; set; }

    /// <summary>An error reported inside the stream (OpenRouter, vLLM): <c>{"code", "message"}</c>.</summary>
    [JsonPropertyName("error")] public JsonElement? Error { get; set; }
}

internal sealed class ChatChoice
{
    [JsonPropertyName("index")] public int? Index { get; set; }

    [JsonPropertyName("delta")] public ChatDelta? Delta { get; set; }

    [JsonPropertyName("finish_reason")] public string? FinishReason { get; set; }

    [JsonPropertyName("error")] public JsonElement? Error { get; set; }
}

internal sealed class ChatDelta
{
    [JsonPropertyName("content")] public string? Content { get; set; }

    /// <summary>DeepSeek, xAI.</summary>
    [JsonPropertyName("reasoning_content")] public string? ReasoningContent { get; set; }

    /// <summary>Groq, OpenRouter.</summary>
    [JsonPropertyName("reasoning")] public string? Reasoning { get; set; }

    /// <summary>OpenRouter: structured reasoning with signatures, kept as raw JSON.</summary>
    [JsonPropertyName("reasoning_details")] public JsonElement? ReasoningDetails { get; set; }

    [JsonPropertyName("tool_calls")] public List<ToolCallDelta>? ToolCalls { get; set; }
}

internal sealed class ToolCallDelta
{
    [JsonPropertyName("index")] public int? Index { get; init; }

    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("function")] public FunctionDelta? Function { get; init; }
}

internal sealed class FunctionDelta
{
    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("arguments")] public string? Arguments { get; init; }
}

internal sealed class ChatUsage
{
    [JsonPropertyName("prompt_tokens")] public long? PromptTokens { get; init; }

    [JsonPropertyName("completion_tokens")] public long? CompletionTokens { get; init; }

    [JsonPropertyName("prompt_tokens_details")] public PromptTokensDetails? PromptTokensDetails { get; init; }

    [JsonPropertyName("completion_tokens_details")] public CompletionTokensDetails? CompletionTokensDetails { get; init; }

    /// <summary>DeepSeek's name for cached prompt tokens.</summary>
    [JsonPropertyName("prompt_cache_hit_tokens")] public long? PromptCacheHitTokens { get; init; }

    /// <summary>DeepSeek's prompt tokens that missed the cache (with the hits, all of <c>prompt_tokens</c>).</summary>
    [JsonPropertyName("prompt_cache_miss_tokens")] public long? PromptCacheMissTokens { get; init; }

    /// <summary>Moonshot: prompt tokens read from the cache.</summary>
    [JsonPropertyName("cached_tokens")] public long? CachedTokens { get; init; }

    /// <summary>LiteLLM (from Anthropic) and Vercel AI Gateway: prompt tokens written to the cache.</summary>
    [JsonPropertyName("cache_creation_input_tokens")] public long? CacheCreationInputTokens { get; init; }

    /// <summary>LiteLLM (from Anthropic) and Vercel AI Gateway: prompt tokens read from the cache.</summary>
    [JsonPropertyName("cache_read_input_tokens")] public long? CacheReadInputTokens { get; init; }

    /// <summary>OpenRouter: the cost in US dollars.</summary>
    [JsonPropertyName("cost")] public decimal? Cost { get; init; }

    [JsonPropertyName("cost_details")] public CostDetails? CostDetails { get; init; }
}

internal sealed class PromptTokensDetails
{
    [JsonPropertyName("cached_tokens")] public long? CachedTokens { get; init; }

    /// <summary>OpenRouter: prompt tokens written to the cache.</summary>
    [JsonPropertyName("cache_write_tokens")] public long? CacheWriteTokens { get; init; }

    /// <summary>Requesty: prompt tokens written to the cache.</summary>
    [JsonPropertyName("caching_tokens")] public long? CachingTokens { get; init; }
}

internal sealed class CompletionTokensDetails
{
    [JsonPropertyName("reasoning_tokens")] public long? ReasoningTokens { get; init; }
}

internal sealed class CostDetails
{
    /// <summary>OpenRouter with the user's own key (BYOK): what the upstream provider charged.</summary>
    [JsonPropertyName("upstream_inference_cost")] public decimal? UpstreamInferenceCost { get; init; }
}

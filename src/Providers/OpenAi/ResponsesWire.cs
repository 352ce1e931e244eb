using System.Text.Json;
using System.Text.Json.Serialization;

namespace Providers.OpenAi;

// Wire models of the OpenAI Responses API (POST /responses with stream: true).

internal sealed class ResponsesRequest
{
    [JsonPropertyName("model")] public required string Model { get; init; }

    [JsonPropertyName("instructions")] public string? Instructions { get; init; }

    [JsonPropertyName("input")] public required List<ResponsesInputItem> Input { get; init; }

    [JsonPropertyName("stream")] public bool Stream { get; init; } = true;

    /// <summary>Stateless: the whole conversation is sent each time, so nothing needs storing.</summary>
    [JsonPropertyName("store")] public bool Store { get; init; }

    [JsonPropertyName("include")] public List<string>? Include { get; set; }

    [JsonPropertyName("reasoning")] public ResponsesReasoning? Reasoning { get; set; }

    [JsonPropertyName("temperature")] public double? Temperature { get; set; }

    [JsonPropertyName("max_output_tokens")] public int? MaxOutputTokens { get; set; }

    [JsonPropertyName("tools")] public List<ResponsesTool>? Tools { get; set; }

    [JsonPropertyName("tool_choice")] public string? ToolChoice { get; set; }
}

internal sealed class ResponsesReasoning
{
    [JsonPropertyName("effort")] public string? Effort { get; init; }

    [JsonPropertyName("summary")] public string? Summary { get; init; }
}

/// <summary>
/// An input item: a message (<c>role</c> + <c>content</c>), a <c>function_call</c>, a <c>function_call_output</c> or a
/// <c>reasoning</c> item replayed from an earlier answer.
/// </summary>
internal sealed class ResponsesInputItem
{
    [JsonPropertyName("type")] public string? Type { get; init; }

    /// <summary>The item id: a reasoning item's <c>rs_…</c>, a function call's <c>fc_…</c>.</summary>
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("role")] public string? Role { get; init; }

    /// <summary>Parts for user messages; plain text for assistant messages (the form the input schema accepts without an item id).</summary>
    [JsonPropertyName("content")] public ResponsesContent? Content { get; init; }

    [JsonPropertyName("call_id")] public string? CallId { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("arguments")] public string? Arguments { get; init; }

    [JsonPropertyName("output")] public string? Output { get; init; }

    [JsonPropertyName("summary")] public JsonElement? Summary { get; init; }

    [JsonPropertyName("encrypted_content")] public string? EncryptedContent { get; init; }
}

/// <summary>Message content: a string or a list of parts.</summary>
[JsonConverter(typeof(ResponsesContentConverter))]
internal sealed class ResponsesContent : ITextOrParts<ResponsesInputPart>
{
    public ResponsesContent(string text) => Text = text;

    public ResponsesContent(List<ResponsesInputPart> parts) => Parts = parts;

    public string? Text { get; }

    public List<ResponsesInputPart>? Parts { get; }
}

/// <summary>Writes <see cref="ResponsesContent"/>: parts carry a flat <c>image_url</c> and its <c>detail</c>.</summary>
internal sealed class ResponsesContentConverter : TextOrPartsConverter<ResponsesContent, ResponsesInputPart>
{
    protected override void WriteOtherFields(Utf8JsonWriter writer, ResponsesInputPart part)
    {
        if (part.ImageUrl is not null)
        {
            writer.WriteString("image_url", part.ImageUrl);
        }

        if (part.Detail is not null)
        {
            writer.WriteString("detail", part.Detail);
        }
    }
}

internal sealed class ResponsesInputPart : IContentPart
{
    public required string Type { get; init; }

    public string? Text { get; init; }

    public string? ImageUrl { get; init; }

    /// <summary>Required on <c>input_image</c>: <c>auto</c>, <c>low</c> or <c>high</c>.</summary>
    public string? Detail { get; init; }
}

internal sealed class ResponsesTool
{
    [JsonPropertyName("type")] public string Type { get; init; } = "function";

    [JsonPropertyName("name")] public required string Name { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("parameters")] public JsonElement Parameters { get; init; }

    [JsonPropertyName("strict")] public bool Strict { get; init; }
}

/// <summary>One typed event of the stream; only the fields this provider reads.</summary>
internal sealed class ResponsesEvent
{
    [JsonPropertyName("type")] public string? Type { get; init; }

    [JsonPropertyName("delta")] public string? Delta { get; init; }

    [JsonPropertyName("item_id")] public string? ItemId { get; init; }

    [JsonPropertyName("summary_index")] public int? SummaryIndex { get; init; }

    [JsonPropertyName("item")] public ResponsesItem? Item { get; init; }

    [JsonPropertyName("response")] public ResponsesResponse? Response { get; init; }

    /// <summary>The <c>error</c> event: either nested <c>{"error":{…}}</c> or flat <c>code</c>/<c>message</c>.</summary>
    [JsonPropertyName("error")] public JsonElement? Error { get; init; }

    [JsonPropertyName("code")] public JsonElement? Code { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }
}

internal sealed class ResponsesItem
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("type")] public string? Type { get; init; }

    [JsonPropertyName("call_id")] public string? CallId { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("arguments")] public string? Arguments { get; init; }

    [JsonPropertyName("encrypted_content")] public string? EncryptedContent { get; init; }

    /// <summary>A reasoning item's summary parts, <c>[{"type":"summary_text","text"}]</c>.</summary>
    [JsonPropertyName("summary")] public JsonElement? Summary { get; init; }
}

internal sealed class ResponsesResponse
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("usage")] public ResponsesUsage? Usage { get; init; }

    [JsonPropertyName("error")] public JsonElement? Error { get; init; }
}

internal sealed class ResponsesUsage
{
    [JsonPropertyName("input_tokens")] public long InputTokens { get; init; }

    [JsonPropertyName("input_tokens_details")] public ResponsesInputTokensDetails? InputTokensDetails { get; init; }

    [JsonPropertyName("output_tokens")] public long OutputTokens { get; init; }

    [JsonPropertyName("output_tokens_details")] public ResponsesOutputTokensDetails? OutputTokensDetails { get; init; }
}

internal sealed class ResponsesInputTokensDetails
{
    [JsonPropertyName("cached_tokens")] public long? CachedTokens { get; init; }
}

internal sealed class ResponsesOutputTokensDetails
{
    [JsonPropertyName("reasoning_tokens")] public long? ReasoningTokens { get; init; }
}

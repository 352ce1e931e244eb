using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Providers.Cline;

/// <summary>
/// Cline's conversation file (<c>api_conversation_history.json</c>, a JSON array of <see cref="ClineStorageMessage"/>):
/// reading and writing it, and converting it to and from <see cref="ChatMessage"/>.
/// </summary>
/// <remarks>
/// The mapping keeps what the providers need across turns. Reasoning state rides on Cline's blocks as Cline stores it:
/// <see cref="ReasoningStateFormats.ReasoningDetails"/> as <c>reasoning_details</c> and
/// <see cref="ReasoningStateFormats.ThoughtSignature"/> as <c>signature</c> on the text or tool-use block that follows
/// it; an OpenAI Responses reasoning item as a <c>redacted_thinking</c> block whose <c>call_id</c> is the item id and
/// whose <c>data</c> is its encrypted content (with its <c>summary</c>); a Responses function call as a
/// <c>tool_use</c> whose <c>id</c> is the <c>fc_…</c> item id and whose <c>call_id</c> is the call id.
/// </remarks>
public static class ClineConversation
{
    /// <summary>The providers that take Cline's <c>reasoning_details</c> and signatures as they are stored (as in Cline).</summary>
    public static IReadOnlyList<string> ReasoningDetailsProviders { get; } = ["cline", "openrouter"];

    /// <summary>Parses the file's JSON.</summary>
    /// <exception cref="JsonException">The JSON is not an array of messages.</exception>
    public static List<ClineStorageMessage> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, ClineJsonContext.Default.ListClineStorageMessage)
            ?? throw new JsonException("The conversation is null; expected a JSON array of messages.");
    }

    /// <summary>The file's JSON, compact as Cline writes it; unknown fields are written back as they were read.</summary>
    public static string Serialize(IReadOnlyList<ClineStorageMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return JsonSerializer.Serialize(messages as List<ClineStorageMessage> ?? [.. messages], ClineJsonContext.Default.ListClineStorageMessage);
    }

    /// <summary>Reads a conversation file.</summary>
    /// <exception cref="JsonException">The file is not such an array.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static List<ClineStorageMessage> ReadFile(string path) => Parse(File.ReadAllText(path));

    /// <summary>
    /// Writes a conversation file atomically: to a temporary file beside it, then moved over it, so a reader never sees
    /// half a file and <paramref name="path"/> may be the file the conversation was read from.
    /// </summary>
    public static void WriteFile(string path, IReadOnlyList<ClineStorageMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            File.WriteAllText(temporary, Serialize(messages), new UTF8Encoding(false));
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>The conversation as the library's messages, ready for <see cref="IApiHandler.CreateMessageAsync"/>.</summary>
    public static List<ChatMessage> ToChatMessages(IReadOnlyList<ClineStorageMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var callIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = new List<ChatMessage>(messages.Count);
        foreach (var message in messages)
        {
            var role = message.Role == "assistant" ? ChatRole.Assistant : ChatRole.User;
            var blocks = message.Content.Blocks is { } list ? ToBlocks(list, callIds) : [new TextBlock(message.Content.Text ?? "")];
            result.Add(new ChatMessage(role, blocks));
        }

        return result;
    }

    /// <summary>
    /// The library's messages in Cline's format; tool results quote the <c>id</c> their tool use is stored under.
    /// </summary>
    public static List<ClineStorageMessage> FromChatMessages(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var storedIds = new Dictionary<string, string>(StringComparer.Ordinal);
        return messages.Select(m => FromChatMessage(m, storedIds)).ToList();
    }

    /// <summary>One message in Cline's format (tool results quote the call id as it is).</summary>
    public static ClineStorageMessage FromChatMessage(ChatMessage message) => FromChatMessage(message, new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>
    /// A copy of <paramref name="message"/> as Cline sends it to <paramref name="providerId"/>: without the message's
    /// <c>id</c>, <c>modelInfo</c>, <c>metrics</c> and <c>ts</c>, without thinking blocks that have no signature, and,
    /// unless the provider is one of <see cref="ReasoningDetailsProviders"/>, without <c>reasoning_details</c>,
    /// <c>call_id</c>, <c>summary</c> and the signatures of non-thinking blocks, which the other APIs reject.
    /// </summary>
    public static ClineStorageMessage ForProvider(ClineStorageMessage message, string providerId)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Content.Blocks is not { } blocks)
        {
            return new ClineStorageMessage { Role = message.Role, Content = message.Content };
        }

        var keepClineFields = ReasoningDetailsProviders.Contains(providerId, StringComparer.OrdinalIgnoreCase);
        var cleaned = blocks
            .Where(b => b.Type != "thinking" || !string.IsNullOrEmpty(b.Signature))
            .Select(b => keepClineFields ? b : Clean(b))
            .ToList();
        return new ClineStorageMessage { Role = message.Role, Content = new ClineContent(cleaned) };
    }

    private static ClineContentBlock Clean(ClineContentBlock block) => new()
    {
        Type = block.Type,
        Text = block.Text,
        Source = block.Source,
        Id = block.Id,
        Name = block.Name,
        Input = block.Input,
        ToolUseId = block.ToolUseId,
        Content = block.Content,
        IsError = block.IsError,
        Thinking = block.Thinking,
        Signature = block.Type == "thinking" ? block.Signature : null,
        Data = block.Data,
        ExtensionData = block.ExtensionData,
    };

    private static List<ContentBlock> ToBlocks(List<ClineContentBlock> blocks, Dictionary<string, string> callIds)
    {
        var result = new List<ContentBlock>(blocks.Count);
        JsonElement? pendingSummary = null;
        foreach (var block in blocks)
        {
            switch (block.Type)
            {
                case "text":
                    AddCarriedState(result, block);
                    result.Add(new TextBlock(block.Text ?? ""));
                    break;
                case "image" when block.Source is { MediaType: { } mediaType, Data: { } data }:
                    result.Add(new ImageBlock(data, mediaType));
                    break;
                case "tool_use":
                    AddCarriedState(result, block);
                    var id = block.Id ?? "";
                    var callId = string.IsNullOrEmpty(block.CallId) ? id : block.CallId;
                    callIds[id] = callId;
                    result.Add(new ToolUseBlock(callId, block.Name ?? "", block.Input ?? default) { FunctionId = callId == id ? null : id });
                    break;
                case "tool_result":
                    var toolUseId = block.ToolUseId ?? "";
                    result.Add(new ToolResultBlock(
                        callIds.GetValueOrDefault(toolUseId, toolUseId),
                        block.Content is { Blocks: { } inner } ? ToBlocks(inner, callIds) : [new TextBlock(block.Content?.Text ?? "")],
                        block.IsError == true));
                    break;
                case "thinking":
                    // Cline keeps a Responses reasoning item's summary on its thinking block; its encrypted part follows.
                    pendingSummary = block.CallId is { Length: > 0 } && block.Summary is { ValueKind: JsonValueKind.Array } summary ? summary : null;
                    result.Add(new ThinkingBlock(block.Thinking ?? "", string.IsNullOrEmpty(block.Signature) ? null : block.Signature));
                    break;
                case "redacted_thinking" when block.CallId is { Length: > 0 } itemId:
                    result.Add(new ReasoningStateBlock(ReasoningStateFormats.OpenAiResponses, ReasoningItem(itemId, block.Summary ?? pendingSummary, block.Data)));
                    pendingSummary = null;
                    break;
                case "redacted_thinking":
                    result.Add(new RedactedThinkingBlock(block.Data ?? ""));
                    break;
            }
        }

        return result;
    }

    /// <summary>State Cline keeps on a text or tool-use block belongs before it in the library's messages.</summary>
    private static void AddCarriedState(List<ContentBlock> result, ClineContentBlock block)
    {
        if (block.ReasoningDetails is { ValueKind: JsonValueKind.Array } details)
        {
            result.Add(new ReasoningStateBlock(ReasoningStateFormats.ReasoningDetails, details.GetRawText()));
        }

        if (!string.IsNullOrEmpty(block.Signature))
        {
            result.Add(new ReasoningStateBlock(ReasoningStateFormats.ThoughtSignature, JsonSerializer.Serialize(block.Signature, ClineJsonContext.Default.String)));
        }
    }

    private static ClineStorageMessage FromChatMessage(ChatMessage message, Dictionary<string, string> storedIds)
    {
        ArgumentNullException.ThrowIfNull(message);
        var blocks = new List<ClineContentBlock>(message.Content.Count);
        JsonElement? details = null;
        string? signature = null;
        foreach (var block in message.Content)
        {
            switch (block)
            {
                case ReasoningStateBlock { Format: ReasoningStateFormats.ReasoningDetails } state:
                    details = ParseOrNull(state.Json);
                    break;
                case ReasoningStateBlock { Format: ReasoningStateFormats.ThoughtSignature } state:
                    signature = ParseOrNull(state.Json) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;
                    break;
                case ReasoningStateBlock { Format: ReasoningStateFormats.OpenAiResponses } state when ParseOrNull(state.Json) is { ValueKind: JsonValueKind.Object } item:
                    blocks.Add(new ClineContentBlock
                    {
                        Type = "redacted_thinking",
                        Data = item.TryGetProperty("encrypted_content", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : "",
                        CallId = item.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null,
                        Summary = item.TryGetProperty("summary", out var summary) ? summary.Clone() : null,
                    });
                    break;
                case TextBlock text:
                    blocks.Add(new ClineContentBlock { Type = "text", Text = text.Text, ReasoningDetails = Take(ref details), Signature = Take(ref signature) });
                    break;
                case ImageBlock image:
                    blocks.Add(new ClineContentBlock { Type = "image", Source = new ClineSource { MediaType = image.MediaType, Data = image.Data } });
                    break;
                case ToolUseBlock use:
                    var storedId = use.FunctionId ?? use.Id;
                    storedIds[use.Id] = storedId;
                    blocks.Add(new ClineContentBlock
                    {
                        Type = "tool_use",
                        Id = storedId,
                        Name = use.Name,
                        Input = use.Input.ValueKind == JsonValueKind.Undefined ? EmptyObject : use.Input,
                        CallId = use.FunctionId is null ? null : use.Id,
                        ReasoningDetails = Take(ref details),
                        Signature = Take(ref signature),
                    });
                    break;
                case ToolResultBlock toolResult:
                    blocks.Add(new ClineContentBlock
                    {
                        Type = "tool_result",
                        ToolUseId = storedIds.GetValueOrDefault(toolResult.ToolUseId, toolResult.ToolUseId),
                        Content = new ClineContent(FromChatMessage(new ChatMessage(ChatRole.User, toolResult.Content), storedIds).Content.Blocks!),
                        IsError = toolResult.IsError ? true : null,
                    });
                    break;
                case ThinkingBlock thinking:
                    blocks.Add(new ClineContentBlock { Type = "thinking", Thinking = thinking.Thinking, Signature = thinking.Signature ?? "" });
                    break;
                case RedactedThinkingBlock redacted:
                    blocks.Add(new ClineContentBlock { Type = "redacted_thinking", Data = redacted.Data });
                    break;
            }
        }

        // State with no block after it rides on the last block that can carry it.
        if ((details is not null || signature is not null) && blocks.FindLast(b => b.Type is "text" or "tool_use") is { } last)
        {
            last.ReasoningDetails ??= details;
            last.Signature ??= signature;
        }

        return new ClineStorageMessage { Role = message.Role == ChatRole.Assistant ? "assistant" : "user", Content = new ClineContent(blocks) };
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static T? Take<T>(ref T? value)
    {
        var taken = value;
        value = default;
        return taken;
    }

    private static JsonElement? ParseOrNull(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string ReasoningItem(string id, JsonElement? summary, string? encrypted)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "reasoning");
            writer.WriteString("id", id);
            writer.WritePropertyName("summary");
            if (summary is { ValueKind: JsonValueKind.Array } items)
            {
                items.WriteTo(writer);
            }
            else
            {
                writer.WriteStartArray();
                writer.WriteEndArray();
            }

            if (!string.IsNullOrEmpty(encrypted))
            {
                writer.WriteString("encrypted_content", encrypted);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Providers.Cline;

/// <summary>
/// One message of Cline's task view (<c>ui_messages.json</c>, Cline's <c>ClineMessage</c>): a <c>say</c> (Cline tells)
/// or an <c>ask</c> (Cline waits for the user). Fields this type does not know are kept in <see cref="ExtensionData"/>.
/// </summary>
public sealed class ClineUiMessage
{
    /// <summary>When it was shown, in Unix milliseconds; Cline's identity of the message.</summary>
    [JsonPropertyName("ts")] public long Ts { get; set; }

    /// <summary><c>say</c> or <c>ask</c>.</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "say";

    /// <summary>The kind of question, for an <c>ask</c> (<c>followup</c>, <c>tool</c>, <c>completion_result</c>, …).</summary>
    [JsonPropertyName("ask")] public string? Ask { get; set; }

    /// <summary>The kind of statement, for a <c>say</c> (<c>task</c>, <c>text</c>, <c>reasoning</c>, <c>api_req_started</c>, …).</summary>
    [JsonPropertyName("say")] public string? Say { get; set; }

    /// <summary>The text; for <c>api_req_started</c>, a JSON object of the request's tokens and cost.</summary>
    [JsonPropertyName("text")] public string? Text { get; set; }

    /// <summary>Reasoning shown with the message.</summary>
    [JsonPropertyName("reasoning")] public string? Reasoning { get; set; }

    /// <summary>Images as data URLs.</summary>
    [JsonPropertyName("images")] public List<string>? Images { get; set; }

    /// <summary>Attached file paths.</summary>
    [JsonPropertyName("files")] public List<string>? Files { get; set; }

    /// <summary>Whether the message is still streaming.</summary>
    [JsonPropertyName("partial")] public bool? Partial { get; set; }

    /// <summary>The index of the API conversation message this one was shown for.</summary>
    [JsonPropertyName("conversationHistoryIndex")] public int? ConversationHistoryIndex { get; set; }

    /// <summary>The model that wrote it.</summary>
    [JsonPropertyName("modelInfo")] public ClineMessageModelInfo? ModelInfo { get; set; }

    /// <summary>Fields this type does not know, written back as read.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>
/// Cline's task view for a conversation: what Cline shows for each message of <c>api_conversation_history.json</c>.
/// The first user message is the <c>task</c>, later user words are <c>user_feedback</c> (tool results are shown by the
/// tools, not as messages); each answer is an <c>api_req_started</c> row with its tokens and cost, then its
/// <c>reasoning</c> and its <c>text</c>.
/// </summary>
public static class ClineUiMessages
{
    /// <summary>Parses <c>ui_messages.json</c>.</summary>
    /// <exception cref="JsonException">The JSON is not an array of messages.</exception>
    public static List<ClineUiMessage> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, ClineUiJsonContext.Default.ListClineUiMessage)
            ?? throw new JsonException("The UI messages are null; expected a JSON array.");
    }

    /// <summary>The <c>ui_messages.json</c> JSON, unknown fields included.</summary>
    public static string Serialize(IReadOnlyList<ClineUiMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return JsonSerializer.Serialize(messages as List<ClineUiMessage> ?? [.. messages], ClineUiJsonContext.Default.ListClineUiMessage);
    }

    /// <summary>
    /// The task view of a stored conversation, its messages stamped from <paramref name="firstTs"/> on (one millisecond
    /// apart where a message has no <c>ts</c>, so every message keeps a distinct identity).
    /// </summary>
    public static List<ClineUiMessage> FromConversation(IReadOnlyList<ClineStorageMessage> conversation, long firstTs)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var chat = ClineConversation.ToChatMessages(conversation);
        var result = new List<ClineUiMessage>();
        var ts = firstTs;
        var seenTask = false;
        for (var i = 0; i < chat.Count; i++)
        {
            ts = Math.Max(ts, conversation[i].Ts ?? ts);
            if (chat[i].Role == ChatRole.User)
            {
                if (FromUser(chat[i], seenTask, ts, i) is { } user)
                {
                    result.Add(user);
                    seenTask = true;
                    ts++;
                }

                continue;
            }

            var usage = conversation[i].Metrics?.Tokens is { } tokens
                ? new UsageChunk(tokens.Prompt - tokens.Cached, tokens.Completion, tokens.Cached, null, null, conversation[i].Metrics!.Cost)
                : null;
            foreach (var message in FromAnswer(chat[i], usage, ts, i))
            {
                message.ModelInfo = conversation[i].ModelInfo;
                result.Add(message);
                ts = message.Ts + 1;
            }
        }

        return result;
    }

    /// <summary>
    /// What Cline shows for one answer: <c>api_req_started</c> with <c>{"tokensIn","tokensOut","cacheWrites","cacheReads","cost"}</c>,
    /// then a <c>reasoning</c> message for its reasoning and a <c>text</c> message for each run of text.
    /// </summary>
    public static List<ClineUiMessage> FromAnswer(ChatMessage answer, UsageChunk? usage, long ts, int? conversationHistoryIndex = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var result = new List<ClineUiMessage>
        {
            new() { Ts = ts, Type = "say", Say = "api_req_started", Text = ApiRequestInfo(usage), ConversationHistoryIndex = conversationHistoryIndex },
        };

        var reasoning = string.Join("\n\n", answer.Content.OfType<ThinkingBlock>().Select(t => t.Thinking).Where(t => t.Length > 0));
        if (reasoning.Length > 0)
        {
            result.Add(new ClineUiMessage { Ts = ts + result.Count, Type = "say", Say = "reasoning", Text = reasoning, Partial = false, ConversationHistoryIndex = conversationHistoryIndex });
        }

        foreach (var text in answer.Content.OfType<TextBlock>().Where(t => t.Text.Length > 0))
        {
            result.Add(new ClineUiMessage { Ts = ts + result.Count, Type = "say", Say = "text", Text = text.Text, Partial = false, ConversationHistoryIndex = conversationHistoryIndex });
        }

        return result;
    }

    private static ClineUiMessage? FromUser(ChatMessage message, bool seenTask, long ts, int index)
    {
        var text = string.Join("\n", message.Content.OfType<TextBlock>().Select(t => t.Text));
        var images = message.Content.OfType<ImageBlock>().Select(i => $"data:{i.MediaType};base64,{i.Data}").ToList();
        if (text.Length == 0 && images.Count == 0)
        {
            return null;
        }

        return new ClineUiMessage
        {
            Ts = ts,
            Type = "say",
            Say = seenTask ? "user_feedback" : "task",
            Text = text,
            Images = images.Count > 0 ? images : null,
            ConversationHistoryIndex = index,
        };
    }

    private static string ApiRequestInfo(UsageChunk? usage)
    {
        if (usage is null)
        {
            return "{}";
        }

        var cost = usage.TotalCost is { } c ? ",\"cost\":" + c.ToString(CultureInfo.InvariantCulture) : "";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"tokensIn\":{usage.InputTokens},\"tokensOut\":{usage.OutputTokens},\"cacheWrites\":{usage.CacheWriteTokens ?? 0},\"cacheReads\":{usage.CacheReadTokens ?? 0}{cost}}}");
    }
}

/// <summary>The System.Text.Json source-generated serializers of Cline's task view.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ClineUiMessage>))]
internal sealed partial class ClineUiJsonContext : JsonSerializerContext;

using System.Text;
using System.Text.Json;

namespace Providers.OpenAi;

/// <summary>
/// Turns the conversation into OpenAI message lists: Chat Completions <c>messages</c> (shared with OpenRouter) and
/// Responses API <c>input</c> items.
/// </summary>
internal static class OpenAiMessageConverter
{
    /// <summary>OpenAI rejects tool call ids longer than this.</summary>
    private const int MaxToolCallIdLength = 40;

    private const string ImageInToolResult = "(see following user message for image)";

    /// <summary>Starts the text of a failed tool's result, since neither API has an error flag on tool results.</summary>
    internal const string ToolErrorPrefix = "Error: ";

    /// <summary>
    /// Chat Completions messages. Tool results become <c>role: "tool"</c> messages placed before the user's own text and
    /// images of the same message (OpenAI requires them right after the assistant's tool calls); images become data
    /// URLs; an assistant message with only tool calls has <c>content: null</c>.
    /// </summary>
    /// <param name="systemPrompt">The system prompt, sent first.</param>
    /// <param name="systemRole"><c>system</c>, or <c>developer</c> for reasoning models.</param>
    /// <param name="messages">The conversation.</param>
    /// <param name="includeReasoning">
    /// Send earlier reasoning back as <c>reasoning_content</c>, as DeepSeek's thinking mode documents it: the reasoning of
    /// every assistant message of a turn that called tools (a turn runs from one user message with words of its own to
    /// the next), in every later request; the reasoning of turns without tool calls is left out.
    /// </param>
    /// <param name="includeReasoningDetails">
    /// Send each assistant message's <see cref="ReasoningStateFormats.ReasoningDetails"/> state back as its
    /// <c>reasoning_details</c> (OpenRouter; servers that do not know the field may reject it).
    /// </param>
    public static List<WireMessage> ToChatMessages(
        string systemPrompt, string systemRole, IReadOnlyList<ChatMessage> messages, bool includeReasoning = false, bool includeReasoningDetails = false)
    {
        var result = new List<WireMessage>(messages.Count + 1)
        {
            new() { Role = systemRole, Content = new WireContent(systemPrompt) },
        };

        var reasoningTurns = includeReasoning ? TurnsWithToolCalls(messages) : null;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Role == ChatRole.User)
            {
                AddUser(result, message);
            }
            else
            {
                AddAssistant(result, message, reasoningTurns?[i] == true, includeReasoningDetails);
            }
        }

        return result;
    }

    /// <summary>For each message, whether it belongs to a turn in which the assistant called a tool.</summary>
    private static bool[] TurnsWithToolCalls(IReadOnlyList<ChatMessage> messages)
    {
        var result = new bool[messages.Count];
        var start = 0;
        for (var i = 0; i <= messages.Count; i++)
        {
            var turnEnds = i == messages.Count || (i > start && StartsTurn(messages[i]));
            if (!turnEnds)
            {
                continue;
            }

            var calledTools = false;
            for (var j = start; j < i && !calledTools; j++)
            {
                calledTools = messages[j].Role == ChatRole.Assistant && messages[j].Content.Any(b => b is ToolUseBlock);
            }

            for (var j = start; j < i; j++)
            {
                result[j] = calledTools;
            }

            start = i;
        }

        return result;
    }

    /// <summary>A user message with something besides tool results starts a new turn.</summary>
    private static bool StartsTurn(ChatMessage message) =>
        message.Role == ChatRole.User && message.Content.Any(b => b is not ToolResultBlock);

    /// <summary>
    /// DeepSeek-reasoner format: the system prompt travels as the first user message and consecutive messages of the
    /// same role are merged, because the model rejects two user (or two assistant) messages in a row.
    /// </summary>
    public static List<WireMessage> ToDeepSeekReasonerMessages(string systemPrompt, IReadOnlyList<ChatMessage> messages)
    {
        var converted = ToChatMessages(systemPrompt, "user", messages, includeReasoning: true);
        var merged = new List<WireMessage>(converted.Count);
        foreach (var message in converted)
        {
            var last = merged.Count > 0 ? merged[^1] : null;
            if (last is null || last.Role != message.Role || message.Role == "tool")
            {
                merged.Add(message);
                continue;
            }

            Merge(last, message);
        }

        foreach (var message in merged)
        {
            CollapseTextParts(message);
        }

        return merged;
    }

    /// <summary>
    /// Maps a Responses API function item id (<c>fc_…</c>) to a Chat Completions call id (<c>call_…</c>), shortened to
    /// OpenAI's 40-character limit; other ids pass unchanged. Applied alike to tool calls and results, so they still match.
    /// </summary>
    public static string ToChatToolCallId(string id)
    {
        if (!id.StartsWith("fc_", StringComparison.Ordinal))
        {
            return id;
        }

        var mapped = "call_" + id[3..];
        return mapped.Length <= MaxToolCallIdLength ? mapped : mapped[..MaxToolCallIdLength];
    }

    /// <summary>
    /// Responses API input items. User text and images are <c>input_text</c>/<c>input_image</c> parts (images with
    /// <c>detail: "auto"</c>); tool results are <c>function_call_output</c> items placed before the user's own content.
    /// An assistant message becomes its items in their original order: each
    /// <see cref="ReasoningStateFormats.OpenAiResponses"/> reasoning item replayed as it came (with its
    /// <c>encrypted_content</c>, so a stateless request keeps the model's reasoning across tool calls), text as an
    /// assistant message item with string content, and tool uses as <c>function_call</c> items with their <c>fc_</c> id.
    /// </summary>
    public static List<ResponsesInputItem> ToResponsesInput(IReadOnlyList<ChatMessage> messages)
    {
        var items = new List<ResponsesInputItem>(messages.Count);
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.User)
            {
                AddResponsesUser(items, message);
            }
            else
            {
                AddResponsesAssistant(items, message);
            }
        }

        return items;
    }

    private static void AddResponsesUser(List<ResponsesInputItem> items, ChatMessage message)
    {
        var parts = new List<ResponsesInputPart>();
        foreach (var block in message.Content)
        {
            switch (block)
            {
                case TextBlock text:
                    parts.Add(new ResponsesInputPart { Type = "input_text", Text = text.Text });
                    break;
                case ImageBlock image:
                    parts.Add(InputImage(image));
                    break;
                case ToolResultBlock toolResult:
                    // Results answer the calls before the user's new words.
                    items.Add(new ResponsesInputItem { Type = "function_call_output", CallId = toolResult.ToolUseId, Output = ToolResultText(toolResult) });
                    parts.AddRange(ToolResultImages(toolResult).Select(InputImage));
                    break;
            }
        }

        if (parts.Count > 0)
        {
            items.Add(new ResponsesInputItem { Role = "user", Content = new ResponsesContent(parts) });
        }
    }

    private static void AddResponsesAssistant(List<ResponsesInputItem> items, ChatMessage message)
    {
        StringBuilder? text = null;
        foreach (var block in message.Content)
        {
            if (block is TextBlock t)
            {
                if (t.Text.Length > 0)
                {
                    text = Append(text, t.Text);
                }

                continue;
            }

            // Text runs end at the next item, so every item stays where it was in the answer.
            var item = block switch
            {
                ReasoningStateBlock { Format: ReasoningStateFormats.OpenAiResponses } state => ReasoningItem(state.Json),
                ToolUseBlock use => new ResponsesInputItem
                {
                    Type = "function_call",
                    Id = use.FunctionId is { } functionId && functionId.StartsWith("fc_", StringComparison.Ordinal) ? functionId : null,
                    CallId = use.Id,
                    Name = use.Name,
                    Arguments = ArgumentsJson(use.Input),
                },
                _ => null,
            };

            if (item is null)
            {
                continue;
            }

            FlushAssistantText(items, ref text);
            items.Add(item);
        }

        FlushAssistantText(items, ref text);
    }

    private static void FlushAssistantText(List<ResponsesInputItem> items, ref StringBuilder? text)
    {
        if (text is not null)
        {
            items.Add(new ResponsesInputItem { Role = "assistant", Content = new ResponsesContent(text.ToString()) });
            text = null;
        }
    }

    /// <summary>A stored reasoning item; state that is not a JSON object with an id is left out rather than sent broken.</summary>
    private static ResponsesInputItem? ReasoningItem(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var summary = root.TryGetProperty("summary", out var s) && s.ValueKind == JsonValueKind.Array
                ? s.Clone()
                : EmptyArray;
            var encrypted = root.TryGetProperty("encrypted_content", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            return new ResponsesInputItem { Type = "reasoning", Id = id.GetString(), Summary = summary, EncryptedContent = encrypted };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement.Clone();

    private static ResponsesInputPart InputImage(ImageBlock image) => new() { Type = "input_image", ImageUrl = DataUrl(image), Detail = "auto" };

    /// <summary>
    /// Tool-call arguments as the JSON text the APIs take: an object as compact JSON (as Cline sends it, so a
    /// conversation read back from a file sends the same bytes); a string as the arguments text it holds (some histories
    /// keep arguments that way); nothing at all as <c>{}</c>; any other value as its compact JSON.
    /// </summary>
    public static string ArgumentsJson(JsonElement input)
    {
        switch (input.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return "{}";
            case JsonValueKind.String:
                return input.GetString() is { Length: > 0 } text ? text : "{}";
            default:
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    input.WriteTo(writer);
                }

                return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    public static string DataUrl(ImageBlock image) => $"data:{image.MediaType};base64,{image.Data}";

    private static void AddUser(List<WireMessage> result, ChatMessage message)
    {
        var parts = new List<WirePart>();
        var trailingImages = new List<WirePart>();
        foreach (var block in message.Content)
        {
            switch (block)
            {
                case ToolResultBlock toolResult:
                    result.Add(new WireMessage
                    {
                        Role = "tool",
                        ToolCallId = ToChatToolCallId(toolResult.ToolUseId),
                        Content = new WireContent(ToolResultText(toolResult)),
                    });
                    trailingImages.AddRange(ToolResultImages(toolResult).Select(i => WirePart.OfImage(i.MediaType, i.Data)));
                    break;
                case TextBlock text:
                    parts.Add(WirePart.OfText(text.Text));
                    break;
                case ImageBlock image:
                    parts.Add(WirePart.OfImage(image.MediaType, image.Data));
                    break;
            }
        }

        // Tool messages cannot carry images: they follow in the user message, which the tool text points to.
        parts.AddRange(trailingImages);
        if (parts.Count > 0)
        {
            result.Add(new WireMessage { Role = "user", Content = new WireContent(parts) });
        }
    }

    private static void AddAssistant(List<WireMessage> result, ChatMessage message, bool includeReasoning, bool includeReasoningDetails)
    {
        StringBuilder? text = null;
        StringBuilder? reasoning = null;
        List<WireToolCall>? toolCalls = null;
        List<JsonElement>? details = null;
        foreach (var block in message.Content)
        {
            switch (block)
            {
                case TextBlock t:
                    text = Append(text, t.Text);
                    break;
                case ThinkingBlock thinking when includeReasoning:
                    reasoning = Append(reasoning, thinking.Thinking);
                    break;
                case ReasoningStateBlock { Format: ReasoningStateFormats.ReasoningDetails } state when includeReasoningDetails:
                    AddDetails(ref details, state.Json);
                    break;
                case ToolUseBlock use:
                    (toolCalls ??= []).Add(new WireToolCall
                    {
                        Id = ToChatToolCallId(use.Id),
                        Function = new WireFunctionCall { Name = use.Name, Arguments = ArgumentsJson(use.Input) },
                    });
                    break;
            }
        }

        if (text is null && toolCalls is null)
        {
            return;
        }

        result.Add(new WireMessage
        {
            Role = "assistant",
            Content = text is null ? null : new WireContent(text.ToString()),
            ReasoningContent = reasoning?.ToString(),
            ReasoningDetails = details is null ? null : ToArray(details),
            ToolCalls = toolCalls,
        });
    }

    private static void AddDetails(ref List<JsonElement>? details, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in root.EnumerateArray())
                {
                    (details ??= []).Add(item.Clone());
                }
            }
            else if (root.ValueKind == JsonValueKind.Object)
            {
                (details ??= []).Add(root.Clone());
            }
        }
        catch (JsonException)
        {
            // State that is not JSON cannot be sent back; the request goes without it.
        }
    }

    private static JsonElement ToArray(List<JsonElement> items)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                item.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static StringBuilder Append(StringBuilder? builder, string text)
    {
        if (builder is null)
        {
            return new StringBuilder(text);
        }

        return builder.Append('\n').Append(text);
    }

    private static void Merge(WireMessage into, WireMessage next)
    {
        if (next.Content is not null)
        {
            if (into.Content is null)
            {
                into.Content = next.Content;
            }
            else if (into.Content.Parts is null && next.Content.Parts is null)
            {
                into.Content = new WireContent(into.Content.Text + "\n" + next.Content.Text);
            }
            else
            {
                into.Content.AsParts().AddRange(next.Content.AsParts());
            }
        }

        if (next.ToolCalls is not null)
        {
            (into.ToolCalls ??= []).AddRange(next.ToolCalls);
        }

        if (next.ReasoningContent is not null)
        {
            into.ReasoningContent = into.ReasoningContent is null ? next.ReasoningContent : into.ReasoningContent + "\n" + next.ReasoningContent;
        }
    }

    /// <summary>Text-only parts become one string (DeepSeek accepts plain strings everywhere); content with images stays parts.</summary>
    private static void CollapseTextParts(WireMessage message)
    {
        if (message.Content?.Parts is { } parts && parts.TrueForAll(p => p.Text is not null && p.ImageUrl is null))
        {
            message.Content = new WireContent(string.Join("\n", parts.Select(p => p.Text)));
        }
    }

    /// <summary>The text of a tool result: its text blocks joined by newlines, images replaced by a pointer to the following user message.</summary>
    private static string ToolResultText(ToolResultBlock toolResult)
    {
        // The tool message has no error flag: say it in the text, so the model does not take a failure for a result.
        var builder = new StringBuilder(toolResult.IsError ? ToolErrorPrefix : "");
        foreach (var block in toolResult.Content)
        {
            if (builder.Length > (toolResult.IsError ? ToolErrorPrefix.Length : 0))
            {
                builder.Append('\n');
            }

            switch (block)
            {
                case TextBlock text:
                    builder.Append(text.Text);
                    break;
                case ImageBlock:
                    builder.Append(ImageInToolResult);
                    break;
            }
        }

        return builder.ToString();
    }

    private static IEnumerable<ImageBlock> ToolResultImages(ToolResultBlock toolResult) => toolResult.Content.OfType<ImageBlock>();
}

using System.Text;

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

    /// <summary>
    /// Chat Completions messages. Tool results become <c>role: "tool"</c> messages placed before the user's own text and
    /// images of the same message (OpenAI requires them right after the assistant's tool calls); images become data
    /// URLs; an assistant message with only tool calls has <c>content: null</c>.
    /// </summary>
    /// <param name="systemPrompt">The system prompt, sent first.</param>
    /// <param name="systemRole"><c>system</c>, or <c>developer</c> for reasoning models.</param>
    /// <param name="messages">The conversation.</param>
    /// <param name="includeReasoning">Send earlier reasoning back as <c>reasoning_content</c> (DeepSeek).</param>
    public static List<WireMessage> ToChatMessages(string systemPrompt, string systemRole, IReadOnlyList<ChatMessage> messages, bool includeReasoning = false)
    {
        var result = new List<WireMessage>(messages.Count + 1)
        {
            new() { Role = systemRole, Content = new WireContent(systemPrompt) },
        };

        foreach (var message in messages)
        {
            if (message.Role == ChatRole.User)
            {
                AddUser(result, message);
            }
            else
            {
                AddAssistant(result, message, includeReasoning);
            }
        }

        return result;
    }

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
    /// Responses API input items: user text and images as <c>input_text</c>/<c>input_image</c>, assistant text as
    /// <c>output_text</c>, tool uses as <c>function_call</c> items and tool results as <c>function_call_output</c> items
    /// placed before the user's own content. Earlier reasoning is not sent back (the conversation is stateless).
    /// </summary>
    public static List<ResponsesInputItem> ToResponsesInput(IReadOnlyList<ChatMessage> messages)
    {
        var items = new List<ResponsesInputItem>(messages.Count);
        foreach (var message in messages)
        {
            var parts = new List<ResponsesInputPart>();
            var calls = new List<ResponsesInputItem>();
            var isUser = message.Role == ChatRole.User;
            foreach (var block in message.Content)
            {
                switch (block)
                {
                    case TextBlock text:
                        parts.Add(new ResponsesInputPart { Type = isUser ? "input_text" : "output_text", Text = text.Text });
                        break;
                    case ImageBlock image when isUser:
                        parts.Add(new ResponsesInputPart { Type = "input_image", ImageUrl = DataUrl(image) });
                        break;
                    case ToolUseBlock use:
                        calls.Add(new ResponsesInputItem { Type = "function_call", CallId = use.Id, Name = use.Name, Arguments = use.Input.GetRawText() });
                        break;
                    case ToolResultBlock toolResult:
                        calls.Add(new ResponsesInputItem { Type = "function_call_output", CallId = toolResult.ToolUseId, Output = ToolResultText(toolResult) });
                        parts.AddRange(ToolResultImages(toolResult).Select(i => new ResponsesInputPart { Type = "input_image", ImageUrl = DataUrl(i) }));
                        break;
                }
            }

            var content = parts.Count > 0 ? new ResponsesInputItem { Role = isUser ? "user" : "assistant", Content = parts } : null;

            // Results answer the calls before the user's new words; the assistant's words come before its calls.
            if (isUser)
            {
                items.AddRange(calls);
            }

            if (content is not null)
            {
                items.Add(content);
            }

            if (!isUser)
            {
                items.AddRange(calls);
            }
        }

        return items;
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

    private static void AddAssistant(List<WireMessage> result, ChatMessage message, bool includeReasoning)
    {
        StringBuilder? text = null;
        StringBuilder? reasoning = null;
        List<WireToolCall>? toolCalls = null;
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
                case ToolUseBlock use:
                    (toolCalls ??= []).Add(new WireToolCall
                    {
                        Id = ToChatToolCallId(use.Id),
                        Function = new WireFunctionCall { Name = use.Name, Arguments = use.Input.GetRawText() },
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
            ToolCalls = toolCalls,
        });
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
        var builder = new StringBuilder();
        foreach (var block in toolResult.Content)
        {
            if (builder.Length > 0)
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

using System.Text.Json;

namespace Providers.Anthropic;

/// <summary>Turns the conversation into Messages API parameters, with the prompt-cache breakpoints.</summary>
internal static class AnthropicMessageConverter
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static List<ContentPart> System(string systemPrompt, bool cache) =>
    [
        new ContentPart { Type = "text", Text = systemPrompt, CacheControl = cache ? CacheControl.Ephemeral : null },
    ];

    /// <summary>
    /// Converts the messages. With <paramref name="cache"/>, the last block (thinking blocks excepted) of each of the last
    /// two user messages is a cache breakpoint: the newest one writes the cache, the one before reads what the previous
    /// request wrote.
    /// </summary>
    public static List<MessageParam> Messages(IReadOnlyList<ChatMessage> messages, bool cache)
    {
        var result = new List<MessageParam>(messages.Count);
        foreach (var message in messages)
        {
            var parts = message.Role == ChatRole.User ? UserParts(message) : AssistantParts(message);
            if (parts.Count > 0)
            {
                result.Add(new MessageParam { Role = message.Role == ChatRole.User ? "user" : "assistant", Content = parts });
            }
        }

        if (cache)
        {
            MarkCacheBreakpoints(result);
        }

        return result;
    }

    public static List<ToolParam>? Tools(IReadOnlyList<ToolDefinition>? tools) =>
        tools is null || tools.Count == 0
            ? null
            : tools.Select(t => new ToolParam
            {
                Name = t.Name,
                Description = t.Description,
                InputSchema = t.InputSchema.ValueKind == JsonValueKind.Undefined ? EmptyObject : t.InputSchema,
            }).ToList();

    private static List<ContentPart> UserParts(ChatMessage message)
    {
        // The API wants tool results before anything else in the turn that answers the tool uses.
        var results = new List<ContentPart>();
        var rest = new List<ContentPart>();
        foreach (var block in message.Content)
        {
            if (block is ToolResultBlock toolResult)
            {
                var content = toolResult.Content.Select(Plain).OfType<ContentPart>().ToList();
                results.Add(new ContentPart
                {
                    Type = "tool_result",
                    ToolUseId = toolResult.ToolUseId,
                    Content = content.Count == 0 ? null : content,
                    IsError = toolResult.IsError ? true : null,
                });
            }
            else if (Plain(block) is { } part)
            {
                rest.Add(part);
            }
        }

        results.AddRange(rest);
        return results;
    }

    private static List<ContentPart> AssistantParts(ChatMessage message)
    {
        var parts = new List<ContentPart>(message.Content.Count);
        foreach (var block in message.Content)
        {
            var part = block switch
            {
                ToolUseBlock use => new ContentPart
                {
                    Type = "tool_use",
                    Id = use.Id,
                    Name = use.Name,
                    Input = use.Input.ValueKind == JsonValueKind.Undefined ? EmptyObject : use.Input,
                },
                // A thinking block without a signature (for example from another provider) would be rejected: drop it.
                ThinkingBlock { Signature: { Length: > 0 } signature } thinking => new ContentPart { Type = "thinking", Thinking = thinking.Thinking, Signature = signature },
                RedactedThinkingBlock redacted => new ContentPart { Type = "redacted_thinking", Data = redacted.Data },
                // ReasoningStateBlocks belong to other APIs (Responses items, reasoning_details): Plain drops them.
                _ => Plain(block),
            };

            if (part is not null)
            {
                parts.Add(part);
            }
        }

        return parts;
    }

    /// <summary>Text and images; the API rejects empty text blocks, so those are dropped.</summary>
    private static ContentPart? Plain(ContentBlock block) => block switch
    {
        TextBlock { Text.Length: > 0 } text => new ContentPart { Type = "text", Text = text.Text },
        ImageBlock image => new ContentPart { Type = "image", Source = new ImageSource { MediaType = image.MediaType, Data = image.Data } },
        _ => null,
    };

    private static void MarkCacheBreakpoints(List<MessageParam> messages)
    {
        var marked = 0;
        for (var i = messages.Count - 1; i >= 0 && marked < 2; i--)
        {
            if (messages[i].Role != "user")
            {
                continue;
            }

            var content = messages[i].Content;
            for (var j = content.Count - 1; j >= 0; j--)
            {
                if (content[j].Type is not ("thinking" or "redacted_thinking"))
                {
                    content[j].CacheControl = CacheControl.Ephemeral;
                    break;
                }
            }

            marked++;
        }
    }
}

using System.Text.Json;

namespace Providers.Bedrock;

/// <summary>Turns the conversation into Converse messages, with the <c>cachePoint</c> blocks of prompt caching.</summary>
internal static class BedrockMessageConverter
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>The system prompt, followed by a cache point when caching.</summary>
    public static List<ConverseContent>? System(string systemPrompt, bool cache)
    {
        if (string.IsNullOrEmpty(systemPrompt))
        {
            return null;
        }

        var system = new List<ConverseContent> { new() { Text = systemPrompt } };
        if (cache)
        {
            system.Add(ConverseContent.CachePointBlock);
        }

        return system;
    }

    /// <summary>
    /// Converts the messages. With <paramref name="cache"/>, a cache point ends each of the last two user messages: the
    /// newest writes the cache, the one before reads what the previous request wrote.
    /// </summary>
    public static List<ConverseMessage> Messages(IReadOnlyList<ChatMessage> messages, bool cache)
    {
        var result = new List<ConverseMessage>(messages.Count);
        foreach (var message in messages)
        {
            var user = message.Role == ChatRole.User;
            var content = user ? UserContent(message) : AssistantContent(message);
            if (content.Count > 0)
            {
                result.Add(new ConverseMessage { Role = user ? "user" : "assistant", Content = content });
            }
        }

        if (cache)
        {
            var marked = 0;
            for (var i = result.Count - 1; i >= 0 && marked < 2; i--)
            {
                if (result[i].Role == "user")
                {
                    result[i].Content.Add(ConverseContent.CachePointBlock);
                    marked++;
                }
            }
        }

        return result;
    }

    public static ToolConfig? Tools(IReadOnlyList<ToolDefinition>? tools) =>
        tools is null || tools.Count == 0
            ? null
            : new ToolConfig
            {
                Tools = tools.Select(t => new ToolEntry
                {
                    ToolSpec = new ToolSpec
                    {
                        Name = t.Name,
                        // The API rejects an empty description.
                        Description = string.IsNullOrEmpty(t.Description) ? t.Name : t.Description,
                        InputSchema = new ToolInputSchema { Json = t.InputSchema.ValueKind == JsonValueKind.Undefined ? EmptyObject : t.InputSchema },
                    },
                }).ToList(),
            };

    private static List<ConverseContent> UserContent(ChatMessage message)
    {
        // Tool results first: the turn that answers tool uses must start with them.
        var results = new List<ConverseContent>();
        var rest = new List<ConverseContent>();
        foreach (var block in message.Content)
        {
            if (block is ToolResultBlock toolResult)
            {
                var content = toolResult.Content.Select(Plain).OfType<ConverseContent>().ToList();
                results.Add(new ConverseContent
                {
                    ToolResult = new ToolResultContent
                    {
                        ToolUseId = toolResult.ToolUseId,
                        // The API wants at least one content block.
                        Content = content.Count == 0 ? [new ConverseContent { Text = toolResult.IsError ? "error" : "(no output)" }] : content,
                        Status = toolResult.IsError ? "error" : "success",
                    },
                });
            }
            else if (Plain(block) is { } plain)
            {
                rest.Add(plain);
            }
        }

        results.AddRange(rest);
        return results;
    }

    private static List<ConverseContent> AssistantContent(ChatMessage message)
    {
        var content = new List<ConverseContent>(message.Content.Count);
        foreach (var block in message.Content)
        {
            var converted = block switch
            {
                ToolUseBlock use => new ConverseContent
                {
                    ToolUse = new ToolUseContent
                    {
                        ToolUseId = use.Id,
                        Name = use.Name,
                        Input = use.Input.ValueKind == JsonValueKind.Undefined ? EmptyObject : use.Input,
                    },
                },
                // Claude needs its earlier reasoning back, signature intact, when a tool call follows it. Reasoning without
                // a signature (for example from another provider) would be rejected: dropped.
                ThinkingBlock { Signature: { Length: > 0 } signature } thinking => new ConverseContent
                {
                    ReasoningContent = new ReasoningContent { ReasoningText = new ReasoningText { Text = thinking.Thinking, Signature = signature } },
                },
                RedactedThinkingBlock { Data.Length: > 0 } redacted => new ConverseContent
                {
                    ReasoningContent = new ReasoningContent { RedactedContent = redacted.Data },
                },
                _ => Plain(block),
            };

            if (converted is not null)
            {
                content.Add(converted);
            }
        }

        return content;
    }

    /// <summary>Text and images; empty text blocks are rejected by the API, so they are dropped.</summary>
    private static ConverseContent? Plain(ContentBlock block) => block switch
    {
        TextBlock { Text.Length: > 0 } text => new ConverseContent { Text = text.Text },
        ImageBlock image => new ConverseContent
        {
            Image = new ImageContent { Format = ImageFormat(image.MediaType), Source = new ImageSourceBytes { Bytes = image.Data } },
        },
        _ => null,
    };

    /// <summary>The Converse image format of a media type: <c>png</c>, <c>jpeg</c>, <c>gif</c> or <c>webp</c> (Cline's default: jpeg).</summary>
    private static string ImageFormat(string mediaType) => mediaType.ToLowerInvariant() switch
    {
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        _ => "jpeg",
    };
}

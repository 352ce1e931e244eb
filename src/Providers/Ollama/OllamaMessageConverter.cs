using System.Text;
using System.Text.Json;

namespace Providers.Ollama;

/// <summary>Turns the conversation into Ollama's <c>/api/chat</c> messages.</summary>
/// <remarks>
/// Tool results become <c>role: "tool"</c> messages naming the tool (<c>tool_name</c>, found from the matching earlier
/// tool use) and come before the rest of the user turn; earlier assistant tool calls are kept as <c>tool_calls</c>
/// (the original dropped them, so the model saw results of calls it never made); images go in <c>images</c> as base64.
/// </remarks>
internal static class OllamaMessageConverter
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static List<OllamaMessage> Convert(string systemPrompt, IReadOnlyList<ChatMessage> messages)
    {
        var result = new List<OllamaMessage>(messages.Count + 1);
        if (!string.IsNullOrEmpty(systemPrompt))
        {
            result.Add(new OllamaMessage { Role = "system", Content = systemPrompt });
        }

        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.Assistant)
            {
                AddAssistant(result, message, toolNames);
            }
            else
            {
                AddUser(result, message, toolNames);
            }
        }

        return result;
    }

    public static List<OllamaTool>? ConvertTools(IReadOnlyList<ToolDefinition>? tools)
    {
        if (tools is null || tools.Count == 0)
        {
            return null;
        }

        return tools.Select(t => new OllamaTool
        {
            Function = new OllamaFunction
            {
                Name = t.Name,
                Description = t.Description,
                Parameters = t.InputSchema.ValueKind == JsonValueKind.Undefined ? EmptyObject : t.InputSchema,
            },
        }).ToList();
    }

    private static void AddAssistant(List<OllamaMessage> result, ChatMessage message, Dictionary<string, string> toolNames)
    {
        var text = new StringBuilder();
        var thinking = new StringBuilder();
        List<OllamaToolCall>? calls = null;
        foreach (var block in message.Content)
        {
            switch (block)
            {
                case TextBlock t:
                    AppendLine(text, t.Text);
                    break;
                case ThinkingBlock t:
                    AppendLine(thinking, t.Thinking);
                    break;
                case ToolUseBlock use:
                    toolNames[use.Id] = use.Name;
                    (calls ??= []).Add(new OllamaToolCall
                    {
                        Function = new OllamaFunctionCall
                        {
                            Name = use.Name,
                            Arguments = ArgumentsObject(use.Input),
                        },
                    });
                    break;
            }
        }

        if (text.Length == 0 && thinking.Length == 0 && calls is null)
        {
            return;
        }

        result.Add(new OllamaMessage
        {
            Role = "assistant",
            Content = text.ToString(),
            Thinking = thinking.Length == 0 ? null : thinking.ToString(),
            ToolCalls = calls,
        });
    }

    /// <summary>
    /// Ollama takes arguments as an object: an object passes as it is, a string holding an object's JSON (histories
    /// written by OpenAI-shaped code) passes as that object, not as a string inside a string; anything else is <c>{}</c>.
    /// </summary>
    internal static JsonElement ArgumentsObject(JsonElement input)
    {
        switch (input.ValueKind)
        {
            case JsonValueKind.Object:
                return input;
            case JsonValueKind.String:
                try
                {
                    using var document = JsonDocument.Parse(input.GetString() ?? "");
                    return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : EmptyObject;
                }
                catch (JsonException)
                {
                    return EmptyObject;
                }

            default:
                return EmptyObject;
        }
    }

    private static void AddUser(List<OllamaMessage> result, ChatMessage message, Dictionary<string, string> toolNames)
    {
        var text = new StringBuilder();
        List<string>? images = null;
        foreach (var block in message.Content)
        {
            switch (block)
            {
                case ToolResultBlock toolResult:
                    result.Add(ToolMessage(toolResult, toolNames));
                    break;
                case TextBlock t:
                    AppendLine(text, t.Text);
                    break;
                case ImageBlock image:
                    (images ??= []).Add(image.Data);
                    break;
            }
        }

        if (text.Length > 0 || images is not null)
        {
            result.Add(new OllamaMessage { Role = "user", Content = text.ToString(), Images = images });
        }
    }

    private static OllamaMessage ToolMessage(ToolResultBlock toolResult, Dictionary<string, string> toolNames)
    {
        var text = new StringBuilder();
        List<string>? images = null;
        foreach (var block in toolResult.Content)
        {
            switch (block)
            {
                case TextBlock t:
                    AppendLine(text, t.Text);
                    break;
                case ImageBlock image:
                    (images ??= []).Add(image.Data);
                    break;
            }
        }

        // Ollama has no error flag on tool messages; say it in the content so the model does not take a failure for a result.
        var content = toolResult.IsError ? "Error: " + text : text.ToString();
        return new OllamaMessage
        {
            Role = "tool",
            Content = content,
            Images = images,
            ToolName = toolNames.GetValueOrDefault(toolResult.ToolUseId),
        };
    }

    private static void AppendLine(StringBuilder builder, string text)
    {
        if (builder.Length > 0)
        {
            builder.Append('\n');
        }

        builder.Append(text);
    }
}

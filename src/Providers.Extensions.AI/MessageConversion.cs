using System.Text;
using System.Text.Json;
using AI = Microsoft.Extensions.AI;

namespace Providers;

/// <summary>Conversations between Microsoft.Extensions.AI's messages and ours, in both directions.</summary>
internal static class MessageConversion
{
    /// <summary>
    /// Marks a <see cref="AI.TextReasoningContent"/> whose <see cref="AI.TextReasoningContent.ProtectedData"/> is
    /// redacted (encrypted) reasoning rather than the signature of shown reasoning.
    /// </summary>
    public const string RedactedReasoningKey = "providers.redacted_reasoning";

    /// <summary>
    /// The <see cref="AI.FunctionCallContent"/> <c>AdditionalProperties</c> key of the provider's function item id when it
    /// differs from the call id (<see cref="ToolUseBlock.FunctionId"/>, OpenAI Responses <c>fc_…</c> ids).
    /// </summary>
    public const string FunctionIdKey = "providers.function_id";

    /// <summary>
    /// Microsoft.Extensions.AI messages to a system prompt and our messages. System messages (and
    /// <see cref="AI.ChatOptions.Instructions"/>, first) join the system prompt; tool messages become user messages of
    /// <see cref="ToolResultBlock"/>s; consecutive messages of the same resulting role are merged, as the providers
    /// require alternating turns.
    /// </summary>
    /// <exception cref="NotSupportedException">A message holds content no provider here can send (non-image data, images by URL).</exception>
    public static (string SystemPrompt, List<ChatMessage> Messages) ToProvider(IEnumerable<AI.ChatMessage> messages, string? instructions)
    {
        var system = new StringBuilder();
        AppendParagraph(system, instructions);
        var result = new List<ChatMessage>();
        foreach (var message in messages)
        {
            if (message.Role == AI.ChatRole.System)
            {
                AppendParagraph(system, message.Text);
                continue;
            }

            var role = message.Role == AI.ChatRole.Assistant ? ChatRole.Assistant : ChatRole.User;
            var blocks = role == ChatRole.Assistant ? AssistantBlocks(message.Contents) : [];
            if (role == ChatRole.User)
            {
                foreach (var content in message.Contents)
                {
                    if (ToBlock(content) is { } block)
                    {
                        blocks.Add(block);
                    }
                }
            }

            if (blocks.Count == 0)
            {
                continue;
            }

            if (result.Count > 0 && result[^1].Role == role)
            {
                result[^1] = result[^1] with { Content = [.. result[^1].Content, .. blocks] };
            }
            else
            {
                result.Add(new ChatMessage(role, blocks));
            }
        }

        return (system.ToString(), result);
    }

    /// <summary>A system prompt and our messages to Microsoft.Extensions.AI messages; tool results become <see cref="AI.ChatRole.Tool"/> messages.</summary>
    public static List<AI.ChatMessage> FromProvider(string systemPrompt, IReadOnlyList<ChatMessage> messages)
    {
        var result = new List<AI.ChatMessage>(messages.Count + 1);
        if (!string.IsNullOrEmpty(systemPrompt))
        {
            result.Add(new AI.ChatMessage(AI.ChatRole.System, systemPrompt));
        }

        foreach (var message in messages)
        {
            var results = new List<AI.AIContent>();
            var contents = new List<AI.AIContent>();
            foreach (var block in message.Content)
            {
                if (block is ToolResultBlock toolResult)
                {
                    results.Add(ToFunctionResult(toolResult));
                }
                else if (FromBlock(block) is { } content)
                {
                    contents.Add(content);
                }
            }

            if (results.Count > 0)
            {
                result.Add(new AI.ChatMessage(AI.ChatRole.Tool, results));
            }

            if (contents.Count > 0)
            {
                result.Add(new AI.ChatMessage(message.Role == ChatRole.Assistant ? AI.ChatRole.Assistant : AI.ChatRole.User, contents));
            }
        }

        return result;
    }

    public static ToolDefinition ToToolDefinition(AI.AIFunctionDeclaration function) =>
        new(function.Name, function.Description ?? "", function.JsonSchema);

    /// <summary>
    /// A reasoning chunk as contents: its text with the signature in <see cref="AI.TextReasoningContent.ProtectedData"/>
    /// (or its redacted data, flagged with <see cref="RedactedReasoningKey"/>), then its details as a
    /// <see cref="ReasoningStateContent"/>. As in <see cref="AssistantMessageBuilder"/>, redacted data beside details is
    /// left out: the details carry it.
    /// </summary>
    public static List<AI.AIContent> ReasoningContents(ReasoningChunk chunk)
    {
        var contents = new List<AI.AIContent>(2);
        var hasDetails = !string.IsNullOrEmpty(chunk.Details);
        if (chunk.RedactedData is { } redacted && !hasDetails)
        {
            contents.Add(new AI.TextReasoningContent(chunk.Reasoning)
            {
                ProtectedData = redacted,
                AdditionalProperties = new() { [RedactedReasoningKey] = true },
            });
        }
        else if (chunk.Reasoning.Length > 0 || chunk.Signature is { Length: > 0 } || !hasDetails)
        {
            contents.Add(new AI.TextReasoningContent(chunk.Reasoning) { ProtectedData = chunk.Signature });
        }

        if (hasDetails)
        {
            contents.Add(new ReasoningStateContent(chunk.DetailsFormat ?? ReasoningStateFormats.ReasoningDetails, chunk.Details!));
        }

        return contents;
    }

    /// <summary>The call id, or the provider's function item id when <see cref="FunctionIdKey"/> names one.</summary>
    public static string FunctionIdOf(AI.FunctionCallContent call) =>
        call.AdditionalProperties?.TryGetValue(FunctionIdKey, out var value) == true && value is string { Length: > 0 } id ? id : call.CallId;

    /// <summary>
    /// An assistant message's contents as the chunks they came from, assembled by <see cref="AssistantMessageBuilder"/>,
    /// so reasoning state, signatures and function item ids come back as the providers' converters expect them.
    /// </summary>
    private static List<ContentBlock> AssistantBlocks(IList<AI.AIContent> contents)
    {
        var blocks = new List<ContentBlock>();
        var builder = new AssistantMessageBuilder();
        foreach (var content in contents)
        {
            ApiStreamChunk? chunk = content switch
            {
                AI.TextContent text => new TextChunk(text.Text),
                AI.TextReasoningContent { ProtectedData: { } data } reasoning when IsRedacted(reasoning) => new ReasoningChunk(reasoning.Text, RedactedData: data),
                AI.TextReasoningContent reasoning => new ReasoningChunk(reasoning.Text, Signature: string.IsNullOrEmpty(reasoning.ProtectedData) ? null : reasoning.ProtectedData),
                ReasoningStateContent state => new ReasoningChunk("", Details: state.Json) { DetailsFormat = state.Format },
                AI.FunctionCallContent call => new ToolCallChunk(call.CallId, FunctionIdOf(call), call.Name, JsonArguments.ToJson(call.Arguments)),
                _ => null,
            };

            if (chunk is not null)
            {
                builder.Add(chunk);
            }
            else if (ToBlock(content) is { } block)
            {
                // Content the stream has no chunk for (an image) keeps its place between what came before and after.
                Flush(ref builder, blocks);
                blocks.Add(block);
            }
        }

        Flush(ref builder, blocks);
        return blocks;

        static void Flush(ref AssistantMessageBuilder builder, List<ContentBlock> blocks)
        {
            if (builder.Build() is { } built)
            {
                blocks.AddRange(built.Content);
                builder = new AssistantMessageBuilder();
            }
        }
    }

    private static ContentBlock? ToBlock(AI.AIContent content) => content switch
    {
        AI.TextContent { Text.Length: > 0 } text => new TextBlock(text.Text),
        AI.DataContent data when data.HasTopLevelMediaType("image") => new ImageBlock(Convert.ToBase64String(data.Data.Span), data.MediaType),
        AI.DataContent data => throw new NotSupportedException($"Content of type '{data.MediaType}' cannot be sent: the providers accept text and images only."),
        AI.UriContent uri => throw new NotSupportedException($"Content by URL ('{uri.MediaType}') cannot be sent: pass the bytes as DataContent instead."),
        AI.FunctionCallContent call => new ToolUseBlock(call.CallId, call.Name, JsonArguments.ToElement(call.Arguments)),
        AI.FunctionResultContent result => new ToolResultBlock(result.CallId, ResultBlocks(result.Result), result.Exception is not null),
        AI.TextReasoningContent { ProtectedData: { } data } reasoning when IsRedacted(reasoning) => new RedactedThinkingBlock(data),
        AI.TextReasoningContent reasoning when reasoning.Text.Length > 0 || reasoning.ProtectedData is not null => new ThinkingBlock(reasoning.Text, reasoning.ProtectedData),
        // Usage, errors and hosted-tool content have no counterpart in a request; they are not part of the conversation.
        _ => null,
    };

    private static bool IsRedacted(AI.AIContent content) =>
        content.AdditionalProperties?.TryGetValue(RedactedReasoningKey, out var flag) == true && flag is true;

    private static List<ContentBlock> ResultBlocks(object? result)
    {
        switch (result)
        {
            case null:
                return [];
            case string text:
                return [new TextBlock(text)];
            case JsonElement { ValueKind: JsonValueKind.String } element:
                return [new TextBlock(element.GetString()!)];
            case JsonElement element:
                return [new TextBlock(element.GetRawText())];
            case AI.AIContent content:
                return ToBlock(content) is { } block ? [block] : [];
            case IEnumerable<AI.AIContent> contents:
                return contents.Select(ToBlock).OfType<ContentBlock>().ToList();
            default:
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    JsonArguments.WriteValue(writer, result);
                }

                return [new TextBlock(Encoding.UTF8.GetString(buffer.WrittenSpan))];
        }
    }

    private static AI.AIContent? FromBlock(ContentBlock block) => block switch
    {
        TextBlock text => new AI.TextContent(text.Text),
        ImageBlock image => new AI.DataContent(Convert.FromBase64String(image.Data), image.MediaType),
        ToolUseBlock use => new AI.FunctionCallContent(use.Id, use.Name, JsonArguments.FromElement(use.Input))
        {
            AdditionalProperties = use.FunctionId is { } functionId ? new() { [FunctionIdKey] = functionId } : null,
        },
        ReasoningStateBlock state => new ReasoningStateContent(state.Format, state.Json),
        ThinkingBlock thinking => new AI.TextReasoningContent(thinking.Thinking) { ProtectedData = thinking.Signature },
        RedactedThinkingBlock redacted => new AI.TextReasoningContent("")
        {
            ProtectedData = redacted.Data,
            AdditionalProperties = new() { [RedactedReasoningKey] = true },
        },
        _ => null,
    };

    private static AI.FunctionResultContent ToFunctionResult(ToolResultBlock toolResult)
    {
        object? result = toolResult.Content is [TextBlock only]
            ? only.Text
            : toolResult.Content.Select(FromBlock).OfType<AI.AIContent>().ToList();
        return new AI.FunctionResultContent(toolResult.ToolUseId, result)
        {
            // Microsoft.Extensions.AI marks a failed call by its exception; the text stays the result the model reads.
            Exception = toolResult.IsError ? new ToolFailedException(string.Concat(toolResult.Content.OfType<TextBlock>().Select(t => t.Text))) : null,
        };
    }

    private static void AppendParagraph(StringBuilder builder, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (builder.Length > 0)
        {
            builder.Append("\n\n");
        }

        builder.Append(text);
    }
}

/// <summary>A tool reported failure (a <see cref="ToolResultBlock"/> with <see cref="ToolResultBlock.IsError"/>); the message is its result text.</summary>
public sealed class ToolFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ToolFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ToolFailedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ToolFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

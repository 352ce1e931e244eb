using System.Text.Json;

namespace Providers.Gemini;

/// <summary>
/// Turns the conversation into Gemini <c>contents</c>, carrying each thought signature back on the part it came with.
/// </summary>
/// <remarks>
/// <para>
/// The stream yields a part's signature as a <see cref="ReasoningChunk"/> with only <see cref="ReasoningChunk.Signature"/>
/// set, just before the part's own chunk, so the assistant message holds a <see cref="ThinkingBlock"/> with that signature
/// right before the <see cref="TextBlock"/> or <see cref="ToolUseBlock"/> it belongs to. Here the signature goes back
/// onto that next part, as the API requires (a <see cref="ReasoningStateBlock"/> of format
/// <see cref="ReasoningStateFormats.ThoughtSignature"/>, as read from Cline's conversation file, counts the same); a
/// signature with no part after it (the empty text part a stream may end
/// with) goes back on an empty text part. Thought summaries themselves are not sent back.
/// </para>
/// <para>
/// The first function call of a model turn that has no signature (a call made by another provider, or written by hand)
/// gets the placeholder Google documents for that case, so Gemini 3 accepts the history.
/// </para>
/// </remarks>
internal static class GeminiMessageConverter
{
    /// <summary>The placeholder signature Google documents for function calls that did not come from Gemini.</summary>
    public const string SkipValidatorSignature = "skip_thought_signature_validator";

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static GeminiContent? System(string systemPrompt) =>
        string.IsNullOrEmpty(systemPrompt) ? null : new GeminiContent { Parts = [new GeminiPart { Text = systemPrompt }] };

    public static List<GeminiContent> Contents(IReadOnlyList<ChatMessage> messages)
    {
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var contents = new List<GeminiContent>(messages.Count);
        foreach (var message in messages)
        {
            var parts = message.Role == ChatRole.User ? UserParts(message, toolNames) : ModelParts(message, toolNames);
            if (parts.Count > 0)
            {
                contents.Add(new GeminiContent { Role = message.Role == ChatRole.User ? "user" : "model", Parts = parts });
            }
        }

        return contents;
    }

    public static List<GeminiTool>? Tools(IReadOnlyList<ToolDefinition>? tools) =>
        tools is null || tools.Count == 0
            ? null
            :
            [
                new GeminiTool
                {
                    FunctionDeclarations = tools.Select(t => new GeminiFunctionDeclaration
                    {
                        Name = t.Name,
                        Description = t.Description,
                        ParametersJsonSchema = t.InputSchema.ValueKind == JsonValueKind.Undefined ? null : t.InputSchema,
                    }).ToList(),
                },
            ];

    private static List<GeminiPart> ModelParts(ChatMessage message, Dictionary<string, string> toolNames)
    {
        var parts = new List<GeminiPart>(message.Content.Count);
        string? pending = null;
        var firstCall = true;
        foreach (var block in message.Content)
        {
            GeminiPart? part;
            switch (block)
            {
                case ThinkingBlock thinking:
                    if (!string.IsNullOrEmpty(thinking.Signature))
                    {
                        FlushPending(parts, ref pending);
                        pending = thinking.Signature;
                    }

                    continue;
                case ReasoningStateBlock { Format: ReasoningStateFormats.ThoughtSignature } state when SignatureOf(state) is { } signature:
                    // As Cline's conversation file carries it (the signature of the text or tool-use block after it).
                    FlushPending(parts, ref pending);
                    pending = signature;
                    continue;
                case ToolUseBlock use:
                    toolNames[use.Id] = use.Name;
                    part = new GeminiPart
                    {
                        FunctionCall = new GeminiFunctionCall
                        {
                            Name = use.Name,
                            Args = use.Input.ValueKind == JsonValueKind.Object ? use.Input : EmptyObject,
                        },
                    };
                    if (firstCall && pending is null)
                    {
                        pending = SkipValidatorSignature;
                    }

                    firstCall = false;
                    break;
                case TextBlock text:
                    part = text.Text.Length == 0 && pending is null ? null : new GeminiPart { Text = text.Text };
                    break;
                default:
                    part = Media(block);
                    break;
            }

            if (part is null)
            {
                continue;
            }

            part.ThoughtSignature = pending;
            pending = null;
            parts.Add(part);
        }

        FlushPending(parts, ref pending);
        return parts;
    }

    private static string? SignatureOf(ReasoningStateBlock state)
    {
        try
        {
            using var document = JsonDocument.Parse(state.Json);
            return document.RootElement is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } signature ? signature : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void FlushPending(List<GeminiPart> parts, ref string? pending)
    {
        if (pending is not null)
        {
            parts.Add(new GeminiPart { Text = "", ThoughtSignature = pending });
            pending = null;
        }
    }

    private static List<GeminiPart> UserParts(ChatMessage message, Dictionary<string, string> toolNames)
    {
        // Function responses first, as the API pairs them with the calls of the previous model turn.
        var responses = new List<GeminiPart>();
        var rest = new List<GeminiPart>();
        foreach (var block in message.Content)
        {
            if (block is ToolResultBlock result)
            {
                var text = string.Join("\n", result.Content.OfType<TextBlock>().Select(t => t.Text));
                responses.Add(new GeminiPart
                {
                    FunctionResponse = new GeminiFunctionResponse
                    {
                        Name = toolNames.GetValueOrDefault(result.ToolUseId, result.ToolUseId),
                        Response = new Dictionary<string, string> { [result.IsError ? "error" : "output"] = text },
                    },
                });
                rest.AddRange(result.Content.Select(Media).OfType<GeminiPart>());
            }
            else if (block is TextBlock { Text.Length: > 0 } text)
            {
                rest.Add(new GeminiPart { Text = text.Text });
            }
            else if (Media(block) is { } media)
            {
                rest.Add(media);
            }
        }

        responses.AddRange(rest);
        return responses;
    }

    private static GeminiPart? Media(ContentBlock block) => block switch
    {
        ImageBlock image => new GeminiPart { InlineData = new GeminiBlob { MimeType = image.MediaType, Data = image.Data } },
        _ => null,
    };
}

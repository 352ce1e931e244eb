using System.Text;
using System.Text.Json;

namespace Providers.Dify;

/// <summary>
/// How a conversation reaches Dify, whose chat API keeps the history on its side: one <c>query</c> per request, plus
/// the <c>conversation_id</c> of the conversation it continues.
/// </summary>
/// <remarks>
/// <para>
/// Cline keeps the conversation id inside its handler and sends only the last user message (the system prompt is put
/// before it, <c>{system}\n\n---\n\n{query}</c>, when a conversation starts). Here the id travels in the history
/// instead: each answer yields it as reasoning state of format <see cref="DifyHandler.StateFormat"/>,
/// <see cref="AssistantMessageBuilder"/> keeps it in the assistant message, and the next request continues the
/// conversation of the latest assistant message that carries one, sending as the query everything said after that
/// message (the user's words and tool results). So one handler serves many conversations, and a history saved and
/// loaded later still continues the same Dify conversation.
/// </para>
/// <para>
/// A history without that state (a first turn, or one begun with another provider) starts a new Dify conversation
/// whose query is the system prompt, the separator and the whole conversation as text: Cline's form for a first turn,
/// and for a longer history a transcript, so nothing said earlier is lost.
/// </para>
/// </remarks>
internal static class DifyConversation
{
    private const string Separator = "\n\n---\n\n";

    /// <summary>The conversation to continue and the query to send.</summary>
    public static (string ConversationId, string Query) Prepare(string systemPrompt, IReadOnlyList<ChatMessage> messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ChatRole.Assistant && ConversationIdOf(messages[i]) is { } id)
            {
                return (id, Join(messages.Skip(i + 1).Select(Render)));
            }
        }

        var body = messages.Count == 1 && messages[0].Role == ChatRole.User ? Render(messages[0]) : Transcript(messages);
        return ("", string.IsNullOrEmpty(systemPrompt) ? body : systemPrompt + Separator + body);
    }

    /// <summary>The state chunk that records <paramref name="conversationId"/> in the answer.</summary>
    public static ReasoningChunk StateChunk(string conversationId) =>
        new("", Details: JsonSerializer.Serialize(new DifyState { ConversationId = conversationId }, DifyJsonContext.Default.DifyState))
        {
            DetailsFormat = DifyHandler.StateFormat,
        };

    private static string? ConversationIdOf(ChatMessage message)
    {
        for (var i = message.Content.Count - 1; i >= 0; i--)
        {
            if (message.Content[i] is ReasoningStateBlock { Format: DifyHandler.StateFormat } state)
            {
                try
                {
                    if (JsonSerializer.Deserialize(state.Json, DifyJsonContext.Default.DifyState) is { ConversationId.Length: > 0 } parsed)
                    {
                        return parsed.ConversationId;
                    }
                }
                catch (JsonException)
                {
                    // A damaged state block continues nothing: the conversation starts over with the whole history.
                }
            }
        }

        return null;
    }

    private static string Transcript(IEnumerable<ChatMessage> messages) =>
        Join(messages.Select(m => (m.Role == ChatRole.User ? "User: " : "Assistant: ") + Render(m)));

    private static string Join(IEnumerable<string> parts) => string.Join("\n\n", parts.Where(p => p.Length > 0));

    /// <summary>A message as text: words, tool calls and tool results; images and reasoning have no place in a query.</summary>
    private static string Render(ChatMessage message)
    {
        var text = new StringBuilder();
        foreach (var block in message.Content)
        {
            var part = block switch
            {
                TextBlock t => t.Text,
                ToolUseBlock call => $"[tool call {call.Name} ({call.Id})] {call.Input.GetRawText()}",
                ToolResultBlock result => $"[tool result ({result.ToolUseId})] " + (result.IsError ? "Error: " : "")
                    + string.Join("\n", result.Content.OfType<TextBlock>().Select(t => t.Text)),
                _ => null,
            };
            if (part is not null)
            {
                if (text.Length > 0)
                {
                    text.Append('\n');
                }

                text.Append(part);
            }
        }

        return text.ToString();
    }
}

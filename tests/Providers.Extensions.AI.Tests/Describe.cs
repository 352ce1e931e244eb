namespace Providers.Extensions.AI.Tests;

/// <summary>Our messages as one readable line each, so conversions are asserted exactly.</summary>
internal static class Describe
{
    public static string[] Messages(IEnumerable<ChatMessage> messages) =>
        messages.Select(m => (m.Role == ChatRole.User ? "user: " : "assistant: ") + string.Join(" | ", m.Content.Select(Block))).ToArray();

    public static string Block(ContentBlock block) => block switch
    {
        TextBlock t => $"text({t.Text})",
        ImageBlock i => $"image({i.MediaType}, {i.Data})",
        ToolUseBlock u => $"tool_use({u.Id}, {u.Name}, {u.Input.GetRawText()})",
        ToolResultBlock r => $"tool_result({r.ToolUseId}{(r.IsError ? ", error" : "")}: {string.Join(", ", r.Content.Select(Block))})",
        ThinkingBlock t => $"thinking({t.Thinking}, {t.Signature ?? "no signature"})",
        RedactedThinkingBlock r => $"redacted({r.Data})",
        _ => block.GetType().Name,
    };
}

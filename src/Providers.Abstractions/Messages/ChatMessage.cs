using System.Text.Json;

namespace Providers;

/// <summary>Who wrote a message.</summary>
public enum ChatRole
{
    /// <summary>The user, including tool results sent back to the model.</summary>
    User,

    /// <summary>The model.</summary>
    Assistant,
}

/// <summary>One turn of the conversation: a role and its content blocks, in order.</summary>
/// <param name="Role">Who wrote it.</param>
/// <param name="Content">The blocks, in order.</param>
public sealed record ChatMessage(ChatRole Role, IReadOnlyList<ContentBlock> Content)
{
    /// <summary>A user message with one text block.</summary>
    public static ChatMessage User(string text) => new(ChatRole.User, [new TextBlock(text)]);

    /// <summary>An assistant message with one text block.</summary>
    public static ChatMessage Assistant(string text) => new(ChatRole.Assistant, [new TextBlock(text)]);
}

/// <summary>A part of a message: <see cref="TextBlock"/>, <see cref="ImageBlock"/>, <see cref="ToolUseBlock"/>,
/// <see cref="ToolResultBlock"/>, <see cref="ThinkingBlock"/> or <see cref="RedactedThinkingBlock"/>.</summary>
public abstract record ContentBlock
{
    private protected ContentBlock()
    {
    }
}

/// <summary>Plain text.</summary>
public sealed record TextBlock(string Text) : ContentBlock;

/// <summary>An image, base64-encoded.</summary>
/// <param name="Data">The image bytes in base64.</param>
/// <param name="MediaType">For example <c>image/png</c>.</param>
public sealed record ImageBlock(string Data, string MediaType) : ContentBlock;

/// <summary>A tool call the assistant made.</summary>
/// <param name="Id">The call id a <see cref="ToolResultBlock"/> quotes.</param>
/// <param name="Name">The tool name.</param>
/// <param name="Input">The arguments, a JSON object.</param>
public sealed record ToolUseBlock(string Id, string Name, JsonElement Input) : ContentBlock;

/// <summary>The result of a tool call, sent back in a user message.</summary>
/// <param name="ToolUseId">The id of the <see cref="ToolUseBlock"/> it answers.</param>
/// <param name="Content">The result: text and images.</param>
/// <param name="IsError">Whether the tool failed.</param>
public sealed record ToolResultBlock(string ToolUseId, IReadOnlyList<ContentBlock> Content, bool IsError = false) : ContentBlock
{
    /// <summary>A result with one text block.</summary>
    public ToolResultBlock(string toolUseId, string text, bool isError = false)
        : this(toolUseId, [new TextBlock(text)], isError)
    {
    }
}

/// <summary>Reasoning the assistant showed in an earlier turn, with the provider's signature.</summary>
public sealed record ThinkingBlock(string Thinking, string? Signature = null) : ContentBlock;

/// <summary>Reasoning the provider kept encrypted in an earlier turn.</summary>
public sealed record RedactedThinkingBlock(string Data) : ContentBlock;

/// <summary>A tool the model may call.</summary>
/// <param name="Name">The tool name.</param>
/// <param name="Description">What it does, for the model.</param>
/// <param name="InputSchema">The JSON schema of its arguments.</param>
public sealed record ToolDefinition(string Name, string Description, JsonElement InputSchema);

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
/// <see cref="ToolResultBlock"/>, <see cref="ThinkingBlock"/>, <see cref="RedactedThinkingBlock"/> or <see cref="ReasoningStateBlock"/>.</summary>
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
public sealed record ToolUseBlock(string Id, string Name, JsonElement Input) : ContentBlock
{
    /// <summary>
    /// The provider's id of the function item when it differs from the call id (OpenAI Responses <c>fc_…</c> ids), sent
    /// back with the call so that the reasoning item before it still has its following item; else <see langword="null"/>.
    /// </summary>
    public string? FunctionId { get; init; }
}

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

/// <summary>
/// Reasoning state that only one kind of API understands, kept where it arrived in the answer and sent back unchanged to
/// that API; every other provider leaves it out. For example an OpenAI Responses reasoning item with its
/// <c>encrypted_content</c>, or OpenRouter's <c>reasoning_details</c>.
/// </summary>
/// <param name="Format">Whose state it is: one of <see cref="ReasoningStateFormats"/>, or a custom provider's own name.</param>
/// <param name="Json">The state as raw JSON, in the shape that API documents.</param>
public sealed record ReasoningStateBlock(string Format, string Json) : ContentBlock;

/// <summary>The formats of <see cref="ReasoningStateBlock"/> and <see cref="ReasoningChunk.Details"/> the built-in providers use.</summary>
public static class ReasoningStateFormats
{
    /// <summary>
    /// A <c>reasoning_details</c> array (OpenRouter and OpenAI-compatible servers that copy it): objects of type
    /// <c>reasoning.text</c>, <c>reasoning.summary</c> or <c>reasoning.encrypted</c> with their <c>id</c>, <c>format</c>
    /// and <c>index</c>. Sent back as the assistant message's <c>reasoning_details</c>.
    /// </summary>
    public const string ReasoningDetails = "reasoning_details";

    /// <summary>
    /// One OpenAI Responses API reasoning item, <c>{"type":"reasoning","id","summary","encrypted_content"}</c>, replayed in
    /// <c>input</c> right before the item it preceded.
    /// </summary>
    public const string OpenAiResponses = "openai-responses";

    /// <summary>A Gemini thought signature (a JSON string) that belongs to the block after it.</summary>
    public const string ThoughtSignature = "thought_signature";
}

/// <summary>A tool the model may call.</summary>
/// <param name="Name">The tool name.</param>
/// <param name="Description">What it does, for the model.</param>
/// <param name="InputSchema">The JSON schema of its arguments.</param>
public sealed record ToolDefinition(string Name, string Description, JsonElement InputSchema);

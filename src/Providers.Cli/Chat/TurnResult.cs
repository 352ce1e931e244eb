namespace Providers.Cli.Chat;

/// <summary>What one answer produced and how fast it came.</summary>
/// <param name="Message">The assistant message to keep in the conversation, or <see langword="null"/> when the answer was empty.</param>
/// <param name="ToolCalls">The tool calls it made, whole.</param>
/// <param name="Usage">The summed usage increments, when any were reported.</param>
/// <param name="FirstToken">From sending the request to the first content chunk, when one came.</param>
/// <param name="Elapsed">From sending the request to the end of the stream.</param>
internal sealed record TurnResult(
    ChatMessage? Message,
    IReadOnlyList<ToolUseBlock> ToolCalls,
    UsageChunk? Usage,
    TimeSpan? FirstToken,
    TimeSpan Elapsed);

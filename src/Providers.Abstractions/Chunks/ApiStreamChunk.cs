namespace Providers;

/// <summary>
/// One piece of a streamed answer: <see cref="TextChunk"/>, <see cref="ReasoningChunk"/>, <see cref="ToolCallChunk"/> or <see cref="UsageChunk"/>.
/// </summary>
public abstract record ApiStreamChunk
{
    private protected ApiStreamChunk()
    {
    }
}

/// <summary>Answer text, in the order it arrived.</summary>
/// <param name="Text">The text fragment.</param>
public sealed record TextChunk(string Text) : ApiStreamChunk;

/// <summary>Model reasoning ("thinking"), shown to the user but not part of the answer.</summary>
/// <param name="Reasoning">The reasoning text fragment (may be empty when the chunk only carries a signature or redacted data).</param>
/// <param name="Signature">The provider's signature over the reasoning, to be sent back unchanged in later turns.</param>
/// <param name="RedactedData">Encrypted reasoning the provider did not show, to be sent back unchanged.</param>
/// <param name="Details">Provider-specific reasoning state as raw JSON, to be sent back unchanged; <see cref="DetailsFormat"/> says what it is.</param>
public sealed record ReasoningChunk(string Reasoning, string? Signature = null, string? RedactedData = null, string? Details = null) : ApiStreamChunk
{
    /// <summary>
    /// What <see cref="Details"/> holds: one of <see cref="ReasoningStateFormats"/> (or a custom provider's own name).
    /// <see langword="null"/> means <see cref="ReasoningStateFormats.ReasoningDetails"/>, a fragment of a
    /// <c>reasoning_details</c> array. <see cref="AssistantMessageBuilder"/> turns details into a <see cref="ReasoningStateBlock"/>.
    /// </summary>
    public string? DetailsFormat { get; init; }
}

/// <summary>
/// A fragment of a tool call. Arguments stream as JSON fragments: concatenate the <see cref="Arguments"/> of every chunk
/// with the same <see cref="CallId"/> to obtain the call's full JSON arguments.
/// </summary>
/// <param name="CallId">The id that the tool result must quote (stable across the fragments of one call).</param>
/// <param name="FunctionId">The provider's id for the function item, when it differs from the call id (OpenAI Responses <c>fc_</c> ids); else equal to <paramref name="CallId"/>.</param>
/// <param name="Name">The tool name.</param>
/// <param name="Arguments">The next fragment of the JSON arguments; may be empty.</param>
public sealed record ToolCallChunk(string CallId, string FunctionId, string Name, string Arguments) : ApiStreamChunk;

/// <summary>
/// Token usage and cost. <b>Usage chunks are increments</b>: a stream may yield several, and the usage of the whole
/// request is their sum (use <see cref="Add"/>). Providers that report running totals convert them to increments.
/// </summary>
/// <param name="InputTokens">Input tokens not read from or written to the prompt cache.</param>
/// <param name="OutputTokens">Output tokens, reasoning included.</param>
/// <param name="CacheReadTokens">Input tokens read from the prompt cache.</param>
/// <param name="CacheWriteTokens">Input tokens written to the prompt cache.</param>
/// <param name="ReasoningTokens">Output tokens spent on reasoning (already counted in <paramref name="OutputTokens"/>).</param>
/// <param name="TotalCost">Cost in US dollars, when known.</param>
public sealed record UsageChunk(
    long InputTokens,
    long OutputTokens,
    long? CacheReadTokens = null,
    long? CacheWriteTokens = null,
    long? ReasoningTokens = null,
    decimal? TotalCost = null) : ApiStreamChunk
{
    /// <summary>The sum of two increments; an optional field stays <see langword="null"/> only when both are.</summary>
    public UsageChunk Add(UsageChunk other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new UsageChunk(
            InputTokens + other.InputTokens,
            OutputTokens + other.OutputTokens,
            Sum(CacheReadTokens, other.CacheReadTokens),
            Sum(CacheWriteTokens, other.CacheWriteTokens),
            Sum(ReasoningTokens, other.ReasoningTokens),
            TotalCost is null && other.TotalCost is null ? null : (TotalCost ?? 0) + (other.TotalCost ?? 0));
    }

    private static long? Sum(long? a, long? b) => a is null && b is null ? null : (a ?? 0) + (b ?? 0);
}

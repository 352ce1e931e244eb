using AI = Microsoft.Extensions.AI;

namespace Providers;

/// <summary>
/// Reasoning state that only one kind of API understands (a <see cref="ReasoningStateBlock"/>: an OpenAI Responses
/// reasoning item with its encrypted content, a fragment of OpenRouter's <c>reasoning_details</c>, ...), carried through
/// Microsoft.Extensions.AI so that the next request of a tool loop sends it back where it was.
/// </summary>
/// <remarks>
/// It is its own content type rather than a <see cref="AI.TextReasoningContent"/> because
/// <see cref="AI.ChatResponseExtensions.ToChatResponse(IEnumerable{AI.ChatResponseUpdate})"/> merges consecutive
/// reasoning contents, which would fold the state into the reasoning text before it.
/// </remarks>
/// <param name="format">Whose state it is: one of <see cref="ReasoningStateFormats"/> or a custom provider's name.</param>
/// <param name="json">The state as raw JSON, in the shape that API documents.</param>
public sealed class ReasoningStateContent(string format, string json) : AI.AIContent
{
    /// <summary>Whose state it is: one of <see cref="ReasoningStateFormats"/> or a custom provider's name.</summary>
    public string Format { get; } = format ?? throw new ArgumentNullException(nameof(format));

    /// <summary>The state as raw JSON.</summary>
    public string Json { get; } = json ?? throw new ArgumentNullException(nameof(json));
}

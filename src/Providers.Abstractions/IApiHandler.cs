namespace Providers;

/// <summary>
/// A streaming connection to one LLM provider, configured for one model.
/// </summary>
/// <remarks>
/// Implement it on a class annotated with <see cref="ProviderAttribute"/>; the source generator registers the class,
/// binds its options from flat settings and, with <see cref="WithRetryAttribute"/>, writes the retrying
/// <see cref="CreateMessageAsync"/> around a <c>CreateMessageCoreAsync</c> method you write.
/// </remarks>
public interface IApiHandler
{
    /// <summary>
    /// Sends the conversation and streams the answer as it arrives: text, reasoning, tool-call fragments and usage increments.
    /// </summary>
    /// <param name="systemPrompt">The system prompt.</param>
    /// <param name="messages">The conversation so far, oldest first.</param>
    /// <param name="tools">The tools the model may call, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request and ends the enumeration.</param>
    IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools = null,
        CancellationToken cancellationToken = default);

    /// <summary>The model this handler talks to, with what is known about it.</summary>
    ApiHandlerModel GetModel();

    /// <summary>
    /// Usage for the last stream when the stream itself carried none (some providers report it out of band).
    /// Returns <see langword="null"/> when there is nothing more to add.
    /// </summary>
    ValueTask<UsageChunk?> GetApiStreamUsageAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<UsageChunk?>(null);

    /// <summary>Stops the request in flight, if any. Cancelling the token passed to <see cref="CreateMessageAsync"/> is preferred.</summary>
    void Abort()
    {
    }
}

namespace Providers;

/// <summary>
/// A handler that passes every call to an inner handler: derive from it to wrap a handler (telemetry, caching, logging,
/// policies) and override only what the wrapper changes, as with <c>DelegatingChatClient</c> in Microsoft.Extensions.AI.
/// </summary>
/// <remarks>
/// It implements <see cref="IApiHandlerWithOverrides"/> and supports exactly the overrides the inner handler supports:
/// when the inner handler takes none, the overrides overload of <see cref="CreateMessageAsync(string, IReadOnlyList{ChatMessage}, IReadOnlyList{ToolDefinition}, RequestOverrides, CancellationToken)"/>
/// calls the plain overload, so a wrapper that changes streaming should override both.
/// </remarks>
public abstract class DelegatingApiHandler : IApiHandlerWithOverrides
{
    /// <summary>Wraps <paramref name="innerHandler"/>.</summary>
    /// <param name="innerHandler">The handler every call goes to; it stays owned by the caller.</param>
    protected DelegatingApiHandler(IApiHandler innerHandler)
    {
        ArgumentNullException.ThrowIfNull(innerHandler);
        InnerHandler = innerHandler;
    }

    /// <summary>The handler every call goes to.</summary>
    public IApiHandler InnerHandler { get; }

    /// <summary>The overrides of the inner handler; none when it does not implement <see cref="IApiHandlerWithOverrides"/>.</summary>
    public virtual RequestOverrideKinds SupportedOverrides =>
        InnerHandler is IApiHandlerWithOverrides withOverrides ? withOverrides.SupportedOverrides : RequestOverrideKinds.None;

    /// <inheritdoc />
    public virtual IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools = null,
        CancellationToken cancellationToken = default) =>
        InnerHandler.CreateMessageAsync(systemPrompt, messages, tools, cancellationToken);

    /// <inheritdoc />
    public virtual IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return InnerHandler is IApiHandlerWithOverrides withOverrides
            ? withOverrides.CreateMessageAsync(systemPrompt, messages, tools, overrides, cancellationToken)
            : CreateMessageAsync(systemPrompt, messages, tools, cancellationToken);
    }

    /// <inheritdoc />
    public virtual ApiHandlerModel GetModel() => InnerHandler.GetModel();

    /// <inheritdoc />
    public virtual ValueTask<UsageChunk?> GetApiStreamUsageAsync(CancellationToken cancellationToken = default) =>
        InnerHandler.GetApiStreamUsageAsync(cancellationToken);

    /// <inheritdoc />
    public virtual void Abort() => InnerHandler.Abort();
}

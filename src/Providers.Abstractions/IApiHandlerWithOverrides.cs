namespace Providers;

/// <summary>
/// An optional second face of an <see cref="IApiHandler"/>: the same streaming call, with per-request overrides of the
/// model, temperature, output limit and reasoning effort that the handler's options otherwise fix.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="IApiHandler"/> keeps its shape: a handler is configured once, for one model. Callers that need per-request
/// choices (the Microsoft.Extensions.AI adapter maps <c>ChatOptions</c> onto this) test for this interface and read
/// <see cref="SupportedOverrides"/>; an override the handler does not list is never applied, and the caller must say so
/// (the adapter reports the model actually used and the ignored options on the response) rather than pretend.
/// </para>
/// <para>
/// A handler implementing it must honour every override it lists in <see cref="SupportedOverrides"/> and ignore the
/// rest; <see cref="IApiHandler.GetModel"/> keeps describing the configured model.
/// </para>
/// </remarks>
public interface IApiHandlerWithOverrides : IApiHandler
{
    /// <summary>Which members of <see cref="RequestOverrides"/> this handler applies.</summary>
    RequestOverrideKinds SupportedOverrides { get; }

    /// <summary>Streams the answer like <see cref="IApiHandler.CreateMessageAsync"/>, with <paramref name="overrides"/> applied for this request only.</summary>
    /// <param name="systemPrompt">The system prompt.</param>
    /// <param name="messages">The conversation so far, oldest first.</param>
    /// <param name="tools">The tools the model may call, or <see langword="null"/>.</param>
    /// <param name="overrides">The per-request choices; members not listed in <see cref="SupportedOverrides"/> are ignored.</param>
    /// <param name="cancellationToken">Cancels the request and ends the enumeration.</param>
    IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        CancellationToken cancellationToken = default);
}

/// <summary>Per-request choices for <see cref="IApiHandlerWithOverrides"/>; <see langword="null"/> members keep the handler's configuration.</summary>
public sealed record RequestOverrides
{
    /// <summary>No overrides.</summary>
    public static RequestOverrides None { get; } = new();

    /// <summary>The model to use instead of the configured one.</summary>
    public string? ModelId { get; init; }

    /// <summary>The sampling temperature.</summary>
    public double? Temperature { get; init; }

    /// <summary>The most output tokens to generate.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>How hard a reasoning model should think.</summary>
    public ReasoningEffort? ReasoningEffort { get; init; }

    /// <summary>Which members are set.</summary>
    public RequestOverrideKinds Requested =>
        (ModelId is null ? RequestOverrideKinds.None : RequestOverrideKinds.ModelId)
        | (Temperature is null ? RequestOverrideKinds.None : RequestOverrideKinds.Temperature)
        | (MaxOutputTokens is null ? RequestOverrideKinds.None : RequestOverrideKinds.MaxOutputTokens)
        | (ReasoningEffort is null ? RequestOverrideKinds.None : RequestOverrideKinds.ReasoningEffort);

    /// <summary>A copy keeping only the members in <paramref name="kinds"/>.</summary>
    public RequestOverrides Only(RequestOverrideKinds kinds) => new()
    {
        ModelId = kinds.HasFlag(RequestOverrideKinds.ModelId) ? ModelId : null,
        Temperature = kinds.HasFlag(RequestOverrideKinds.Temperature) ? Temperature : null,
        MaxOutputTokens = kinds.HasFlag(RequestOverrideKinds.MaxOutputTokens) ? MaxOutputTokens : null,
        ReasoningEffort = kinds.HasFlag(RequestOverrideKinds.ReasoningEffort) ? ReasoningEffort : null,
    };
}

/// <summary>The members of <see cref="RequestOverrides"/>, as flags.</summary>
[Flags]
public enum RequestOverrideKinds
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary><see cref="RequestOverrides.ModelId"/>.</summary>
    ModelId = 1,

    /// <summary><see cref="RequestOverrides.Temperature"/>.</summary>
    Temperature = 2,

    /// <summary><see cref="RequestOverrides.MaxOutputTokens"/>.</summary>
    MaxOutputTokens = 4,

    /// <summary><see cref="RequestOverrides.ReasoningEffort"/>.</summary>
    ReasoningEffort = 8,

    /// <summary>All of them.</summary>
    All = ModelId | Temperature | MaxOutputTokens | ReasoningEffort,
}

/// <summary>How hard a reasoning model should think.</summary>
public enum ReasoningEffort
{
    /// <summary>No reasoning.</summary>
    None,

    /// <summary>Little reasoning, fast answers.</summary>
    Low,

    /// <summary>Balanced.</summary>
    Medium,

    /// <summary>Extensive reasoning.</summary>
    High,

    /// <summary>The most the model offers.</summary>
    ExtraHigh,
}

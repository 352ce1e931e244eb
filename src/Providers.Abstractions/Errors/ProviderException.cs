using System.Net;

namespace Providers;

/// <summary>
/// A provider request failed. Carries the facts a caller needs to decide what to do: the provider, the HTTP status,
/// whether a retry can help, how long the server asked to wait, and whether output had already been delivered.
/// Messages never contain API keys.
/// </summary>
public class ProviderException : Exception
{
    private readonly string? _errorType;

    /// <summary>Creates the exception.</summary>
    /// <param name="providerId">The provider id, for example <c>anthropic</c>.</param>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="statusCode">The HTTP status, when a response arrived.</param>
    /// <param name="isRetryable">Whether the same request may succeed later; <see langword="null"/> derives it from <paramref name="statusCode"/>.</param>
    /// <param name="retryAfter">The wait the server asked for.</param>
    /// <param name="innerException">The cause.</param>
    public ProviderException(
        string providerId,
        string message,
        HttpStatusCode? statusCode = null,
        bool? isRetryable = null,
        TimeSpan? retryAfter = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ProviderId = providerId;
        StatusCode = statusCode;
        IsRetryable = isRetryable ?? (statusCode is { } status && RetryClassifier.IsTransientStatus((int)status));
        RetryAfter = retryAfter;
    }

    /// <summary>The provider id.</summary>
    public string ProviderId { get; }

    /// <summary>The HTTP status, when a response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Whether the same request may succeed later (rate limits, overload, server errors, dropped connections).</summary>
    public bool IsRetryable { get; }

    /// <summary>The wait the server asked for before a retry, if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// The provider's own error type, for example <c>overloaded_error</c> or <c>rate_limit_exceeded</c>: redacted like the
    /// message, then kept as written when it is a token of <c>[A-Za-z0-9_.-]</c> of at most 64 characters
    /// (<c>ThrottlingException</c>, <c>RESOURCE_EXHAUSTED</c>); a value that is no such token reads
    /// <see cref="ServerText.FallbackErrorType"/>.
    /// See <see cref="ServerText.ErrorTypeToken"/>.
    /// </summary>
    public string? ErrorType
    {
        get => _errorType is null ? null : ServerText.ErrorTypeToken(Redact(_errorType));
        // A longer value can never become a token; it is not kept.
        init => _errorType = value is { Length: > ServerText.MaxErrorTypeLength } ? ServerText.FallbackErrorType : value;
    }

    /// <summary>
    /// The message, with every secret the provider knows of redacted (see <see cref="SecretRedactor"/>) and then each
    /// piece of server text in it cut to <see cref="ServerText.MaxLength"/> characters (see <see cref="ServerText"/>).
    /// </summary>
    public override string Message => ServerText.Render(Redact(base.Message));

    /// <summary>The message as built, before redaction and the cut: for an exception that wraps this one's message in its own.</summary>
    internal string RawMessage => base.Message;

    /// <summary>The secrets of the provider that raised this; set by the retry runtime before the exception reaches the caller.</summary>
    internal SecretRedactor? Secrets { get; set; }

    /// <inheritdoc />
    /// <remarks>Redacted as <see cref="Message"/> is, inner exceptions included.</remarks>
    public override string ToString() => Redact(base.ToString());

    private string Redact(string text) => Secrets is { IsEmpty: false } secrets ? secrets.Redact(text) : text;

    /// <summary>
    /// Whether chunks had already been yielded when the error happened. Such a request is never retried automatically:
    /// a retry would repeat output the caller already has.
    /// </summary>
    public bool OutputStarted { get; internal set; }
}

/// <summary>A failure that a retry may cure (the original's <c>RetriableError</c>), with an optional server-requested wait.</summary>
public class RetriableException : ProviderException
{
    /// <summary>Creates the exception.</summary>
    public RetriableException(string providerId, string message, TimeSpan? retryAfter = null, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(providerId, message, statusCode, isRetryable: true, retryAfter, innerException)
    {
    }
}

/// <summary>One bad setting: the key and what is wrong with it.</summary>
/// <param name="Key">The settings key, for example <c>planModeOllamaModelId</c>.</param>
/// <param name="Problem">What is wrong and what to write instead.</param>
public sealed record SettingProblem(string Key, string Problem)
{
    /// <inheritdoc />
    public override string ToString() => $"{Key}: {Problem}";
}

/// <summary>Settings are missing or invalid. Lists every bad key at once, so one edit fixes them all.</summary>
public class ProviderConfigurationException : ProviderException
{
    /// <summary>Creates the exception from the problems found.</summary>
    public ProviderConfigurationException(string providerId, IReadOnlyList<SettingProblem> problems)
        : base(providerId, FormatMessage(providerId, problems), isRetryable: false)
    {
        Problems = problems;
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    protected ProviderConfigurationException(string providerId, string message, IReadOnlyList<SettingProblem> problems)
        : base(providerId, message, isRetryable: false)
    {
        Problems = problems;
    }

    /// <summary>Every bad key with its problem.</summary>
    public IReadOnlyList<SettingProblem> Problems { get; }

    /// <summary>The bad keys.</summary>
    public IEnumerable<string> Keys => Problems.Select(p => p.Key);

    private static string FormatMessage(string providerId, IReadOnlyList<SettingProblem> problems)
    {
        var noun = problems.Count == 1 ? "setting" : "settings";
        return $"The '{providerId}' provider cannot start: {problems.Count} {noun} to fix:" + Environment.NewLine
            + string.Join(Environment.NewLine, problems.Select(p => "  - " + p));
    }
}

/// <summary>The settings name a provider id that no registered provider has. Never falls back to a default provider.</summary>
public sealed class UnknownProviderException : ProviderConfigurationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="providerId">The unknown id.</param>
    /// <param name="knownIds">The ids that are registered.</param>
    /// <param name="settingKey">The settings key that named it, when it came from settings.</param>
    public UnknownProviderException(string providerId, IReadOnlyList<string> knownIds, string? settingKey = null)
        : base(providerId, FormatMessage(providerId, knownIds, settingKey), [new SettingProblem(settingKey ?? "provider", $"unknown provider '{providerId}'")])
    {
        KnownIds = knownIds;
    }

    /// <summary>The registered provider ids.</summary>
    public IReadOnlyList<string> KnownIds { get; }

    private static string FormatMessage(string providerId, IReadOnlyList<string> knownIds, string? settingKey) =>
        $"Unknown provider '{providerId}'{(settingKey is null ? "" : $" (from setting '{settingKey}')")}. "
        + $"Registered providers: {string.Join(", ", knownIds)}. Use one of them, or register a class with [Provider(\"{providerId}\")].";
}

/// <summary>The server asked for a longer wait than <see cref="ProviderOptions.RetryAfterCeiling"/>; never retried.</summary>
internal sealed class RetryWaitTooLongException(string providerId, string message, HttpStatusCode? statusCode, TimeSpan wait, Exception innerException)
    : ProviderException(providerId, message, statusCode, isRetryable: false, retryAfter: wait, innerException);

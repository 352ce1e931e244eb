using Microsoft.Extensions.Logging;

namespace Providers;

/// <summary>Called before each retry wait: the 1-based retry number, the configured maximum, the wait, and the failure.</summary>
public delegate void RetryAttemptCallback(int attempt, int maxRetries, TimeSpan delay, Exception exception);

/// <summary>
/// Base class of every provider's options (the original's <c>CommonApiHandlerOptions</c>). Public settable properties
/// of a derived class are bound from flat settings by generated code; see <see cref="PerModeAttribute"/>,
/// <see cref="SettingKeyAttribute"/> and <see cref="System.ComponentModel.DataAnnotations.RequiredAttribute"/>.
/// </summary>
public abstract class ProviderOptions
{
    /// <summary>The default <see cref="RequestTimeout"/>: ten minutes, so a large local model can load.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The default <see cref="StreamIdleTimeout"/>.</summary>
    public static readonly TimeSpan DefaultStreamIdleTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The default <see cref="RetryAfterCeiling"/>.</summary>
    public static readonly TimeSpan DefaultRetryAfterCeiling = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for the response to start (setting <c>requestTimeoutMs</c>). Long streams are not limited by it.</summary>
    [SettingKey("requestTimeoutMs")]
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    /// <summary>How long a started stream may stay silent before it is abandoned (setting <c>streamIdleTimeoutMs</c>).</summary>
    [SettingKey("streamIdleTimeoutMs")]
    public TimeSpan StreamIdleTimeout { get; set; } = DefaultStreamIdleTimeout;

    /// <summary>
    /// The longest server-requested wait (<c>Retry-After</c> and its kin) a retry will honour (setting <c>retryAfterCeilingMs</c>);
    /// a longer request fails at once with an error that states the wait.
    /// </summary>
    [SettingKey("retryAfterCeilingMs")]
    public TimeSpan RetryAfterCeiling { get; set; } = DefaultRetryAfterCeiling;

    /// <summary>Called before each retry wait. An exception it throws is logged and ignored.</summary>
    [SettingIgnore]
    public RetryAttemptCallback? OnRetryAttempt { get; set; }

    /// <summary>The clock used for retry waits and <c>Retry-After</c> dates; tests pass a fake one.</summary>
    [SettingIgnore]
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the framework logs; prompts, outputs and keys are never logged.</summary>
    [SettingIgnore]
    public ILogger? Logger { get; set; }

    /// <summary>An <see cref="System.Net.Http.HttpClient"/> to use instead of the provider's own pooled one.</summary>
    [SettingIgnore]
    public HttpClient? HttpClient { get; set; }
}

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

    /// <summary>The default <see cref="MaxEventBytes"/>: 32 MiB.</summary>
    public const int DefaultMaxEventBytes = 32 * 1024 * 1024;

    /// <summary>The default <see cref="MaxResponseBytes"/>: 256 MiB.</summary>
    public const long DefaultMaxResponseBytes = 256L * 1024 * 1024;

    /// <summary>The default <see cref="MaxErrorBodyBytes"/>: 64 KiB.</summary>
    public const int DefaultMaxErrorBodyBytes = 64 * 1024;

    /// <summary>
    /// The largest stream event (a Server-Sent Event, or an NDJSON line) read, in bytes after decompression (setting
    /// <c>maxEventBytes</c>); a larger one fails the request with a <see cref="ProviderException"/> naming the setting.
    /// </summary>
    [SettingKey("maxEventBytes")]
    public int MaxEventBytes { get; set; } = DefaultMaxEventBytes;

    /// <summary>
    /// The largest response body read, in bytes after decompression (setting <c>maxResponseBytes</c>); a longer
    /// response fails with a <see cref="ProviderException"/> naming the setting.
    /// </summary>
    [SettingKey("maxResponseBytes")]
    public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>How much of an error response body is read to find the server's message (setting <c>maxErrorBodyBytes</c>); the rest is ignored.</summary>
    [SettingKey("maxErrorBodyBytes")]
    public int MaxErrorBodyBytes { get; set; } = DefaultMaxErrorBodyBytes;

    /// <summary>
    /// The secrets this provider sends (keys, credential headers, base-URL user information), redacted from every
    /// message, log line and telemetry tag. The built-in HTTP layer adds what each request carries; a custom provider
    /// may add more.
    /// </summary>
    public SecretRedactor Secrets { get; } = new();

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

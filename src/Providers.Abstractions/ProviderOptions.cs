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

    private TimeSpan _requestTimeout = DefaultRequestTimeout;
    private TimeSpan _streamIdleTimeout = DefaultStreamIdleTimeout;
    private TimeSpan _retryAfterCeiling = DefaultRetryAfterCeiling;
    private int _maxEventBytes = DefaultMaxEventBytes;
    private long _maxResponseBytes = DefaultMaxResponseBytes;
    private int _maxErrorBodyBytes = DefaultMaxErrorBodyBytes;

    /// <summary>
    /// How long to wait for the response to start (setting <c>requestTimeoutMs</c>). Long streams are not limited by it.
    /// From 1 ms to <see cref="MaxTimeoutMilliseconds"/> ms, or <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range; the message names the setting and the range.</exception>
    [SettingKey("requestTimeoutMs")]
    public TimeSpan RequestTimeout { get => _requestTimeout; set => _requestTimeout = CheckDuration(value, "requestTimeoutMs"); }

    /// <summary>
    /// How long a started stream may stay silent before it is abandoned (setting <c>streamIdleTimeoutMs</c>).
    /// From 1 ms to <see cref="MaxTimeoutMilliseconds"/> ms, or <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    /// <remarks>
    /// There is no limit on a stream's total time (a slow local model may take long, and a timeout that cut it off would
    /// lose the answer); to bound it, cancel the call's token, for example with <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range; the message names the setting and the range.</exception>
    [SettingKey("streamIdleTimeoutMs")]
    public TimeSpan StreamIdleTimeout { get => _streamIdleTimeout; set => _streamIdleTimeout = CheckDuration(value, "streamIdleTimeoutMs"); }

    /// <summary>
    /// The longest server-requested wait (<c>Retry-After</c> and its kin) a retry will honour (setting <c>retryAfterCeilingMs</c>);
    /// a longer request fails at once with an error that states the wait.
    /// </summary>
    /// <remarks>From 1 ms to <see cref="MaxTimeoutMilliseconds"/> ms, or <see cref="Timeout.InfiniteTimeSpan"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range; the message names the setting and the range.</exception>
    [SettingKey("retryAfterCeilingMs")]
    public TimeSpan RetryAfterCeiling { get => _retryAfterCeiling; set => _retryAfterCeiling = CheckDuration(value, "retryAfterCeilingMs"); }

    /// <summary>The longest finite timeout, in milliseconds: the longest a timer can wait (about 49.7 days).</summary>
    public const double MaxTimeoutMilliseconds = uint.MaxValue - 1;

    /// <summary>The largest <see cref="MaxEventBytes"/>: 1 GiB (an event is buffered whole, and a buffer that doubles past it would pass the largest array).</summary>
    public const int MaxMaxEventBytes = 1 << 30;

    /// <summary>The largest <see cref="MaxResponseBytes"/>: 1 TiB (a stream is counted, not held; a whole, non-streaming body is held to at most <see cref="Array.MaxLength"/> bytes whatever this says).</summary>
    public const long MaxMaxResponseBytes = 1L << 40;

    /// <summary>The largest <see cref="MaxErrorBodyBytes"/>: 16 MiB (the buffer is allocated for each error response).</summary>
    public const int MaxMaxErrorBodyBytes = 16 << 20;

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
    /// <remarks>From 1 to <see cref="MaxMaxEventBytes"/> (1 GiB).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range; the message names the setting and the range.</exception>
    [SettingKey("maxEventBytes")]
    public int MaxEventBytes { get => _maxEventBytes; set => _maxEventBytes = (int)CheckRange(value, "maxEventBytes"); }

    /// <summary>
    /// The largest response body read, in bytes after decompression (setting <c>maxResponseBytes</c>); a longer
    /// response fails with a <see cref="ProviderException"/> naming the setting.
    /// </summary>
    /// <remarks>From 1 to <see cref="MaxMaxResponseBytes"/> (1 TiB).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range; the message names the setting and the range.</exception>
    [SettingKey("maxResponseBytes")]
    public long MaxResponseBytes { get => _maxResponseBytes; set => _maxResponseBytes = CheckRange(value, "maxResponseBytes"); }

    /// <summary>
    /// How much of an error response body is read to find the server's message (setting <c>maxErrorBodyBytes</c>); the
    /// rest is ignored. From 0 (read none) to <see cref="MaxMaxErrorBodyBytes"/> (16 MiB).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range; the message names the setting and the range.</exception>
    [SettingKey("maxErrorBodyBytes")]
    public int MaxErrorBodyBytes { get => _maxErrorBodyBytes; set => _maxErrorBodyBytes = (int)CheckRange(value, "maxErrorBodyBytes"); }

    /// <summary>
    /// The valid range of a numeric setting of these options (<c>maxEventBytes</c>, <c>maxResponseBytes</c>,
    /// <c>maxErrorBodyBytes</c>), and how to describe it; <see langword="false"/> for any other key.
    /// </summary>
    internal static bool TryGetLimit(string key, out long min, out long max, out string description)
    {
        (min, max, description) = key switch
        {
            "maxEventBytes" => (1L, MaxMaxEventBytes, "a whole number of bytes from 1 to 1073741824 (1 GiB)"),
            "maxResponseBytes" => (1L, MaxMaxResponseBytes, "a whole number of bytes from 1 to 1099511627776 (1 TiB)"),
            "maxErrorBodyBytes" => (0L, MaxMaxErrorBodyBytes, "a whole number of bytes from 0 to 16777216 (16 MiB)"),
            _ => (0L, 0L, ""),
        };
        return description.Length > 0;
    }

    /// <summary>The description of the valid durations, as settings problems and exceptions state it.</summary>
    internal const string DurationRange = "a duration in milliseconds from 1 to 4294967294 (about 49 days, the longest a timer can wait)";

    private static long CheckRange(long value, string key)
    {
        TryGetLimit(key, out var min, out var max, out var description);
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(key, value, $"The setting '{key}' must be {description}; not {value}.");
        }

        return value;
    }

    private static TimeSpan CheckDuration(TimeSpan value, string key)
    {
        if (value != Timeout.InfiniteTimeSpan && (value < TimeSpan.FromMilliseconds(1) || value.TotalMilliseconds > MaxTimeoutMilliseconds))
        {
            throw new ArgumentOutOfRangeException(
                key,
                value,
                $"The setting '{key}' must be {DurationRange}, or Timeout.InfiniteTimeSpan in code; not {value.TotalMilliseconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} ms.");
        }

        return value;
    }

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

using System.Globalization;
using System.Net.Http.Headers;

namespace Providers;

/// <summary>Reads the wait a server asks for from its response headers.</summary>
public static class RetryAfter
{
    // Epoch seconds below this are read as a relative number of seconds (ratelimit-reset is either, depending on the server).
    private const double EpochThresholdSeconds = 1_000_000_000;

    /// <summary>The longest wait read from a header; a larger value (up to 1e300 has been seen from hostile servers) reads as this, which is always over the ceiling.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(365);

    /// <summary>
    /// The wait requested by <c>retry-after-ms</c>, <c>Retry-After</c> (seconds with fractions, or an HTTP date),
    /// <c>x-ratelimit-reset</c> or <c>ratelimit-reset</c> (seconds, or a Unix epoch time), in that order of preference;
    /// <see langword="null"/> when none is present or readable. A date in the past gives <see cref="TimeSpan.Zero"/>; a
    /// wait longer than <see cref="MaxWait"/> gives <see cref="MaxWait"/>.
    /// </summary>
    public static TimeSpan? FromHeaders(HttpResponseHeaders headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return FromHeaders(name => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null, now);
    }

    /// <summary>The same, over any header lookup (case-insensitive names).</summary>
    public static TimeSpan? FromHeaders(Func<string, string?> header, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (TryNumber(header("retry-after-ms"), out var ms) && ms >= 0)
        {
            return ms >= MaxWait.TotalMilliseconds ? MaxWait : TimeSpan.FromMilliseconds(ms);
        }

        if (header("retry-after") is { } retryAfter)
        {
            if (TryNumber(retryAfter, out var seconds) && seconds >= 0)
            {
                return Clamp(seconds);
            }

            if (DateTimeOffset.TryParseExact(retryAfter.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
                || DateTimeOffset.TryParse(retryAfter.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
            {
                return Until(date, now);
            }
        }

        foreach (var name in (ReadOnlySpan<string>)["x-ratelimit-reset", "ratelimit-reset"])
        {
            if (TryNumber(header(name), out var reset) && reset >= 0)
            {
                return reset >= EpochThresholdSeconds
                    ? Clamp((reset * 1000 - now.ToUnixTimeMilliseconds()) / 1000)
                    : Clamp(reset);
            }
        }

        return null;
    }

    private static TimeSpan Clamp(double seconds) =>
        seconds <= 0 ? TimeSpan.Zero : seconds >= MaxWait.TotalSeconds ? MaxWait : TimeSpan.FromSeconds(seconds);

    private static TimeSpan Until(DateTimeOffset moment, DateTimeOffset now) => moment > now ? moment - now : TimeSpan.Zero;

    private static bool TryNumber(string? text, out double value)
    {
        value = 0;
        return text is not null
            && double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }
}

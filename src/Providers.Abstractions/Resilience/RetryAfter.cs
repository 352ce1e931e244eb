using System.Globalization;
using System.Net.Http.Headers;

namespace Providers;

/// <summary>Reads the wait a server asks for from its response headers.</summary>
public static class RetryAfter
{
    // Epoch seconds below this are read as a relative number of seconds (ratelimit-reset is either, depending on the server).
    private const double EpochThresholdSeconds = 1_000_000_000;

    /// <summary>
    /// The wait requested by <c>retry-after-ms</c>, <c>Retry-After</c> (seconds with fractions, or an HTTP date),
    /// <c>x-ratelimit-reset</c> or <c>ratelimit-reset</c> (seconds, or a Unix epoch time), in that order of preference;
    /// <see langword="null"/> when none is present or readable. A date in the past gives <see cref="TimeSpan.Zero"/>.
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
            return TimeSpan.FromMilliseconds(ms);
        }

        if (header("retry-after") is { } retryAfter)
        {
            if (TryNumber(retryAfter, out var seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
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
                    ? Until(DateTimeOffset.FromUnixTimeMilliseconds((long)(reset * 1000)), now)
                    : TimeSpan.FromSeconds(reset);
            }
        }

        return null;
    }

    private static TimeSpan Until(DateTimeOffset moment, DateTimeOffset now) => moment > now ? moment - now : TimeSpan.Zero;

    private static bool TryNumber(string? text, out double value)
    {
        value = 0;
        return text is not null
            && double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }
}

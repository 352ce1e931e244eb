namespace Providers;

/// <summary>
/// Bounds the <c>error.type</c> values that become metric tags. A server chooses its error types, so a hostile or
/// verbose one could otherwise mint a new time series per request. The first <see cref="MaxDistinct"/> distinct values a
/// process sees are kept as they are; every later new value is recorded as <see cref="Other"/>, OpenTelemetry's
/// fallback value of <c>error.type</c>. Traces and logs keep the full value.
/// </summary>
internal static class MetricErrorTypes
{
    /// <summary>How many distinct <c>error.type</c> values metrics carry per process (64).</summary>
    public const int MaxDistinct = 64;

    /// <summary>What a value beyond the first <see cref="MaxDistinct"/> is recorded as.</summary>
    public const string Other = "_OTHER";

    private static readonly HashSet<string> Seen = new(StringComparer.Ordinal);

    /// <summary>The tag value for <paramref name="errorType"/>: itself while it is among the values kept, else <see cref="Other"/>.</summary>
    public static string ForMetric(string errorType)
    {
        lock (Seen)
        {
            return Seen.Contains(errorType) || (Seen.Count < MaxDistinct && Seen.Add(errorType)) ? errorType : Other;
        }
    }

    /// <summary>Forgets the values seen (tests only).</summary>
    internal static void ResetForTests()
    {
        lock (Seen)
        {
            Seen.Clear();
        }
    }
}

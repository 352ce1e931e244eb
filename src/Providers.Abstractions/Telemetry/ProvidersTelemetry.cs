using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Providers;

/// <summary>
/// The <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/> named
/// <c>Providers</c>, with instruments following the OpenTelemetry GenAI semantic conventions. Handlers report through
/// them when wrapped by <see cref="ApiHandlerTelemetryExtensions.WithTelemetry"/>; subscribe with
/// <c>AddSource("Providers")</c> / <c>AddMeter("Providers")</c>.
/// </summary>
public static class ProvidersTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string SourceName = "Providers";

    /// <summary>Histogram, seconds: how long a chat operation took, from the call to the end of the stream or the failure.</summary>
    public const string OperationDuration = "gen_ai.client.operation.duration";

    /// <summary>Histogram, tokens: tokens used per operation, tagged <c>gen_ai.token.type</c> = <c>input</c> or <c>output</c>.</summary>
    public const string TokenUsage = "gen_ai.client.token.usage";

    /// <summary>Histogram, seconds: from the call to the first chunk of the stream.</summary>
    public const string TimeToFirstChunk = "gen_ai.client.operation.time_to_first_chunk";

    /// <summary>Counter: retries the generated retry wrapper made (this is not a GenAI convention, hence the <c>providers.</c> prefix).</summary>
    public const string Retries = "providers.client.retries";

    /// <summary>Counter: failed operations, tagged <c>error.type</c>.</summary>
    public const string Errors = "providers.client.errors";

    internal static readonly ActivitySource ActivitySource = new(SourceName, Version);

    internal static readonly Meter Meter = new(SourceName, Version);

    // Bucket boundaries the GenAI conventions recommend for these two histograms.
    internal static readonly Histogram<double> DurationHistogram = Meter.CreateHistogram(
        OperationDuration, "s", "GenAI operation duration.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });

    internal static readonly Histogram<long> TokenHistogram = Meter.CreateHistogram(
        TokenUsage, "{token}", "Measures number of input and output tokens used.",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] });

    internal static readonly Histogram<double> FirstChunkHistogram = Meter.CreateHistogram(
        TimeToFirstChunk, "s", "Time from the request to the first chunk of the streamed answer.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });

    internal static readonly Counter<long> RetryCounter = Meter.CreateCounter<long>(Retries, "{retry}", "Retries of failed requests before the first chunk.");

    internal static readonly Counter<long> ErrorCounter = Meter.CreateCounter<long>(Errors, "{error}", "Chat operations that failed.");

    private const string Version = "0.1.0";

    /// <summary>
    /// A <see cref="RetryAttemptCallback"/> that counts the retry and records it on the running operation's activity.
    /// Chain it into <see cref="ProviderOptions.OnRetryAttempt"/> (the dependency-injection registration does), for
    /// example <c>options.OnRetryAttempt = ProvidersTelemetry.RecordRetryAttempt + options.OnRetryAttempt;</c>.
    /// </summary>
    public static void RecordRetryAttempt(int attempt, int maxRetries, TimeSpan delay, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (TelemetryOperation.Current is { } operation)
        {
            operation.OnRetry(attempt, maxRetries, delay, exception);
        }
        else
        {
            RetryCounter.Add(1, new KeyValuePair<string, object?>(Tags.ErrorType, MetricErrorTypes.ForMetric(TelemetryOperation.ErrorTypeOf(exception))));
        }
    }

    /// <summary>The attribute names used.</summary>
    public static class Tags
    {
        /// <summary><c>gen_ai.operation.name</c>: always <c>chat</c>.</summary>
        public const string OperationName = "gen_ai.operation.name";

        /// <summary><c>gen_ai.provider.name</c>: the provider id, for example <c>anthropic</c>.</summary>
        public const string ProviderName = "gen_ai.provider.name";

        /// <summary><c>gen_ai.system</c>: the provider id again, under the older convention's name.</summary>
        public const string System = "gen_ai.system";

        /// <summary><c>gen_ai.request.model</c>.</summary>
        public const string RequestModel = "gen_ai.request.model";

        /// <summary><c>gen_ai.token.type</c>: <c>input</c> or <c>output</c>.</summary>
        public const string TokenType = "gen_ai.token.type";

        /// <summary><c>gen_ai.usage.input_tokens</c> (activity only): input tokens, cached ones included.</summary>
        public const string InputTokens = "gen_ai.usage.input_tokens";

        /// <summary><c>gen_ai.usage.output_tokens</c> (activity only).</summary>
        public const string OutputTokens = "gen_ai.usage.output_tokens";

        /// <summary>
        /// <c>error.type</c>: the provider's error type, else the HTTP status, else the exception type. On metrics, the
        /// first 64 distinct values of a process are kept and later new ones are recorded as <c>_OTHER</c>.
        /// </summary>
        public const string ErrorType = "error.type";

        /// <summary><c>providers.retry.count</c> (activity only): retries made before the stream started.</summary>
        public const string RetryCount = "providers.retry.count";

        /// <summary><c>providers.output_started</c> (activity only, on failure): whether chunks had been delivered.</summary>
        public const string OutputStarted = "providers.output_started";
    }
}

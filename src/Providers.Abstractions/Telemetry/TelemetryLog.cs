using Microsoft.Extensions.Logging;

namespace Providers;

/// <summary>The log lines of the telemetry decorator. Never prompts, outputs or keys: ids, counts, durations and error facts only.</summary>
internal static partial class TelemetryLog
{
    [LoggerMessage(EventId = 1001, EventName = "ChatStarted", Level = LogLevel.Debug,
        Message = "Chat request to {ProviderName} (model {ModelId}) started")]
    public static partial void ChatStarted(ILogger logger, string providerName, string modelId);

    [LoggerMessage(EventId = 1002, EventName = "ChatCompleted", Level = LogLevel.Information,
        Message = "Chat request to {ProviderName} (model {ModelId}) completed in {DurationMs} ms: {InputTokens} input and {OutputTokens} output tokens, {Retries} retries")]
    public static partial void ChatCompleted(ILogger logger, string providerName, string modelId, long durationMs, long inputTokens, long outputTokens, int retries);

    [LoggerMessage(EventId = 1003, EventName = "ChatFailed", Level = LogLevel.Warning,
        Message = "Chat request to {ProviderName} (model {ModelId}) failed after {DurationMs} ms with {ErrorType} (status {StatusCode}, output started: {OutputStarted}, retries: {Retries})")]
    public static partial void ChatFailed(ILogger logger, string providerName, string modelId, long durationMs, string errorType, int? statusCode, bool outputStarted, int retries, Exception exception);

    [LoggerMessage(EventId = 1004, EventName = "ChatCancelled", Level = LogLevel.Debug,
        Message = "Chat request to {ProviderName} (model {ModelId}) was cancelled after {DurationMs} ms")]
    public static partial void ChatCancelled(ILogger logger, string providerName, string modelId, long durationMs);

    [LoggerMessage(EventId = 1005, EventName = "RetryScheduled", Level = LogLevel.Information,
        Message = "Chat request to {ProviderName} (model {ModelId}) failed with {ErrorType}; retry {Attempt} of {MaxRetries} in {DelayMs} ms")]
    public static partial void RetryScheduled(ILogger logger, string providerName, string modelId, string errorType, int attempt, int maxRetries, long delayMs);
}

using System.Net;
using System.Text.Json;

namespace Providers.OpenAi;

/// <summary>The errors an OpenAI-shaped stream can end with: an error event, a malformed event, or a cut-off stream.</summary>
internal static class OpenAiStreamErrors
{
    /// <summary>String error codes that a retry may cure.</summary>
    private static readonly HashSet<string> TransientCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "server_error", "internal_error", "internal_server_error", "rate_limit_exceeded", "rate_limit_error",
        "overloaded", "overloaded_error", "service_unavailable", "timeout", "api_error",
    };

    /// <summary>
    /// An error reported inside the stream (<c>{"code", "message"}</c>, or <c>{"type", "message"}</c>). A numeric code is
    /// read as an HTTP status; transient codes are retryable, so an error before any output is retried.
    /// </summary>
    public static ProviderException FromError(string providerId, JsonElement error, string? fallbackMessage = null)
    {
        string? code = null;
        string? message = null;
        HttpStatusCode? status = null;
        if (error.ValueKind == JsonValueKind.Object)
        {
            if (error.TryGetProperty("code", out var c))
            {
                if (c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var number))
                {
                    status = (HttpStatusCode)number;
                    code = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (c.ValueKind == JsonValueKind.String)
                {
                    code = c.GetString();
                }
            }

            if (code is null && error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String)
            {
                code = t.GetString();
            }

            if (error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                message = m.GetString();
            }
        }
        else if (error.ValueKind == JsonValueKind.String)
        {
            message = error.GetString();
        }

        return Create(providerId, code, message ?? fallbackMessage, status);
    }

    /// <summary>An error event with its code and message already read.</summary>
    public static ProviderException Create(string providerId, string? code, string? message, HttpStatusCode? status = null)
    {
        var retryable = status is { } s ? RetryClassifier.IsTransientStatus((int)s) : code is not null && TransientCodes.Contains(code);
        var text = $"'{providerId}' reported an error in the stream{(code is null ? "" : $" ({ServerText.Clean(code)})")}: {ServerText.Clean(message ?? "no details")}"
            + (retryable ? ". Retrying later usually works." : ".");
        return new ProviderException(providerId, text, status, retryable) { ErrorType = code ?? "stream_error" };
    }

    public static ProviderException Malformed(string providerId, string eventType) =>
        new(providerId, $"The '{providerId}' stream was malformed: a '{ServerText.Clean(eventType)}' event did not hold valid JSON.", isRetryable: false)
        {
            ErrorType = "malformed_stream",
        };

    public static ProviderException UnknownToolCall(string providerId, string which) =>
        new(providerId, $"The '{providerId}' stream was malformed: tool-call arguments arrived for {ServerText.Clean(which)}, a call the stream never started.", isRetryable: false)
        {
            ErrorType = "malformed_stream",
        };

    public static ProviderException CutOff(string providerId, string terminator) =>
        new(providerId, $"The '{providerId}' stream was cut off: it ended without {terminator}. Retrying usually works.", isRetryable: true)
        {
            ErrorType = "stream_truncated",
        };
}

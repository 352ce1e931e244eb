using System.Globalization;
using System.Text.Json;
using Providers.Http;

namespace Providers.Gemini;

/// <summary>Google's error bodies (Gemini API and Vertex AI): <c>{"error": {"code", "message", "status", "details"}}</c>, sometimes wrapped in an array.</summary>
internal static class GeminiErrors
{
    /// <summary>The error's <c>status</c> (for example <c>RESOURCE_EXHAUSTED</c>) as the type, and its message; other shapes fall back to <see cref="ErrorBody.Parse"/>.</summary>
    public static ErrorBody Parse(string body)
    {
        if (Read(body) is { } error)
        {
            return new ErrorBody(error.Status ?? error.Code?.ToString(CultureInfo.InvariantCulture), error.Message);
        }

        return ErrorBody.Parse(body);
    }

    /// <summary>The wait the <c>google.rpc.RetryInfo</c> detail of an error body asks for, if any.</summary>
    public static TimeSpan? RetryDelay(string body) => Read(body) is { } error ? RetryDelay(error) : null;

    /// <summary>The wait a <c>google.rpc.RetryInfo</c> detail asks for (<c>"37s"</c>, <c>"1.5s"</c>), if any.</summary>
    public static TimeSpan? RetryDelay(GoogleError error)
    {
        var delay = error.Details?.FirstOrDefault(d => d.RetryDelay is not null)?.RetryDelay;
        if (delay is null || !delay.EndsWith('s')
            || !double.TryParse(delay.AsSpan(0, delay.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || seconds < 0 || double.IsNaN(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds)
        {
            return null;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static GoogleError? Read(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            var trimmed = body.AsSpan().TrimStart();
            return trimmed.Length > 0 && trimmed[0] == '['
                ? JsonSerializer.Deserialize(body, GeminiJsonContext.Default.ListGoogleErrorEnvelope)?.FirstOrDefault()?.Error
                : JsonSerializer.Deserialize(body, GeminiJsonContext.Default.GoogleErrorEnvelope)?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Text.Json;

namespace Providers.Http;

/// <summary>What an error body says: the provider's error type and message, and whether it marks the error retryable.</summary>
/// <param name="Type">The error type or code, for example <c>rate_limit_error</c>.</param>
/// <param name="Message">The provider's own message.</param>
/// <param name="Retryable">Whether the body marks the error retryable; <see langword="null"/> leaves it to the status.</param>
public readonly record struct ErrorBody(string? Type, string? Message, bool? Retryable = null)
{
    /// <summary>
    /// Reads the common shapes: <c>{"error": {"type"|"code", "message"}}</c> (OpenAI, Anthropic, OpenRouter),
    /// <c>{"type": "error", "error": {...}}</c> and <c>{"error": "text"}</c> (Ollama). Anything else gives no type or message.
    /// </summary>
    public static ErrorBody Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return FromElement(document.RootElement);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>Reads an already parsed error object (the same shapes as <see cref="Parse"/>).</summary>
    public static ErrorBody FromElement(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        if (!root.TryGetProperty("error", out var error))
        {
            return new ErrorBody(Text(root, "type") ?? Text(root, "code"), Text(root, "message"));
        }

        if (error.ValueKind == JsonValueKind.String)
        {
            return new ErrorBody(null, error.GetString());
        }

        if (error.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        var type = Text(error, "type") ?? Text(error, "code");
        var message = Text(error, "message");
        if (error.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object && Text(metadata, "raw") is { } raw)
        {
            message = message is null ? raw : $"{message} ({raw})";
        }

        return new ErrorBody(type, message);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}

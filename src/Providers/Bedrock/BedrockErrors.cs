using System.Text.Json;
using Providers.Http;

namespace Providers.Bedrock;

/// <summary>Reads Bedrock's error bodies: <c>{"message": "..."}</c> (or <c>Message</c>), with the type in <c>__type</c> when present.</summary>
internal static class BedrockErrors
{
    public static ErrorBody Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            var type = Text(root, "__type") ?? Text(root, "code");
            // "__type" may be namespaced ("com.amazon.bedrock#ThrottlingException") or carry a URL after a colon.
            if (type is not null)
            {
                type = type[(type.LastIndexOf('#') + 1)..];
                var colon = type.IndexOf(':', StringComparison.Ordinal);
                type = colon > 0 ? type[..colon] : type;
            }

            return new ErrorBody(type, Text(root, "message") ?? Text(root, "Message"));
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

using System.Text;
using System.Text.Json;

namespace Providers.Http;

/// <summary>Errors and checks the built-in providers' stream decoders share.</summary>
internal static class StreamFaults
{
    /// <summary>The error for a stream whose content does not follow the provider's format.</summary>
    /// <remarks><paramref name="what"/> may quote the server (an event type, a tool name), so it is server text (<see cref="ServerText"/>).</remarks>
    public static ProviderException Malformed(string providerId, string what) => new(
        providerId,
        $"The '{providerId}' stream was malformed: {ServerText.Clean(what)}. A proxy in between may have altered it.",
        isRetryable: false)
    { ErrorType = "malformed_stream" };

    /// <summary>Whether <paramref name="text"/> is one complete JSON value, as the assembled arguments of a tool call must be.</summary>
    public static bool IsCompleteJson(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
        try
        {
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0 && reader.CurrentDepth == 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Providers.OAuth;

/// <summary>Small helpers for credentials kept as JSON files by the tools that signed the user in.</summary>
internal static class CredentialsJson
{
    /// <summary>The JSON object in the file at <paramref name="path"/>; a missing, unreadable or malformed file is <paramref name="unusable"/>'s exception.</summary>
    public static async Task<JsonObject> ReadObjectAsync(string path, Func<string, Exception?, ProviderException> unusable, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw unusable($"there is no file at {path}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw unusable($"the file {path} could not be read ({ex.GetType().Name})", ex);
        }

        try
        {
            return JsonNode.Parse(bytes) as JsonObject ?? throw unusable($"the file {path} holds no JSON object", null);
        }
        catch (JsonException ex)
        {
            throw unusable($"the file {path} is not valid JSON (line {ex.LineNumber + 1})", ex);
        }
    }

    /// <summary>
    /// Saves refreshed credentials to <paramref name="path"/> atomically. Not cancellable: once the token endpoint has
    /// answered, the old refresh token may be spent, so the new one must reach the file. A file that cannot be written
    /// is <paramref name="unusable"/>'s exception.
    /// </summary>
    public static async Task SaveAsync(string path, JsonNode json, Func<string, Exception?, ProviderException> unusable)
    {
        try
        {
            await AtomicFile.WriteAsync(path, Serialize(json), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw unusable($"the refreshed sign-in could not be saved to {path} ({ex.GetType().Name}); make the file and its folder writable", ex);
        }
    }

    /// <summary>A non-empty string field, else <see langword="null"/>.</summary>
    public static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrEmpty(text) ? text : null;

    /// <summary>Whether the Unix-milliseconds expiry in <paramref name="field"/> lies more than <paramref name="margin"/> ahead; a missing expiry is not current.</summary>
    public static bool IsCurrent(JsonObject json, string field, TimeProvider clock, TimeSpan margin) =>
        json[field] is JsonValue value && Milliseconds(value) is { } expiry
        && clock.GetUtcNow() < DateTimeOffset.UnixEpoch.AddMilliseconds(expiry) - margin;

    // A value read from a file holds a JSON number; one this code set holds the long it was given.
    private static double? Milliseconds(JsonValue value) =>
        value.TryGetValue<double>(out var number) ? number : value.TryGetValue<long>(out var whole) ? whole : null;

    /// <summary>Unix milliseconds <paramref name="seconds"/> from now, as the <c>expires_in</c> of a token answer is stored.</summary>
    public static long ExpiryIn(double? seconds, TimeProvider clock) => (clock.GetUtcNow() + TimeSpan.FromSeconds(seconds ?? 0)).ToUnixTimeMilliseconds();

    /// <summary>The JSON text of <paramref name="json"/>, indented with two spaces as the Node tools write it when asked to.</summary>
    public static byte[] Serialize(JsonNode json, bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            json.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>A configured path with <c>~/</c> for the home folder, made absolute; <paramref name="defaultUnderHome"/> below the home folder when unset.</summary>
    public static string ResolvePath(string? configured, params string[] defaultUnderHome)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrWhiteSpace(configured))
        {
            return Path.Combine([home, .. defaultUnderHome]);
        }

        var path = configured.Trim();
        return path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, path[2..]) : Path.GetFullPath(path);
    }
}

using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Providers.OAuth;
using static Providers.OAuth.CredentialsJson;

namespace Providers.OpenAiCompatible;

/// <summary>
/// The ChatGPT sign-in Cline keeps for <c>openai-codex</c>: the secret <c>openai-codex-oauth-credentials</c>, a JSON text
/// <c>{"type":"openai-codex","access_token","refresh_token","expires" (Unix ms),"email"?,"accountId"?}</c>. It comes from
/// the setting of that name, else from Cline's secrets file (<c>~/.cline/data/secrets.json</c>, the same key). A token
/// that expires within five minutes, or that the server refused with 401, is refreshed with the refresh token; the
/// new sign-in is written back to the secrets file (atomically, other secrets kept) when it came from there, and kept
/// for the handler's lifetime when it came from the setting.
/// </summary>
internal sealed class OpenAiCodexCredentials(OpenAiCodexOptions options)
{
    public const string SecretKey = "openai-codex-oauth-credentials";
    private const string ProviderId = "openai-codex";
    private const string PathKey = "openAiCodexSecretsPath";
    private static readonly OAuthClient OpenAi = new(new Uri("https://auth.openai.com/oauth/token"), "app_EMoamEEZ73f0CkXaXp7hrann");
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private JsonObject? _refreshedInline;

    /// <summary>Cline's secrets file: the setting (with <c>~/</c> expanded), else <c>~/.cline/data/secrets.json</c>.</summary>
    public string SecretsPath { get; } = ResolvePath(options.SecretsPath, ".cline", "data", "secrets.json");

    /// <summary>A current access token and the ChatGPT account id, when known.</summary>
    /// <param name="rejected">The token the server just refused with 401: refreshed even when it looks current, unless the credentials already hold another.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public async ValueTask<(string Token, string? AccountId)> GetAsync(string? rejected, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (credentials, secrets) = await LoadAsync(cancellationToken).ConfigureAwait(false);
            if (Text(credentials, "access_token") == rejected || !IsCurrent(credentials, "expires", options.TimeProvider, ExpiryMargin))
            {
                credentials = await RefreshAsync(credentials, secrets, cancellationToken).ConfigureAwait(false);
            }

            return (Text(credentials, "access_token")!, Text(credentials, "accountId"));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whether <paramref name="json"/> is a credentials object with the fields a request needs.</summary>
    public static bool IsWellFormed(string json)
    {
        try
        {
            return JsonNode.Parse(json) is JsonObject credentials
                && Text(credentials, "access_token") is not null && Text(credentials, "refresh_token") is not null && credentials["expires"] is JsonValue;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"OpenAI Codex credentials ({(string.IsNullOrWhiteSpace(options.Credentials) ? SecretsPath : $"setting '{SecretKey}'")})";

    private string Remedy => string.IsNullOrWhiteSpace(options.Credentials)
        ? $"Sign in again with the OpenAI Codex (ChatGPT) sign-in in Cline's settings, which renews '{SecretKey}' in {SecretsPath}; or point the setting '{PathKey}' at Cline's secrets file, or set '{SecretKey}' to the credentials JSON."
        : $"Sign in again with the OpenAI Codex (ChatGPT) sign-in in Cline's settings and copy the new '{SecretKey}' secret into the setting of that name.";

    /// <summary>The credentials, and the secrets file's contents when they came from there.</summary>
    private async Task<(JsonObject Credentials, JsonObject? Secrets)> LoadAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.Credentials))
        {
            return (_refreshedInline ?? Parse(options.Credentials, $"the setting '{SecretKey}'"), null);
        }

        var secrets = await ReadObjectAsync(SecretsPath, NotSignedIn, cancellationToken).ConfigureAwait(false);
        var where = $"'{SecretKey}' in {SecretsPath}";
        return secrets[SecretKey] switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) => (Parse(text, where), secrets),
            JsonObject inline => (Check(inline, where), secrets),
            _ => throw NotSignedIn($"the secrets file {SecretsPath} holds no '{SecretKey}'", null),
        };
    }

    private JsonObject Parse(string json, string where)
    {
        try
        {
            return JsonNode.Parse(json) is JsonObject credentials
                ? Check(credentials, where)
                : throw NotSignedIn($"{where} is not a JSON object", null);
        }
        catch (JsonException ex)
        {
            throw NotSignedIn($"{where} is not valid JSON (line {ex.LineNumber + 1})", ex);
        }
    }

    private JsonObject Check(JsonObject credentials, string where)
    {
        options.Secrets.Add(Text(credentials, "access_token"));
        options.Secrets.Add(Text(credentials, "refresh_token"));
        return Text(credentials, "access_token") is null || Text(credentials, "refresh_token") is null || credentials["expires"] is not JsonValue
            ? throw NotSignedIn($"{where} lacks access_token, refresh_token or expires", null)
            : credentials;
    }


    private async Task<JsonObject> RefreshAsync(JsonObject credentials, JsonObject? secrets, CancellationToken cancellationToken)
    {
        var refreshToken = Text(credentials, "refresh_token")!;
        var client = options.TokenUrl is { } tokenUrl ? OpenAi with { TokenEndpoint = tokenUrl } : OpenAi;
        var tokens = await OAuthRefresh.RefreshAsync(client, refreshToken, ProviderId, options, Remedy, cancellationToken).ConfigureAwait(false);
        credentials["type"] = "openai-codex";
        credentials["access_token"] = tokens.AccessToken;
        credentials["refresh_token"] = tokens.RefreshToken ?? refreshToken;
        credentials["expires"] = ExpiryIn(tokens.ExpiresIn, options.TimeProvider);
        if ((AccountIdIn(tokens.IdToken) ?? AccountIdIn(tokens.AccessToken)) is { } accountId)
        {
            credentials["accountId"] = accountId;
        }

        if (secrets is null)
        {
            _refreshedInline = credentials;
            return credentials;
        }

        // Cline stores the secret as a JSON text, so it is written back as one.
        secrets[SecretKey] = System.Text.Encoding.UTF8.GetString(Serialize(credentials, indented: false));
        await SaveAsync(SecretsPath, secrets, NotSignedIn).ConfigureAwait(false);
        return credentials;
    }

    /// <summary>The ChatGPT account id in a JWT's claims: <c>chatgpt_account_id</c>, the same under <c>https://api.openai.com/auth</c>, or the first organization's id.</summary>
    internal static string? AccountIdIn(string? jwt)
    {
        var parts = jwt?.Split('.');
        if (parts is not { Length: 3 })
        {
            return null;
        }

        var payload = new byte[Base64Url.GetMaxDecodedLength(parts[1].Length)];
        if (!Base64Url.TryDecodeFromChars(parts[1], payload, out var written))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payload.AsMemory(0, written));
            var claims = document.RootElement;
            if (claims.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return Claim(claims, "chatgpt_account_id")
                ?? (claims.TryGetProperty("https://api.openai.com/auth", out var auth) && auth.ValueKind == JsonValueKind.Object ? Claim(auth, "chatgpt_account_id") : null)
                ?? (claims.TryGetProperty("organizations", out var organizations) && organizations.ValueKind == JsonValueKind.Array
                    && organizations.GetArrayLength() > 0 && organizations[0].ValueKind == JsonValueKind.Object ? Claim(organizations[0], "id") : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }



    private static string? Claim(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private ProviderException NotSignedIn(string what, Exception? innerException) =>
        new(ProviderId, $"The '{ProviderId}' provider is not signed in: {what}. {Remedy}", isRetryable: false, innerException: innerException)
        { ErrorType = "credentials_unusable" };

}

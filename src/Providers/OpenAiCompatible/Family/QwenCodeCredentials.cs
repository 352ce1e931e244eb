using System.Text.Json.Nodes;
using Providers.OAuth;
using static Providers.OAuth.CredentialsJson;

namespace Providers.OpenAiCompatible;

/// <summary>
/// Qwen Code's OAuth credentials file (<c>~/.qwen/oauth_creds.json</c>: <c>access_token</c>, <c>refresh_token</c>,
/// <c>token_type</c>, <c>resource_url</c>, <c>expiry_date</c> in Unix milliseconds). Read before each request, so a
/// token another process refreshed is used; refreshed here when it expires within 30 seconds or the server refused it,
/// and written back whole (fields this code does not know are kept) by an atomic replace.
/// </summary>
internal sealed class QwenCodeCredentials(QwenCodeOptions options)
{
    public const string DefaultBaseUrl = "https://dashscope.aliyuncs.com/compatible-mode/v1";
    private const string ProviderId = "qwen-code";
    private const string PathKey = "qwenCodeOauthPath";
    private static readonly OAuthClient Qwen = new(new Uri("https://chat.qwen.ai/api/v1/oauth2/token"), "f0304373b74a44d2b584a3fb70ca9e56");
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The credentials file: the setting (with <c>~/</c> expanded), else <c>~/.qwen/oauth_creds.json</c>.</summary>
    public string FilePath { get; } = ResolvePath(options.OauthPath, ".qwen", "oauth_creds.json");

    /// <summary>A current access token and the base URL it belongs to (without a trailing slash).</summary>
    /// <param name="rejected">The token the server just refused with 401: refreshed even when it looks current, unless the credentials already hold another.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public async ValueTask<(string Token, string BaseUrl)> GetAsync(string? rejected, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var credentials = await LoadAsync(cancellationToken).ConfigureAwait(false);
            var token = Text(credentials, "access_token");
            if (token is null || token == rejected || !IsCurrent(credentials, "expiry_date", options.TimeProvider, ExpiryMargin))
            {
                credentials = await RefreshAsync(credentials, cancellationToken).ConfigureAwait(false);
                token = Text(credentials, "access_token")!;
            }

            return (token, BaseUrlOf(credentials));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"Qwen Code credentials at {FilePath}";

    private string Remedy =>
        $"Sign in to Qwen Code again (run 'qwen' and choose Qwen OAuth) to renew {FilePath}, or point the setting '{PathKey}' at a current credentials file.";

    private async Task<JsonObject> LoadAsync(CancellationToken cancellationToken)
    {
        var credentials = await ReadObjectAsync(FilePath, Unusable, cancellationToken).ConfigureAwait(false);
        if (Text(credentials, "access_token") is null && Text(credentials, "refresh_token") is null)
        {
            throw Unusable($"the credentials file {FilePath} holds neither an access_token nor a refresh_token", null);
        }

        options.Secrets.Add(Text(credentials, "access_token"));
        options.Secrets.Add(Text(credentials, "refresh_token"));
        return credentials;
    }

    private async Task<JsonObject> RefreshAsync(JsonObject credentials, CancellationToken cancellationToken)
    {
        if (Text(credentials, "refresh_token") is not { } refreshToken)
        {
            throw Unusable($"the access token in {FilePath} has expired and the file holds no refresh_token", null);
        }

        var client = options.TokenUrl is { } tokenUrl ? Qwen with { TokenEndpoint = tokenUrl } : Qwen;
        var tokens = await OAuthRefresh.RefreshAsync(client, refreshToken, ProviderId, options, Remedy, cancellationToken).ConfigureAwait(false);
        credentials["access_token"] = tokens.AccessToken;
        credentials["token_type"] = tokens.TokenType ?? Text(credentials, "token_type");
        credentials["refresh_token"] = tokens.RefreshToken ?? refreshToken;
        credentials["expiry_date"] = ExpiryIn(tokens.ExpiresIn, options.TimeProvider);
        if (!string.IsNullOrEmpty(tokens.ResourceUrl))
        {
            credentials["resource_url"] = tokens.ResourceUrl;
        }

        await SaveAsync(FilePath, credentials, Unusable).ConfigureAwait(false);
        return credentials;
    }

    /// <summary>The API's base URL: <c>resource_url</c> (a host, or a URL) made <c>https://…/v1</c>, else DashScope's.</summary>
    private string BaseUrlOf(JsonObject credentials) =>
        BaseUrlFrom(Text(credentials, "resource_url")) ?? throw Unusable($"the resource_url in {FilePath} is not a host name or an http(s) URL", null);

    /// <summary>A <c>resource_url</c> as a base URL without a trailing slash; <see langword="null"/> when it is no URL.</summary>
    internal static string? BaseUrlFrom(string? resourceUrl)
    {
        var resource = resourceUrl?.Trim().TrimEnd('/');
        if (string.IsNullOrEmpty(resource))
        {
            return DefaultBaseUrl;
        }

        if (!resource.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !resource.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            resource = "https://" + resource;
        }

        if (!resource.EndsWith("/v1", StringComparison.Ordinal))
        {
            resource += "/v1";
        }

        return Uri.TryCreate(resource, UriKind.Absolute, out var uri) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.UserInfo) ? resource : null;
    }

    private ProviderException Unusable(string what, Exception? innerException) =>
        new(ProviderId, $"The '{ProviderId}' provider cannot sign in: {what}. {Remedy}", isRetryable: false, innerException: innerException)
        { ErrorType = "credentials_unusable" };

}

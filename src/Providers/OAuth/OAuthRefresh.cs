using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Providers.Http;

namespace Providers.OAuth;

/// <summary>An OAuth 2.0 client of a provider's sign-in: where its token endpoint is and the public client id it signs in as.</summary>
/// <param name="TokenEndpoint">The token endpoint (overridable by a setting, so tests and proxies can move it).</param>
/// <param name="ClientId">The public client id of the application that signed the user in.</param>
internal sealed record OAuthClient(Uri TokenEndpoint, string ClientId);

/// <summary>A token endpoint's answer (RFC 6749 section 5.1, and section 5.2 for errors), plus the fields Qwen and OpenAI add.</summary>
internal sealed class TokenResponse
{
    [JsonPropertyName("access_token")] public string? AccessToken { get; init; }

    [JsonPropertyName("refresh_token")] public string? RefreshToken { get; init; }

    [JsonPropertyName("id_token")] public string? IdToken { get; init; }

    [JsonPropertyName("token_type")] public string? TokenType { get; init; }

    [JsonPropertyName("expires_in")] public double? ExpiresIn { get; init; }

    [JsonPropertyName("resource_url")] public string? ResourceUrl { get; init; }

    [JsonPropertyName("error")] public JsonElement? Error { get; init; }

    [JsonPropertyName("error_description")] public string? ErrorDescription { get; init; }
}

[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class OAuthJsonContext : JsonSerializerContext;

/// <summary>
/// The <c>refresh_token</c> grant (RFC 6749 section 6): a form POST to the token endpoint, bounded in time and size like
/// every other request. A failure is a <see cref="ProviderException"/> that says what to do (sign in again, and where
/// the credentials live) and never carries a token: the refresh token and whatever the endpoint returns are redacted.
/// </summary>
internal static class OAuthRefresh
{
    private const int MaxDescriptionLength = 200;

    /// <summary>Exchanges <paramref name="refreshToken"/> for new tokens.</summary>
    /// <param name="client">The token endpoint and client id.</param>
    /// <param name="refreshToken">The refresh token.</param>
    /// <param name="providerId">The provider, for errors.</param>
    /// <param name="options">Timeouts, limits, the HTTP client and the secrets to redact.</param>
    /// <param name="remedy">What the user does when the refresh is refused: which file or setting holds the sign-in, and how to renew it.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public static async Task<TokenResponse> RefreshAsync(
        OAuthClient client, string refreshToken, string providerId, ProviderOptions options, string remedy, CancellationToken cancellationToken)
    {
        options.Secrets.Add(refreshToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, client.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent([
                new("grant_type", "refresh_token"),
                new("refresh_token", refreshToken),
                new("client_id", client.ClientId),
            ]),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.UserAgent.TryParseAdd(ProviderHttp.UserAgent);

        using var timeout = new CancellationTokenSource(options.RequestTimeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        byte[] body;
        HttpStatusCode status;
        try
        {
            using var response = await ProviderHttp.ClientFor(options).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            status = response.StatusCode;
            body = await ProviderHttp.ReadBodyAsync(response, providerId, options, options.RequestTimeout, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Failure(providerId, client, $"no answer within {options.RequestTimeout.TotalSeconds:0.###} s (setting 'requestTimeoutMs')", HttpStatusCode.RequestTimeout, retryable: true, remedy, ex);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure(providerId, client, "the endpoint could not be reached: " + options.Secrets.Redact(ex.Message), ex.StatusCode, retryable: true, remedy, ex);
        }
        catch (ProviderException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure(providerId, client, "its answer could not be read: " + ex.Message, ex.StatusCode, ex.IsRetryable, remedy, ex);
        }

        var tokens = Parse(body);
        var error = ErrorOf(tokens);
        if ((int)status is < 200 or >= 300 || error is not null || string.IsNullOrEmpty(tokens?.AccessToken))
        {
            var what = error ?? (tokens is null ? "not a JSON token response" : "no access_token in the answer");
            var retryable = RetryClassifier.IsTransientStatus((int)status);
            throw Failure(providerId, client, $"it answered {(int)status} {Redacted(what, options)}", status, retryable, remedy, innerException: null);
        }

        options.Secrets.Add(tokens.AccessToken);
        options.Secrets.Add(tokens.RefreshToken);
        options.Secrets.Add(tokens.IdToken);
        return tokens;
    }

    private static TokenResponse? Parse(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, OAuthJsonContext.Default.TokenResponse);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The error code and description of an error answer: <c>error</c> as a string (the RFC) or an object (OpenAI's <c>{type|code, message}</c>).</summary>
    private static string? ErrorOf(TokenResponse? tokens)
    {
        if (tokens?.Error is not { } error)
        {
            return null;
        }

        var code = error.ValueKind switch
        {
            JsonValueKind.String => error.GetString(),
            JsonValueKind.Object => string.Join(": ", new[] { Text(error, "type") ?? Text(error, "code"), Text(error, "message") }.Where(s => !string.IsNullOrEmpty(s))),
            _ => null,
        };
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        return string.IsNullOrEmpty(tokens.ErrorDescription) ? $"({code})" : $"({code}): {tokens.ErrorDescription}";
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Redacted(string text, ProviderOptions options) => ServerText.Clean(text.Trim(), options.Secrets, MaxDescriptionLength);

    private static ProviderException Failure(
        string providerId, OAuthClient client, string what, HttpStatusCode? status, bool retryable, string remedy, Exception? innerException) =>
        new(
            providerId,
            $"Could not refresh the '{providerId}' access token at {client.TokenEndpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)}: {what.TrimEnd('.')}. {remedy}",
            status,
            retryable,
            innerException: innerException)
        { ErrorType = "token_refresh_failed" };
}

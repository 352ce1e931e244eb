using Google;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;

namespace Providers.Vertex;

/// <summary>
/// Sets <see cref="VertexOptions.AccessTokenProvider"/> from Google credentials through <c>Google.Apis.Auth</c>, which
/// caches the access token and refreshes it before it expires.
/// </summary>
/// <example>
/// <code>
/// var handler = ProviderRegistry.Build(settings, Mode.Act, configure: o => (o as VertexOptions)?.UseApplicationDefaultCredentials());
/// </code>
/// </example>
public static class VertexGoogleCredentials
{
    /// <summary>The OAuth scope Vertex AI requires.</summary>
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    /// <summary>
    /// Uses Google's application default credentials: the key file named by <c>GOOGLE_APPLICATION_CREDENTIALS</c>, the
    /// credentials of <c>gcloud auth application-default login</c>, or the metadata server on Google Cloud. They are looked
    /// up at the first request.
    /// </summary>
    public static VertexOptions UseApplicationDefaultCredentials(this VertexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var credential = new Lazy<Task<GoogleCredential>>(async () => (await GoogleCredential.GetApplicationDefaultAsync().ConfigureAwait(false)).CreateScoped(CloudPlatformScope));
        options.AccessTokenProvider = cancellationToken => TokenAsync(credential, "application default credentials", cancellationToken);
        return options;
    }

    /// <summary>Uses the service-account key file (JSON) at <paramref name="path"/>; it is read here, so a bad file fails at once.</summary>
    /// <exception cref="ProviderConfigurationException">The file cannot be read or is not a service-account key.</exception>
    public static VertexOptions UseServiceAccountKeyFile(this VertexOptions options, string path)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        GoogleCredential credential;
        try
        {
            credential = CredentialFactory.FromFile<ServiceAccountCredential>(path).ToGoogleCredential().CreateScoped(CloudPlatformScope);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or Newtonsoft.Json.JsonException)
        {
            throw new ProviderConfigurationException("vertex",
                [new SettingProblem("service-account key file", $"'{path}' is not a readable service-account key (JSON from IAM, Service accounts, Keys): {ex.GetType().Name}")]);
        }

        var ready = new Lazy<Task<GoogleCredential>>(() => Task.FromResult(credential));
        options.AccessTokenProvider = cancellationToken => TokenAsync(ready, "the service-account key", cancellationToken);
        return options;
    }

    private static async ValueTask<string> TokenAsync(Lazy<Task<GoogleCredential>> credential, string source, CancellationToken cancellationToken)
    {
        try
        {
            var google = await credential.Value.ConfigureAwait(false);
            return await ((ITokenAccess)google).GetAccessTokenForRequestAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (TokenResponseException ex)
        {
            // The token endpoint's own words (error, description) are safe: they never echo the key or the token.
            throw new ProviderException("vertex",
                $"Google refused an access token for {source}: {ex.Error?.Error ?? "error"} ({ex.Error?.ErrorDescription ?? "no details"}). Check the credentials and their permissions.",
                ex.StatusCode,
                isRetryable: ex.StatusCode is null || (int)ex.StatusCode.Value >= 500,
                innerException: ex)
            { ErrorType = "credentials" };
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException or GoogleApiException)
        {
            throw new ProviderException("vertex",
                $"No Google access token from {source}: {ex.Message} Run 'gcloud auth application-default login', set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or set vertexAccessToken.",
                isRetryable: ex is HttpRequestException or IOException,
                innerException: ex)
            { ErrorType = "credentials" };
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Reflection;

namespace Providers.Http;

/// <summary>
/// The HTTP plumbing every built-in provider uses, public so a custom provider can use it too: a pooled client, a send
/// that times out only until the response starts, and error mapping into <see cref="ProviderException"/>.
/// </summary>
public static class ProviderHttp
{
    private static readonly Lazy<HttpClient> Shared = new(CreateClient);

    /// <summary>The <c>User-Agent</c> sent by the built-in providers: <c>Providers.NET/{version}</c>.</summary>
    public static string UserAgent { get; } = "Providers.NET/" + (typeof(ProviderHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    /// <summary>
    /// The client for <paramref name="options"/>: <see cref="ProviderOptions.HttpClient"/> when one was injected, else one
    /// process-wide client over a pooled <see cref="SocketsHttpHandler"/> (keep-alive, HTTP/2 when offered, system proxy).
    /// </summary>
    public static HttpClient ClientFor(ProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.HttpClient ?? Shared.Value;
    }

    /// <summary>A client configured as the shared one, for callers that want their own pool.</summary>
    public static HttpClient CreateClient()
    {
        var handler = Common.ProviderSocketsHandler.Create();

        return new HttpClient(handler, disposeHandler: true)
        {
            // Streams last as long as the model writes; the request and idle timeouts bound the waits instead.
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
    }

    /// <summary>
    /// Sends <paramref name="request"/> and returns once the response headers arrived with a success status. Waits at
    /// most <see cref="ProviderOptions.RequestTimeout"/> for them; maps failures into <see cref="ProviderException"/>.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="request">The request; disposed by the caller.</param>
    /// <param name="providerId">The provider id, for errors.</param>
    /// <param name="options">Timeouts and clock.</param>
    /// <param name="errorParser">Reads the provider's error type and message from an error body; <see langword="null"/> uses <see cref="ErrorBody.Parse"/>.</param>
    /// <param name="secrets">Values to blank out of any message (the API key).</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient client,
        HttpRequestMessage request,
        string providerId,
        ProviderOptions options,
        Func<string, ErrorBody>? errorParser = null,
        IReadOnlyList<string?>? secrets = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        request.Headers.UserAgent.TryParseAdd(UserAgent);

        using var timeout = new CancellationTokenSource(options.RequestTimeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(
                providerId,
                $"No response from '{providerId}' within {Seconds(options.RequestTimeout)} (setting 'requestTimeoutMs'). "
                + "A large local model may need longer to load: raise 'requestTimeoutMs'.",
                HttpStatusCode.RequestTimeout,
                isRetryable: true,
                innerException: ex)
            { ErrorType = "request_timeout" };
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(
                providerId,
                $"Could not reach '{providerId}' at {request.RequestUri?.GetLeftPart(UriPartial.Authority)}: {Redact(ex.Message, secrets)}. "
                + "Check the base URL, that the server is running, and the network or proxy.",
                ex.StatusCode,
                isRetryable: ex.StatusCode is null || RetryClassifier.IsTransientStatus((int)ex.StatusCode),
                innerException: ex)
            { ErrorType = "connection_error" };
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorFromResponseAsync(providerId, response, options.TimeProvider, errorParser, secrets, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Builds the <see cref="ProviderException"/> for an error response: status, the provider's type and message, the requested wait.</summary>
    public static async Task<ProviderException> ErrorFromResponseAsync(
        string providerId,
        HttpResponseMessage response,
        TimeProvider timeProvider,
        Func<string, ErrorBody>? errorParser = null,
        IReadOnlyList<string?>? secrets = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(timeProvider);
        string body;
        try
        {
            body = await ReadBoundedAsync(response.Content, 64 * 1024, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            body = "";
        }

        var error = (errorParser ?? ErrorBody.Parse)(body);
        var status = (int)response.StatusCode;
        var retryAfter = RetryAfter.FromHeaders(response.Headers, timeProvider.GetUtcNow());
        var detail = (error.Message ?? (body.Length > 0 ? Truncate(body, 300) : response.ReasonPhrase ?? "no details")).TrimEnd().TrimEnd('.');
        var message = $"'{providerId}' answered {status} {response.ReasonPhrase}"
            + (error.Type is null ? "" : $" ({error.Type})")
            + $": {Redact(detail, secrets)}. {Advice(status, providerId)}";
        var retryable = error.Retryable ?? RetryClassifier.IsTransientStatus(status);
        return new ProviderException(providerId, message.TrimEnd(), response.StatusCode, retryable, retryAfter) { ErrorType = error.Type };
    }

    /// <summary>Replaces each secret in <paramref name="text"/> with <c>[redacted]</c>.</summary>
    public static string Redact(string text, IReadOnlyList<string?>? secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (secrets is null)
        {
            return text;
        }

        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
            {
                text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>Sets <c>Authorization: Bearer</c>.</summary>
    public static void SetBearer(HttpRequestMessage request, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    /// <summary>Adds custom headers without validation (providers accept headers .NET would reject).</summary>
    public static void AddHeaders(HttpRequestMessage request, IEnumerable<KeyValuePair<string, string>>? headers)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (headers is null)
        {
            return;
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    internal static string Seconds(TimeSpan span) => span.TotalSeconds < 120 ? $"{span.TotalSeconds:0.###} s" : $"{span.TotalMinutes:0.#} min";

    private static string Advice(int status, string providerId) => status switch
    {
        401 => "Check the API key setting for this provider.",
        403 => "The key is valid but not allowed to do this: check its permissions and the model's access.",
        404 => "Check the model id and the base URL.",
        402 => "The account has no credit left: add credit, then retry.",
        429 => "Rate limited: wait, lower the request rate, or raise the account's limits.",
        413 => "The request is too large: shorten the conversation.",
        >= 500 => $"'{providerId}' had a server error; retrying later usually works.",
        _ => "",
    };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    private static async Task<string> ReadBoundedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[maxBytes];
        var total = 0;
        int read;
        while (total < maxBytes && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }
}

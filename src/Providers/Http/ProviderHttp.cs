using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;

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
    /// process-wide client over a pooled <see cref="SocketsHttpHandler"/> (keep-alive, HTTP/2 when offered, system proxy,
    /// no automatic redirects).
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
        // Added as text: a constant needs no parsing into product tokens on every request, nor printing back when
        // NoteSecrets reads the headers.
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        CheckOptions(options, providerId);
        NoteSecrets(request, options, secrets, providerId);
        var redactor = options.Secrets;

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
                $"Could not reach '{providerId}' at {Origin(request.RequestUri)}: {ServerText.Clean(ex.Message.TrimEnd('.'), redactor)}. "
                + "Check the base URL, that the server is running, and the network or proxy.",
                ex.StatusCode,
                isRetryable: ex.StatusCode is null || RetryClassifier.IsTransientStatus((int)ex.StatusCode),
                innerException: ex)
            { ErrorType = "connection_error" };
        }

        if (response.IsSuccessStatusCode && !IsNotAStream(request, response))
        {
            return response;
        }

        using (response)
        {
            // The error body is read within what is left of the request timeout: a body that never ends cannot hang the call.
            throw await ErrorFromResponseAsync(providerId, response, options, errorParser, linked.Token, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a whole (non-streaming) success body, bounded by <see cref="ProviderOptions.MaxResponseBytes"/> and by <paramref name="timeout"/>.</summary>
    /// <returns>The bytes of the body.</returns>
    public static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, string providerId, ProviderOptions options, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(options);
        using var timer = new CancellationTokenSource(timeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                var chunk = new byte[16 * 1024];
                int read;
                while ((read = await stream.ReadAsync(chunk, linked.Token).ConfigureAwait(false)) > 0)
                {
                    // A whole body is held in one array, so it cannot pass Array.MaxLength whatever 'maxResponseBytes' allows.
                    if (buffer.Length + read > Math.Min(options.MaxResponseBytes, Array.MaxLength))
                    {
                        throw new ProviderException(
                            providerId,
                            $"The '{providerId}' server sent a response longer than {Math.Min(options.MaxResponseBytes, Array.MaxLength)} bytes (setting 'maxResponseBytes'), so it was abandoned.",
                            isRetryable: false)
                        { ErrorType = "response_too_large" };
                    }

                    buffer.Write(chunk, 0, read);
                }

                return buffer.ToArray();
            }
        }
        catch (OperationCanceledException ex) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(
                providerId,
                $"The '{providerId}' response body did not arrive within {Seconds(timeout)}.",
                HttpStatusCode.RequestTimeout,
                isRetryable: true,
                innerException: ex)
            { ErrorType = "body_timeout" };
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or System.IO.InvalidDataException && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(
                providerId,
                $"The '{providerId}' response body could not be read: {ServerText.Clean(ex.Message, options.Secrets)}",
                isRetryable: true,
                innerException: ex)
            { ErrorType = "connection_error" };
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
        ArgumentNullException.ThrowIfNull(timeProvider);
        var options = new DetachedOptions { TimeProvider = timeProvider };
        foreach (var secret in secrets ?? [])
        {
            options.Secrets.Add(secret);
        }

        return await ErrorFromResponseAsync(providerId, response, options, errorParser, cancellationToken, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ProviderException> ErrorFromResponseAsync(
        string providerId,
        HttpResponseMessage response,
        ProviderOptions options,
        Func<string, ErrorBody>? errorParser,
        CancellationToken readToken,
        CancellationToken callerToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        string body;
        try
        {
            body = await ReadBoundedAsync(response.Content, Math.Max(0, options.MaxErrorBodyBytes), readToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !callerToken.IsCancellationRequested)
        {
            // A body that breaks off, stalls past the request timeout or does not decompress still leaves the status to report.
            body = "";
        }

        var redactor = options.Secrets;
        var status = (int)response.StatusCode;
        var error = ParseError(errorParser, body);
        if (error.Type is null && HeaderErrorType(response) is { } headerType)
        {
            error = error with { Type = headerType };
        }

        var retryAfter = RetryAfter.FromHeaders(response.Headers, options.TimeProvider.GetUtcNow());
        // Server text: redacted whole, then neutralised and cut (ServerText); the type reduced to a token.
        var reason = ServerText.Clean(response.ReasonPhrase?.Trim(), redactor, 100);
        var errorType = error.Type is null ? null : ServerText.ErrorTypeToken(redactor.Redact(error.Type));
        var detail = ServerText.Clean((error.Message ?? (body.Length > 0 ? body : reason.Length > 0 ? reason : "no details")).Trim(), redactor).TrimEnd('.');
        if (status is >= 200 and < 300)
        {
            detail = $"a {response.Content.Headers.ContentType?.MediaType ?? "untyped"} body instead of a stream ({detail})";
        }

        // The message names the type as the server spelled it (to search its docs by); ErrorType holds the token.
        var message = $"'{providerId}' answered {status} {reason}"
            + (error.Type is null ? "" : $" ({ServerText.Clean(error.Type.Trim(), redactor, 100)})")
            + $": {detail}. {Advice(status, providerId, response.Headers.Location)}";
        var retryable = status is >= 200 and < 400 ? false : error.Retryable ?? RetryClassifier.IsTransientStatus(status);
        return new ProviderException(providerId, message.TrimEnd(), response.StatusCode, retryable, retryAfter) { ErrorType = errorType };
    }

    /// <summary>Replaces each secret in <paramref name="text"/>, and each prefix of 8 or more characters of one, with <c>[redacted]</c>, ignoring case.</summary>
    public static string Redact(string text, IReadOnlyList<string?>? secrets) => SecretRedactor.Redact(text, secrets);

    /// <summary>
    /// Rejects header values that would split the request (CR, LF or another control character), and records every
    /// credential the request carries (header values other than the protocol's own, the URL's user information) as a
    /// secret of <paramref name="options"/>, so that whatever the server echoes is redacted.
    /// </summary>
    private static void NoteSecrets(HttpRequestMessage request, ProviderOptions options, IReadOnlyList<string?>? secrets, string providerId)
    {
        var redactor = options.Secrets;
        foreach (var secret in secrets ?? [])
        {
            redactor.Add(secret);
        }

        redactor.AddUserInfo(request.RequestUri);
        foreach (var (name, values) in request.Headers.NonValidated)
        {
            foreach (var value in values)
            {
                if (HasControl(value))
                {
                    throw new ProviderConfigurationException(providerId, [new SettingProblem("header " + name, ControlCharacterProblem)]);
                }

                // Short values ("true", "1") are not credentials, and blanking them everywhere would garble messages.
                // A SigV4 Authorization holds a per-request signature and the key id's scope, no credential (Bedrock
                // passes its secret key and session token itself); recorded, it would blank AWS's signing errors.
                if (value.Length >= SecretRedactor.MinimumPrefixLength && !NonSecretHeaders.Contains(name)
                    && !value.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
                {
                    redactor.Add(value);
                    if (value.IndexOf(' ', StringComparison.Ordinal) is var space and > 0)
                    {
                        // "Bearer sk-...": the credential after the scheme.
                        redactor.Add(value[(space + 1)..]);
                    }
                }
            }
        }
    }

    private const string ControlCharacterProblem =
        "the value contains a line break or another control character, which would let it inject headers; check the key or header setting it comes from";

    /// <summary>
    /// The checks settings binding makes, repeated for options set in code, so that an out-of-range timeout or limit is a
    /// configuration error naming its setting, not an exception from a timer at the first request.
    /// </summary>
    private static void CheckOptions(ProviderOptions options, string providerId)
    {
        List<SettingProblem>? problems = null;
        CheckDuration(options.RequestTimeout, "requestTimeoutMs", ref problems);
        CheckDuration(options.StreamIdleTimeout, "streamIdleTimeoutMs", ref problems);
        CheckDuration(options.RetryAfterCeiling, "retryAfterCeilingMs", ref problems);
        if (options.MaxEventBytes <= 0)
        {
            (problems ??= []).Add(new SettingProblem("maxEventBytes", $"must be a positive number of bytes, not {options.MaxEventBytes}"));
        }

        if (options.MaxResponseBytes <= 0)
        {
            (problems ??= []).Add(new SettingProblem("maxResponseBytes", $"must be a positive number of bytes, not {options.MaxResponseBytes}"));
        }

        if (options.MaxErrorBodyBytes < 0)
        {
            (problems ??= []).Add(new SettingProblem("maxErrorBodyBytes", $"must be zero or a positive number of bytes, not {options.MaxErrorBodyBytes}"));
        }

        if (problems is not null)
        {
            throw new ProviderConfigurationException(providerId, problems);
        }
    }

    private static void CheckDuration(TimeSpan value, string key, ref List<SettingProblem>? problems)
    {
        if (value != Timeout.InfiniteTimeSpan && (value < TimeSpan.FromMilliseconds(1) || value.TotalMilliseconds > uint.MaxValue - 1))
        {
            (problems ??= []).Add(new SettingProblem(key, $"must be from 1 to {uint.MaxValue - 1} ms (about 49 days), or infinite; not {value.TotalMilliseconds:0.###} ms"));
        }
    }

    private static bool HasControl(string value)
    {
        foreach (var c in value)
        {
            if ((c < ' ' && c != '\t') || c == '\u007f')
            {
                return true;
            }
        }

        return false;
    }

    private static readonly HashSet<string> NonSecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "anthropic-version", "anthropic-beta", "OpenAI-Beta", "Connection", "HTTP-Referer", "X-Title",
        "X-Amz-Date", "X-Amz-Content-Sha256",
    };

    /// <summary>A success whose body is an error page or a JSON error although a stream was asked for (a gateway's answer).</summary>
    /// <summary>Marks a request whose answer must be a stream although it sends no <c>Accept</c> saying so (Bedrock's event stream).</summary>
    internal static readonly HttpRequestOptionsKey<bool> ExpectsStream = new("Providers.ExpectsStream");

    /// <summary>Names a response header that carries the error type when the body does not (AWS's <c>x-amzn-ErrorType</c>).</summary>
    internal static readonly HttpRequestOptionsKey<string> ErrorTypeHeader = new("Providers.ErrorTypeHeader");

    // The value may carry a URL after a colon ("ThrottlingException:http://internal.amazon.com/coral/..."): the type is before it.
    private static string? HeaderErrorType(HttpResponseMessage response)
    {
        if (response.RequestMessage?.Options.TryGetValue(ErrorTypeHeader, out var name) != true
            || !response.Headers.TryGetValues(name!, out var values) || values.FirstOrDefault() is not { Length: > 0 } value)
        {
            return null;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var type = (colon > 0 ? value[..colon] : value).Trim();
        return type.Length > 0 ? type : null;
    }

    private static bool IsNotAStream(HttpRequestMessage request, HttpResponseMessage response)
    {
        // The response's type first: a stream's answers (nearly all) are told without parsing the request's Accept.
        return response.Content.Headers.ContentType?.MediaType is "text/html" or "application/json" or "application/problem+json"
            && (request.Headers.Accept.Any(a => a.MediaType is "text/event-stream" or "application/x-ndjson")
                || (request.Options.TryGetValue(ExpectsStream, out var expects) && expects));
    }

    private static ErrorBody ParseError(Func<string, ErrorBody>? errorParser, string body)
    {
        try
        {
            return (errorParser ?? ErrorBody.Parse)(body);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            return default;
        }
    }

    private static string Describe(Uri location) =>
        location.IsAbsoluteUri ? Origin(location) + location.AbsolutePath : ServerText.Clean(location.OriginalString.Split('?')[0], null, 200);

    private static string Origin(Uri? uri) => uri is { IsAbsoluteUri: true } ? uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) : "an unknown address";

    /// <summary>
    /// A POST of <paramref name="jsonBody"/> (<c>Content-Type: application/json</c>) that asks for a stream
    /// (<c>Accept: </c><paramref name="accept"/>, <c>text/event-stream</c> or <c>application/x-ndjson</c>): the request
    /// every streaming provider sends. Both headers go in as text, as they are written on the wire: a constant needs no
    /// parsing into header objects nor printing back on every request.
    /// </summary>
    /// <param name="url">Where the request goes.</param>
    /// <param name="jsonBody">The JSON body, UTF-8.</param>
    /// <param name="accept">The stream's media type.</param>
    public static HttpRequestMessage JsonStreamPost(Uri url, byte[] jsonBody, string accept = "text/event-stream")
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(jsonBody);
        ArgumentException.ThrowIfNullOrWhiteSpace(accept);
        var content = new ByteArrayContent(jsonBody);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return request;
    }

    /// <summary>Sets <c>Authorization: Bearer</c>.</summary>
    public static void SetBearer(HttpRequestMessage request, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(apiKey))
        {
            if (HasControl(apiKey))
            {
                // Checked here as well as at binding: options can be set in code.
                throw new ProviderConfigurationException("http", [new SettingProblem("header Authorization", ControlCharacterProblem)]);
            }

            // As text, the value the header would print: no header object to build and print back for NoteSecrets.
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + apiKey);
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

    private static string Advice(int status, string providerId, Uri? location) => status switch
    {
        >= 300 and < 400 => $"It redirected{(location is null ? "" : " to " + Describe(location))}; API calls do not follow redirects, "
            + "so credentials never reach another address: set the base URL to the final address.",
        >= 200 and < 300 => "A gateway or proxy probably answered instead of the provider: check the base URL.",
        401 => "Check the API key setting for this provider.",
        403 => "The key is valid but not allowed to do this: check its permissions and the model's access.",
        404 => "Check the model id and the base URL.",
        402 => "The account has no credit left: add credit, then retry.",
        429 => "Rate limited: wait, lower the request rate, or raise the account's limits.",
        413 => "The request is too large: shorten the conversation.",
        >= 500 => $"'{providerId}' had a server error; retrying later usually works.",
        _ => "",
    };

    private sealed class DetachedOptions : ProviderOptions;

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

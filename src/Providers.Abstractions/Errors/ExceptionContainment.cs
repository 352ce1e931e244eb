namespace Providers;

/// <summary>
/// The containment rule at the edge of every generated provider method: whatever a server sends, the caller sees
/// chunks and then either completion, a <see cref="ProviderException"/>, or an <see cref="OperationCanceledException"/>
/// for its own token. Anything else that escapes a provider is wrapped here, and every exception that leaves gets
/// the provider's secrets attached so its message, <see cref="Exception.ToString"/> and error type are redacted.
/// </summary>
/// <remarks>
/// An <see cref="ArgumentException"/> that names a parameter passes through unchanged: it is the caller's mistake
/// (a null argument, an override the model cannot take), found before anything was sent. One without a parameter name
/// (a duplicate dictionary key, a decoder fallback) comes from the data and is wrapped.
/// </remarks>
internal static class ExceptionContainment
{
    /// <summary>The exception to surface for <paramref name="exception"/>, raised by a provider method before any output.</summary>
    public static Exception Contain(Exception exception, string providerId, ProviderOptions? options, CancellationToken callerToken)
    {
        switch (exception)
        {
            case ProviderException provider:
                Attach(provider, options);
                return provider;
            // The caller's own cancellation, or a handler's Abort() (its token cancelled, no timeout behind it).
            case OperationCanceledException when RetryClassifier.IsCancellation(exception, callerToken):
            case ArgumentException { ParamName: not null }:
                return exception;
            default:
                return Wrap(exception, providerId, options);
        }
    }

    /// <summary>A <see cref="ProviderException"/> for any failure (after output, even a caller-looking one came from the data).</summary>
    public static ProviderException ToProviderException(Exception exception, string providerId, ProviderOptions? options)
    {
        if (exception is ProviderException provider)
        {
            Attach(provider, options);
            return provider;
        }

        return Wrap(exception, providerId, options);
    }

    private static ProviderException Wrap(Exception exception, string providerId, ProviderOptions? options)
    {
        var wrapped = exception is OperationCanceledException
            ? new ProviderException(
                providerId,
                $"The request to '{providerId}' was cancelled by the HTTP client, not by the caller (an HttpClient.Timeout, say). Raise that timeout or leave it infinite and use 'requestTimeoutMs'.",
                isRetryable: true,
                innerException: exception)
            { ErrorType = "timeout" }
            : new ProviderException(
                providerId,
                $"The '{providerId}' server sent a response this client could not read ({exception.GetType().Name}: {ServerText.Clean(exception.Message.TrimEnd('.'))}). "
                + "The server, or a proxy in between, sent something other than the provider's documented format.",
                isRetryable: false,
                innerException: exception)
            { ErrorType = "malformed_response" };
        Attach(wrapped, options);
        return wrapped;
    }

    /// <summary>Gives <paramref name="exception"/>, when it is a <see cref="ProviderException"/>, the secrets of <paramref name="options"/> to redact.</summary>
    public static void Attach(Exception exception, ProviderOptions? options)
    {
        if (options is not null && exception is ProviderException { Secrets: null } provider)
        {
            provider.Secrets = options.Secrets;
        }
    }

    private static void Attach(ProviderException exception, ProviderOptions? options)
    {
        if (options is not null && exception.Secrets is null)
        {
            exception.Secrets = options.Secrets;
        }
    }
}

namespace Providers;

/// <summary>Decides which failures a retry may cure. The rules behind <see cref="WithRetryAttribute"/>.</summary>
public static class RetryClassifier
{
    /// <summary>Statuses that are retried: 408, 409, 429, 500, 502, 503, 504 and Anthropic's 529 (overloaded).</summary>
    public static bool IsTransientStatus(int status) => status is 408 or 409 or 429 or 500 or 502 or 503 or 504 or 529;

    /// <summary>Statuses that are never retried, even with <see cref="WithRetryAttribute.RetryAllErrors"/>: 400, 401, 403, 404, 422.</summary>
    public static bool IsPermanentStatus(int status) => status is 400 or 401 or 403 or 404 or 422;

    /// <summary>
    /// Whether <paramref name="exception"/> is a cancellation rather than a failure: the caller's token was cancelled, or
    /// the exception's own token was and no timeout caused it (a handler's <see cref="IApiHandler.Abort"/>). Cancellations
    /// are never retried and pass through as they are.
    /// </summary>
    public static bool IsCancellation(Exception exception, CancellationToken callerToken) =>
        exception is OperationCanceledException canceled
        && (callerToken.IsCancellationRequested
            || (canceled.CancellationToken.IsCancellationRequested && canceled.InnerException is not TimeoutException));

    /// <summary>Whether <paramref name="exception"/> should be retried.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="retryAllErrors">Retry anything that is not permanent.</param>
    /// <param name="callerToken">The caller's token: its cancellation is never retried.</param>
    public static bool ShouldRetry(Exception exception, bool retryAllErrors, CancellationToken callerToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (IsCancellation(exception, callerToken))
        {
            return false;
        }

        if (exception is ProviderException { OutputStarted: true } or ProviderConfigurationException or RetryWaitTooLongException)
        {
            return false;
        }

        if (exception is ProviderException provider)
        {
            // IsRetryable already reflects the status unless the provider knew better (an overloaded error event, say).
            if (provider.IsRetryable)
            {
                return true;
            }

            // A redirect, or a success that was not the stream asked for, answers the same way next time.
            return retryAllErrors && !(provider.StatusCode is { } status && (IsPermanentStatus((int)status) || (int)status < 400));
        }

        if (exception is HttpRequestException { StatusCode: { } httpStatus })
        {
            return IsTransientStatus((int)httpStatus) || (retryAllErrors && !IsPermanentStatus((int)httpStatus));
        }

        // A connection that failed before any response (refused, reset, DNS) carries no status.
        if (exception is HttpRequestException { StatusCode: null })
        {
            return true;
        }

        return retryAllErrors;
    }
}

namespace Providers.Http;

/// <summary>
/// The requests a handler has in flight, so that <see cref="IApiHandler.Abort"/> can cancel them: each request runs on
/// a token linked to its caller's, and <see cref="AbortAll"/> cancels every one still running. An aborted request ends
/// with <see cref="OperationCanceledException"/> and is not retried.
/// </summary>
internal sealed class InFlightRequests
{
    private readonly HashSet<CancellationTokenSource> _running = [];

    /// <summary>Registers a request; dispose the result when it ends. Its <see cref="Lease.Token"/> replaces the caller's.</summary>
    public Lease Begin(CancellationToken callerToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        lock (_running)
        {
            _running.Add(source);
        }

        return new Lease(this, source);
    }

    /// <summary>How many requests are registered (for tests: a stream releases its registration when it is disposed).</summary>
    internal int Count
    {
        get
        {
            lock (_running)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>Cancels every request in flight.</summary>
    public void AbortAll()
    {
        CancellationTokenSource[] running;
        lock (_running)
        {
            running = [.. _running];
        }

        foreach (var source in running)
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It ended meanwhile.
            }
        }
    }

    private void End(CancellationTokenSource source)
    {
        lock (_running)
        {
            _running.Remove(source);
        }

        source.Dispose();
    }

    /// <summary>One request in flight.</summary>
    internal readonly struct Lease(InFlightRequests owner, CancellationTokenSource source) : IDisposable
    {
        /// <summary>The caller's token, also cancelled by <see cref="AbortAll"/>.</summary>
        public CancellationToken Token => source.Token;

        public void Dispose() => owner.End(source);
    }
}

namespace Providers.Http;

/// <summary>What a streaming call sends and how it reads the answer; a provider makes one when the call starts.</summary>
/// <param name="message">The request; the call disposes it.</param>
/// <param name="providerId">The provider id errors name.</param>
/// <param name="options">The options the request is sent with (client, timeouts, limits).</param>
/// <param name="secrets">Values blanked out of every error message.</param>
/// <param name="read">Reads the body (after <see cref="WrapBody"/>) into chunks, on the call's token; <see langword="null"/> for a
/// request whose caller sends it with <see cref="HttpStreamExchange"/> and reads the body itself.</param>
internal sealed class HttpStreamRequest(
    HttpRequestMessage message,
    string providerId,
    ProviderOptions options,
    IReadOnlyList<string?> secrets,
    Func<Stream, CancellationToken, IAsyncEnumerable<ApiStreamChunk>>? read)
{
    public HttpRequestMessage Message { get; } = message;

    public string ProviderId { get; } = providerId;

    public ProviderOptions Options { get; } = options;

    public IReadOnlyList<string?> Secrets { get; } = secrets;

    public Func<Stream, CancellationToken, IAsyncEnumerable<ApiStreamChunk>>? Read { get; } = read;

    /// <summary>Turns an error response's body into the error; <see langword="null"/> for <see cref="ErrorBody.Parse"/>.</summary>
    public Func<string, ErrorBody>? ParseError { get; init; }

    /// <summary>A replacement for the error a failed send raised (a wait read from the body); <see langword="null"/> keeps it.</summary>
    public Func<ProviderException, ProviderException?>? ReplaceError { get; init; }

    /// <summary>A view of the body that the reader gets instead of the body itself; the call disposes the view.</summary>
    public Func<Stream, Stream>? WrapBody { get; init; }
}

/// <summary>
/// One streaming call of a provider as an enumerable that holds everything the call owns: the in-flight registration
/// that lets <see cref="IApiHandler.Abort"/> cancel it, the request, the response and its body. Once the body's reader
/// has started, the enumerator hands the reader's <c>MoveNextAsync</c> straight through, so a chunk costs no state
/// machine of this layer nor of the handler (whose <c>CreateMessageCoreAsync</c> returns this instead of iterating).
/// </summary>
/// <remarks>
/// The call starts at the first <c>MoveNextAsync</c>, as an iterator's body would: the registration is taken, the
/// request prepared and sent, and the body opened then. Everything is released when the enumerator is disposed (which
/// <c>await foreach</c> and the retry do at the end, on an early break, after an exception and after a cancellation),
/// inner parts first: the reader, the body, the response, the request, then the registration.
/// </remarks>
internal static class HttpStreamCall
{
    /// <summary>
    /// Registers the call with <paramref name="inFlight"/>, then runs <paramref name="prepare"/> on the registration's
    /// token (which the caller's token and <see cref="InFlightRequests.AbortAll"/> both cancel), sends its request and
    /// reads the body with its reader.
    /// </summary>
    public static IAsyncEnumerable<ApiStreamChunk> Run(
        InFlightRequests inFlight, Func<CancellationToken, ValueTask<HttpStreamRequest>> prepare, CancellationToken cancellationToken) =>
        new Call(inFlight, prepare, null, null, cancellationToken);

    /// <summary>Sends <paramref name="request"/> and reads the body with its reader, without a registration of its own.</summary>
    public static IAsyncEnumerable<ApiStreamChunk> Send(HttpStreamRequest request, CancellationToken cancellationToken) =>
        new Call(null, null, request, null, cancellationToken);

    /// <summary>
    /// Registers the call with <paramref name="inFlight"/> and streams what <paramref name="open"/> returns for the
    /// registration's token: for a call whose shape does not fit one request (a sign-in that may be refreshed and sent again).
    /// </summary>
    public static IAsyncEnumerable<ApiStreamChunk> Hold(
        InFlightRequests inFlight, Func<CancellationToken, IAsyncEnumerable<ApiStreamChunk>> open, CancellationToken cancellationToken) =>
        new Call(inFlight, null, null, open, cancellationToken);

    /// <summary>
    /// Registers the call with <paramref name="inFlight"/> and streams what <paramref name="openAsync"/> returns for the
    /// registration's token: for a call that must finish work of its own before it knows what to send (a deployment
    /// lookup, a choice between endpoints); the work runs at the first <c>MoveNextAsync</c>, once per call.
    /// </summary>
    /// <param name="inFlight">The handler's registry.</param>
    /// <param name="openAsync">Does the work and returns the stream (usually <see cref="Send"/> of a request).</param>
    /// <param name="startFailed">Sees a <see cref="ProviderException"/> that the stream's first <c>MoveNextAsync</c> throws (a refused token to forget); it is rethrown as is.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public static IAsyncEnumerable<ApiStreamChunk> Defer(
        InFlightRequests inFlight,
        Func<CancellationToken, ValueTask<IAsyncEnumerable<ApiStreamChunk>>> openAsync,
        Action<ProviderException>? startFailed,
        CancellationToken cancellationToken) =>
        new Call(inFlight, null, null, null, cancellationToken) { OpenAsync = openAsync, StartFailed = startFailed };

    /// <summary>
    /// Streams the enumerator <paramref name="startAsync"/> returns, already moved to its first chunk (with whether there
    /// was one): for a call that must see how its stream starts before it hands it out (a refused sign-in to send again).
    /// <paramref name="startAsync"/> runs at the first <c>MoveNextAsync</c>, once, on the call's token, without a
    /// registration of its own; it disposes what it started if it throws. The call disposes the enumerator it returned.
    /// </summary>
    public static IAsyncEnumerable<ApiStreamChunk> Started(
        Func<CancellationToken, ValueTask<(IAsyncEnumerator<ApiStreamChunk> Stream, bool HasFirst)>> startAsync, CancellationToken cancellationToken) =>
        new Call(null, null, null, null, cancellationToken) { StartedAsync = startAsync };

    /// <summary>
    /// The token a hand-written enumerator runs on: the one given to the call and the one given to
    /// <c>GetAsyncEnumerator</c> (<c>WithCancellation</c>) both cancel; <paramref name="linked"/> is the source to dispose, if one was needed.
    /// </summary>
    internal static CancellationToken Combine(CancellationToken callToken, CancellationToken enumeratorToken, out CancellationTokenSource? linked)
    {
        linked = null;
        if (!enumeratorToken.CanBeCanceled || enumeratorToken == callToken)
        {
            return callToken;
        }

        if (!callToken.CanBeCanceled)
        {
            return enumeratorToken;
        }

        linked = CancellationTokenSource.CreateLinkedTokenSource(callToken, enumeratorToken);
        return linked.Token;
    }

    private sealed class Call(
        InFlightRequests? inFlight,
        Func<CancellationToken, ValueTask<HttpStreamRequest>>? prepare,
        HttpStreamRequest? request,
        Func<CancellationToken, IAsyncEnumerable<ApiStreamChunk>>? open,
        CancellationToken token) : IAsyncEnumerable<ApiStreamChunk>
    {
        public Func<CancellationToken, ValueTask<IAsyncEnumerable<ApiStreamChunk>>>? OpenAsync { get; init; }

        public Action<ProviderException>? StartFailed { get; init; }

        public Func<CancellationToken, ValueTask<(IAsyncEnumerator<ApiStreamChunk> Stream, bool HasFirst)>>? StartedAsync { get; init; }

        public InFlightRequests? InFlight { get; } = inFlight;

        public Func<CancellationToken, ValueTask<HttpStreamRequest>>? Prepare { get; } = prepare;

        public HttpStreamRequest? Request { get; } = request;

        public Func<CancellationToken, IAsyncEnumerable<ApiStreamChunk>>? Open { get; } = open;

        public IAsyncEnumerator<ApiStreamChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            var combined = Combine(token, cancellationToken, out var linked);
            return new Enumerator(this, combined, linked);
        }
    }

    private sealed class Enumerator(Call call, CancellationToken cancellationToken, CancellationTokenSource? linked) : IAsyncEnumerator<ApiStreamChunk>
    {
        private readonly HttpStreamExchange _exchange = new(call.Request);
        private bool _started;
        private IAsyncEnumerator<ApiStreamChunk>? _inner;

        public ApiStreamChunk Current => _inner is null ? default! : _inner.Current;

        public ValueTask<bool> MoveNextAsync() => _inner is not null ? _inner.MoveNextAsync() : StartAsync();

        private async ValueTask<bool> StartAsync()
        {
            // A call that failed to start has ended, as an iterator that threw has.
            if (_started)
            {
                return false;
            }

            _started = true;
            var token = _exchange.Register(call.InFlight, cancellationToken);
            if (call.Open is { } open)
            {
                _inner = open(token).GetAsyncEnumerator(token);
                return await _inner.MoveNextAsync().ConfigureAwait(false);
            }

            if (call.StartedAsync is { } startedAsync)
            {
                (_inner, var hasFirst) = await startedAsync(token).ConfigureAwait(false);
                return hasFirst;
            }

            if (call.OpenAsync is { } openAsync)
            {
                _inner = (await openAsync(token).ConfigureAwait(false)).GetAsyncEnumerator(token);
                try
                {
                    return await _inner.MoveNextAsync().ConfigureAwait(false);
                }
                catch (ProviderException ex) when (call.StartFailed is { } startFailed)
                {
                    startFailed(ex);
                    throw;
                }
            }

            var request = call.Request ?? await _exchange.PrepareAsync(call.Prepare!, token).ConfigureAwait(false);
            var body = await _exchange.SendAsync(request, token).ConfigureAwait(false);
            var read = request.Read ?? throw new InvalidOperationException("A request sent by HttpStreamCall needs a reader of its body.");
            _inner = read(body, token).GetAsyncEnumerator(token);
            return await _inner.MoveNextAsync().ConfigureAwait(false);
        }

        public ValueTask DisposeAsync() => _exchange.DisposeAsync(_inner, linked);
    }
}

/// <summary>
/// What one streaming call holds once it starts, and releases in order when it ends: the body, the response, the
/// request, then the in-flight registration. <see cref="HttpStreamCall"/>'s enumerator uses one; so does a provider's
/// own enumerator that sends its request and reads the body itself, so that each chunk passes through no enumerator
/// of <see cref="HttpStreamCall"/> between the reader and the caller.
/// </summary>
internal sealed class HttpStreamExchange(HttpStreamRequest? request)
{
    private InFlightRequests.Lease _lease;
    private bool _leased;
    private HttpStreamRequest? _request = request;
    private HttpResponseMessage? _response;
    private Stream? _body;

    /// <summary>
    /// Registers the call with <paramref name="inFlight"/>, when given, and returns the registration's token (which
    /// <paramref name="token"/> and <see cref="InFlightRequests.AbortAll"/> both cancel); else <paramref name="token"/>.
    /// </summary>
    public CancellationToken Register(InFlightRequests? inFlight, CancellationToken token)
    {
        if (inFlight is null)
        {
            return token;
        }

        _lease = inFlight.Begin(token);
        _leased = true;
        return _lease.Token;
    }

    /// <summary>Runs <paramref name="prepare"/> on <paramref name="token"/>; the request it returns is disposed with this.</summary>
    public async ValueTask<HttpStreamRequest> PrepareAsync(Func<CancellationToken, ValueTask<HttpStreamRequest>> prepare, CancellationToken token) =>
        _request = await prepare(token).ConfigureAwait(false);

    /// <summary>
    /// Sends <paramref name="request"/> and opens the body (as <see cref="HttpStreamRequest.WrapBody"/> views it); the
    /// request, the response and the body are disposed with this.
    /// </summary>
    /// <exception cref="ProviderException">The send failed or the server answered with an error.</exception>
    public async ValueTask<Stream> SendAsync(HttpStreamRequest request, CancellationToken token)
    {
        _request = request;
        try
        {
            _response = await ProviderHttp.SendAsync(
                ProviderHttp.ClientFor(request.Options), request.Message, request.ProviderId, request.Options, request.ParseError, request.Secrets, token).ConfigureAwait(false);
        }
        catch (ProviderException ex) when (request.ReplaceError?.Invoke(ex) is { } replaced)
        {
            throw replaced;
        }

        var body = await _response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        _body = request.WrapBody is { } wrap ? wrap(body) : body;
        return _body;
    }

    /// <summary>
    /// Releases what the call holds, inner parts first: <paramref name="reader"/> (the reader of the body, if it started),
    /// the body, the response, the request, the registration, then <paramref name="linked"/> (the source of the call's token, if one was made).
    /// </summary>
    public async ValueTask DisposeAsync(IAsyncDisposable? reader, CancellationTokenSource? linked)
    {
        try
        {
            try
            {
                if (reader is not null)
                {
                    await reader.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                try
                {
                    if (_body is not null)
                    {
                        await _body.DisposeAsync().ConfigureAwait(false);
                    }
                }
                finally
                {
                    _response?.Dispose();
                    _request?.Message.Dispose();
                    if (_leased)
                    {
                        _leased = false;
                        _lease.Dispose();
                    }
                }
            }
        }
        finally
        {
            linked?.Dispose();
        }
    }
}

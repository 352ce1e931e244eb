using Providers.Http;
using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>Sends an OpenAI-shaped streaming request and reads its body: the plumbing every member of the family shares.</summary>
internal static class ChatCompletionsCall
{
    /// <summary>
    /// Sends <paramref name="request"/>, then yields what <paramref name="read"/> makes of the body. The request and the
    /// response live as long as the stream and are disposed with it.
    /// </summary>
    /// <remarks>
    /// Once the body is open, the enumerator hands the reader's <c>MoveNextAsync</c> straight through: a chunk costs no
    /// state machine of this layer.
    /// </remarks>
    public static IAsyncEnumerable<ApiStreamChunk> StreamAsync(
        HttpRequestMessage request,
        string providerId,
        ProviderOptions options,
        IReadOnlyList<string?> secrets,
        Func<Stream, IAsyncEnumerable<ApiStreamChunk>> read,
        CancellationToken cancellationToken) =>
        new Call(request, providerId, options, secrets, read, cancellationToken);

    private sealed class Call(
        HttpRequestMessage request,
        string providerId,
        ProviderOptions options,
        IReadOnlyList<string?> secrets,
        Func<Stream, IAsyncEnumerable<ApiStreamChunk>> read,
        CancellationToken token) : IAsyncEnumerable<ApiStreamChunk>
    {
        private HttpRequestMessage Request { get; } = request;

        private string ProviderId { get; } = providerId;

        private ProviderOptions Options { get; } = options;

        private IReadOnlyList<string?> Secrets { get; } = secrets;

        private Func<Stream, IAsyncEnumerable<ApiStreamChunk>> Read { get; } = read;

        public IAsyncEnumerator<ApiStreamChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            // The token given to StreamAsync and the one given here (WithCancellation) both cancel.
            if (!cancellationToken.CanBeCanceled || cancellationToken == token)
            {
                return new Enumerator(this, token, linked: null);
            }

            if (!token.CanBeCanceled)
            {
                return new Enumerator(this, cancellationToken, linked: null);
            }

            var linked = CancellationTokenSource.CreateLinkedTokenSource(token, cancellationToken);
            return new Enumerator(this, linked.Token, linked);
        }

        private sealed class Enumerator(Call call, CancellationToken cancellationToken, CancellationTokenSource? linked) : IAsyncEnumerator<ApiStreamChunk>
        {
            private HttpResponseMessage? _response;
            private Stream? _stream;
            private IAsyncEnumerator<ApiStreamChunk>? _inner;

            public ApiStreamChunk Current => _inner is null ? default! : _inner.Current;

            public ValueTask<bool> MoveNextAsync() => _inner is null ? StartAsync() : _inner.MoveNextAsync();

            private async ValueTask<bool> StartAsync()
            {
                _response = await ProviderHttp.SendAsync(
                    ProviderHttp.ClientFor(call.Options), call.Request, call.ProviderId, call.Options, secrets: call.Secrets, cancellationToken: cancellationToken).ConfigureAwait(false);
                _stream = new LastEventCompletingStream(await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
                _inner = call.Read(_stream).GetAsyncEnumerator(cancellationToken);
                return await _inner.MoveNextAsync().ConfigureAwait(false);
            }

            public async ValueTask DisposeAsync()
            {
                try
                {
                    try
                    {
                        if (_inner is not null)
                        {
                            await _inner.DisposeAsync().ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        if (_stream is not null)
                        {
                            await _stream.DisposeAsync().ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    _response?.Dispose();
                    call.Request.Dispose();
                    linked?.Dispose();
                }
            }
        }
    }
}

using Providers.Http;

namespace Providers.Ollama;

/// <summary>
/// One <c>/api/chat</c> call and the chunks of its NDJSON body: per line its reasoning (<c>message.thinking</c>), its
/// text, its whole tool calls, and on the final <c>done</c> line the usage; then the stream ends without reading
/// further. A body that ends before a <c>done</c> line was cut off.
/// </summary>
/// <remarks>
/// Written by hand rather than as an iterator, and the call's enumerator itself rather than a reader inside
/// <see cref="HttpStreamCall"/>'s: the first <c>MoveNextAsync</c> registers the call, prepares, sends it and opens the
/// body through an <see cref="HttpStreamExchange"/>, as <see cref="HttpStreamCall.Run"/> would; after that a line
/// already in the reader's buffer is mapped inside <c>MoveNextAsync</c> with no state machine and no enumerator
/// between it and the caller, so a chunk costs the NDJSON reader's work and this mapping.
/// </remarks>
/// <param name="handler">The handler (its model info prices the usage).</param>
/// <param name="inFlight">The handler's registry, which <see cref="IApiHandler.Abort"/> cancels.</param>
/// <param name="prepare">The request, and the model it asks for (named by errors); run once, at the first <c>MoveNextAsync</c>.</param>
/// <param name="options">The options (limits, idle timeout).</param>
/// <param name="token">The caller's token.</param>
internal sealed class OllamaChunkStream(
    OllamaHandler handler, InFlightRequests inFlight, Func<(HttpStreamRequest Request, string Model)> prepare, OllamaOptions options, CancellationToken token)
    : IAsyncEnumerable<ApiStreamChunk>
{
    public IAsyncEnumerator<ApiStreamChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var combined = HttpStreamCall.Combine(token, cancellationToken, out var linked);
        return new Enumerator(handler, inFlight, prepare, options, combined, linked);
    }

    /// <summary>
    /// Takes the lines straight from <see cref="StreamReaders.NdjsonLines"/> and parses each with its one
    /// <see cref="OllamaChunkReader"/>: no line parser delegate, no enumerator of lines between the bytes and the chunks.
    /// </summary>
    private sealed class Enumerator(
        OllamaHandler handler,
        InFlightRequests inFlight,
        Func<(HttpStreamRequest Request, string Model)> prepare,
        OllamaOptions options,
        CancellationToken cancellationToken,
        CancellationTokenSource? linked)
        : IAsyncEnumerator<ApiStreamChunk>
    {
        private readonly HttpStreamExchange _exchange = new(request: null);
        private bool _started;
        private string _model = "";
        private IReadOnlyList<string?> _secrets = [];
        // One line reader per stream: a line's chunk is done with before the next line is parsed.
        private readonly OllamaChunkReader _reader = new();
        private StreamReaders.NdjsonLines? _lines;
        private OllamaChatChunk? _line;
        private Step _step;
        private int _toolCall;
        private int _toolCallCount;
        private bool _done;

        // What comes of a line, in this order; each step yields at most one chunk, tool calls one per call.
        private enum Step
        {
            Thinking,
            Content,
            ToolCalls,
            Usage,
        }

        public ApiStreamChunk Current { get; private set; } = null!;

        public ValueTask<bool> MoveNextAsync()
        {
            if (_lines is null)
            {
                return StartAsync();
            }

            try
            {
                var step = Advance();
                if (step >= 0)
                {
                    return new ValueTask<bool>(step > 0);
                }
            }
            catch (Exception ex)
            {
                return ValueTask.FromException<bool>(ex);
            }

            return ReadAsync();
        }

        public ValueTask DisposeAsync() => _exchange.DisposeAsync(_lines, linked);

        /// <summary>The first move: registers, prepares and sends the call, then reads up to its first chunk.</summary>
        private async ValueTask<bool> StartAsync()
        {
            // A call that failed to start has ended, as an iterator that threw has.
            if (_started)
            {
                return false;
            }

            _started = true;
            var token = _exchange.Register(inFlight, cancellationToken);
            var (request, model) = prepare();
            _model = model;
            _secrets = request.Secrets;
            var body = await _exchange.SendAsync(request, token).ConfigureAwait(false);
            _lines = new StreamReaders.NdjsonLines(body, OllamaHandler.ProviderId, options, token, linked: null);
            return await ReadAsync().ConfigureAwait(false);
        }

        private async ValueTask<bool> ReadAsync()
        {
            while (true)
            {
                if (!await _lines!.ReadAsync().ConfigureAwait(false))
                {
                    // The body ended before the done line.
                    throw OllamaHandler.CutOff();
                }

                var step = Advance();
                if (step >= 0)
                {
                    return step > 0;
                }
            }
        }

        /// <summary>
        /// The next chunk from the lines in the buffer: 1 when <see cref="Current"/> holds it, 0 when the stream is over
        /// (after the <c>done</c> line), -1 when the buffer has no more lines.
        /// </summary>
        /// <exception cref="ProviderException">A line is not Ollama's JSON, or carries an error.</exception>
        private int Advance()
        {
            while (true)
            {
                if (_line is not null && NextOfLine())
                {
                    return 1;
                }

                if (_done)
                {
                    return 0;
                }

                try
                {
                    if (!_lines!.TryTake(out var data))
                    {
                        return -1;
                    }

                    if (Accept(data))
                    {
                        return 1;
                    }
                }
                catch (Exception ex) when (_lines!.Translate(ex) is { } translated)
                {
                    throw translated;
                }
            }
        }

        /// <summary>
        /// Parses a line: the usual line, one token of text and nothing else, straight into <see cref="Current"/>
        /// (<see langword="true"/>); any other into <see cref="_line"/>, whose chunks <see cref="NextOfLine"/> hands out.
        /// A line that is not Ollama's JSON, or carries an error, ends the stream.
        /// </summary>
        private bool Accept(ReadOnlySpan<byte> data)
        {
            // The usual line, straight to its chunk: no chunk refilled, no message copied (a line without text has nothing).
            if (OllamaChunkReader.TryReadText(data, out var text, out _))
            {
                if (text.Length == 0)
                {
                    return false;
                }

                Current = new TextChunk(text);
                return true;
            }

            OllamaChatChunk? chunk;
            try
            {
                chunk = _reader.Read(data);
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw OllamaHandler.Malformed($"a line was not valid JSON (byte {ex.BytePositionInLine ?? 0})");
            }

            if (chunk is null)
            {
                throw OllamaHandler.Malformed("a line was JSON null");
            }

            if (chunk.Error is { } error)
            {
                throw OllamaHandler.MidStreamError(error, _model, _secrets);
            }

            if (!chunk.Done && chunk.Message is { Content: { Length: > 0 } content, Thinking: null or "", ToolCalls: null })
            {
                Current = new TextChunk(content);
                return true;
            }

            _line = chunk;
            _step = Step.Thinking;
            _toolCall = 0;
            return false;
        }

        /// <summary>The line's next chunk into <see cref="Current"/>; <see langword="false"/> when the line has no more.</summary>
        private bool NextOfLine()
        {
            var line = _line!;
            var message = line.Message;
            switch (_step)
            {
                case Step.Thinking:
                    _step = Step.Content;
                    if (message?.Thinking is { Length: > 0 } thinking)
                    {
                        Current = new ReasoningChunk(thinking);
                        return true;
                    }

                    goto case Step.Content;
                case Step.Content:
                    _step = Step.ToolCalls;
                    if (message?.Content is { Length: > 0 } content)
                    {
                        Current = new TextChunk(content);
                        return true;
                    }

                    goto case Step.ToolCalls;
                case Step.ToolCalls:
                    if (message?.ToolCalls is { } calls && _toolCall < calls.Count)
                    {
                        Current = OllamaHandler.ToToolCallChunk(calls[_toolCall++], line.CreatedAt, _toolCallCount++);
                        return true;
                    }

                    _step = Step.Usage;
                    goto case Step.Usage;
                case Step.Usage:
                default:
                    _line = null;
                    if (line.Done)
                    {
                        _done = true;
                        var input = line.PromptEvalCount ?? 0;
                        var output = line.EvalCount ?? 0;
                        Current = new UsageChunk(input, output, TotalCost: handler.GetModel().Info.CostOf(input, output));
                        return true;
                    }

                    return false;
            }
        }
    }
}

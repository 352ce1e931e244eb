using Providers.Http;

namespace Providers.Ollama;

/// <summary>
/// The chunks of an Ollama NDJSON body: per line its reasoning (<c>message.thinking</c>), its text, its whole tool calls,
/// and on the final <c>done</c> line the usage; then the stream ends without reading further. A body that ends
/// before a <c>done</c> line was cut off.
/// </summary>
/// <remarks>
/// Written by hand rather than as an iterator: a line already in the reader's buffer is mapped inside
/// <c>MoveNextAsync</c> without a state machine of its own, so a chunk costs the NDJSON reader's work and this mapping.
/// </remarks>
internal sealed class OllamaChunkStream(OllamaHandler handler, Stream body, OllamaOptions options, string model, IReadOnlyList<string?> secrets)
    : IAsyncEnumerable<ApiStreamChunk>
{
    public IAsyncEnumerator<ApiStreamChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        // One line reader per stream: the enumerator is done with a line's chunk before it asks for the next line.
        var reader = new OllamaChunkReader();
        LineParser<OllamaHandler.OllamaLine> parse = data => OllamaHandler.ParseLine(reader, data);
        return new Enumerator(
            handler,
            StreamReaders.ReadNdjsonAsync(body, parse, OllamaHandler.ProviderId, options, cancellationToken).GetAsyncEnumerator(cancellationToken),
            model,
            secrets);
    }

    private sealed class Enumerator(
        OllamaHandler handler, IAsyncEnumerator<OllamaHandler.OllamaLine> lines, string model, IReadOnlyList<string?> secrets)
        : IAsyncEnumerator<ApiStreamChunk>
    {
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
            while (true)
            {
                if (_line is not null && NextOfLine())
                {
                    return new ValueTask<bool>(true);
                }

                if (_done)
                {
                    return new ValueTask<bool>(false);
                }

                var next = lines.MoveNextAsync();
                if (!next.IsCompletedSuccessfully)
                {
                    return AwaitLineAsync(next);
                }

                if (Accept(next.Result) is { } failure)
                {
                    return ValueTask.FromException<bool>(failure);
                }
            }
        }

        public ValueTask DisposeAsync() => lines.DisposeAsync();

        private async ValueTask<bool> AwaitLineAsync(ValueTask<bool> next)
        {
            while (true)
            {
                if (Accept(await next.ConfigureAwait(false)) is { } failure)
                {
                    throw failure;
                }

                if (NextOfLine())
                {
                    return true;
                }

                if (_done)
                {
                    return false;
                }

                next = lines.MoveNextAsync();
            }
        }

        /// <summary>
        /// Takes the reader's next line; the failure that ends the stream instead when there is none (cut off before the
        /// <c>done</c> line), when the line is not Ollama's JSON, or when it carries an error.
        /// </summary>
        private ProviderException? Accept(bool hasLine)
        {
            if (!hasLine)
            {
                return OllamaHandler.CutOff();
            }

            var line = lines.Current;
            if (line.Chunk is not { } chunk)
            {
                return OllamaHandler.Malformed(line.Problem);
            }

            if (chunk.Error is { } error)
            {
                return OllamaHandler.MidStreamError(error, model, secrets);
            }

            _line = chunk;
            _step = Step.Thinking;
            _toolCall = 0;
            return null;
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

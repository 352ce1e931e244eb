using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace Providers.Http;

// The Server-Sent Events reader behind ReadSseAsync: events framed in one pooled buffer (SseFramer) and parsed in place.
public static partial class StreamReaders
{
    /// <summary>
    /// Reads the body itself into the framer's buffer: a read that completes at once costs no state machine, an event
    /// already in the buffer costs no read and no clock, only the framing and the parse. Each read of the server is told
    /// to the idle watch and counted against <see cref="ProviderOptions.MaxResponseBytes"/>; the framer bounds each event.
    /// </summary>
    private sealed class SseEnumerator<T>(
        Stream body, SseItemParser<T> parser, string providerId, ProviderOptions options, CancellationToken caller, CancellationTokenSource? linked)
        : IAsyncEnumerator<T>
    {
        private IdleWatch? _idle;
        private SseFramer? _framer;
        private long _allowance;
        private bool _reading;
        private bool _finished;

        public T Current { get; private set; } = default!;

        public ValueTask<bool> MoveNextAsync()
        {
            if (_finished)
            {
                return new ValueTask<bool>(false);
            }

            if (_framer is null)
            {
                ArgumentNullException.ThrowIfNull(body);
                ArgumentNullException.ThrowIfNull(parser);
                ArgumentNullException.ThrowIfNull(options);
                _idle = new IdleWatch(providerId, options, caller);
                _framer = new SseFramer(providerId, options.MaxEventBytes);
                _allowance = options.MaxResponseBytes;
            }

            try
            {
                while (true)
                {
                    if (_framer.TryNext(out var type, out var data))
                    {
                        Current = parser(type, data);
                        return new ValueTask<bool>(true);
                    }

                    if (_framer.Ended)
                    {
                        Finish();
                        return new ValueTask<bool>(false);
                    }

                    var read = StartRead();
                    if (!read.IsCompletedSuccessfully)
                    {
                        return AwaitReadAsync(read);
                    }

                    EndRead(read.Result);
                }
            }
            catch (Exception ex)
            {
                return ValueTask.FromException<bool>(Fail(ex));
            }
        }

        private ValueTask<int> StartRead()
        {
            var token = _idle!.Token;
            token.ThrowIfCancellationRequested();
            _idle.ReadStarting();
            _reading = true;
            try
            {
                return body.ReadAsync(_framer!.ReadBuffer(), token);
            }
            catch
            {
                _reading = false;
                _idle.ReadEnded();
                throw;
            }
        }

        /// <summary>The read has completed (or failed): the idle watch stops counting, the bytes are counted and framed.</summary>
        private void EndRead(int read)
        {
            _reading = false;
            _idle!.ReadEnded();
            if (read > 0)
            {
                _allowance -= read;
                if (_allowance < 0)
                {
                    throw BoundedReadStream.TooLarge(providerId, $"a response longer than {options.MaxResponseBytes} bytes", "maxResponseBytes", "response_too_large");
                }
            }

            _framer!.Advance(read);
        }

        // Pooled: every read that waits on the server comes here, and would otherwise allocate this state machine's box.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> AwaitReadAsync(ValueTask<int> read)
        {
            try
            {
                while (true)
                {
                    int count;
                    try
                    {
                        count = await read.ConfigureAwait(false);
                    }
                    catch
                    {
                        _reading = false;
                        _idle!.ReadEnded();
                        throw;
                    }

                    EndRead(count);
                    while (true)
                    {
                        if (_framer!.TryNext(out var type, out var data))
                        {
                            Current = parser(type, data);
                            return true;
                        }

                        if (_framer.Ended)
                        {
                            Finish();
                            return false;
                        }

                        read = StartRead();
                        if (!read.IsCompletedSuccessfully)
                        {
                            break;
                        }

                        EndRead(read.Result);
                    }
                }
            }
            catch (Exception ex)
            {
                var failure = Fail(ex);
                if (ReferenceEquals(failure, ex))
                {
                    throw;
                }

                throw failure;
            }
        }

        /// <summary>Ends the enumeration after an error: the buffers go back to the pool, and the error is told as the server's, the connection's or the timeout's.</summary>
        private Exception Fail(Exception ex)
        {
            Finish();
            return _idle?.Translate(ex) ?? ex;
        }

        private void Finish()
        {
            _finished = true;
            if (!_reading)
            {
                _framer?.Release();
            }
        }

        public ValueTask DisposeAsync()
        {
            try
            {
                // A read still under way (the caller broke the contract and disposed during MoveNextAsync) may still write
                // into the buffer: then it is left to the garbage collector instead of going back to the pool.
                Finish();
            }
            finally
            {
                _idle?.Dispose();
                linked?.Dispose();
            }

            return default;
        }
    }
}

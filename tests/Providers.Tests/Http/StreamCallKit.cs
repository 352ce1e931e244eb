using System.Net;
using Providers.Tests.Replay;

namespace Providers.Tests.Http;

/// <summary>
/// One streaming call under test, over real sockets on 127.0.0.1: a handler (or <see cref="Providers.Http.HttpStreamCall"/>
/// itself) with the server it talks to, what its in-flight registrations hold, and an answer whose texts arrive and are
/// then followed by silence, so that a read is left waiting on the socket.
/// </summary>
internal interface IStreamCallRig : IAsyncDisposable
{
    /// <summary>The server the streaming request goes to.</summary>
    ReplayServer Api { get; }

    /// <summary>Every server the call may talk to (the API; for those that sign in, the token endpoint too).</summary>
    IEnumerable<ReplayServer> Servers { get; }

    /// <summary>The registrations of the calls in flight.</summary>
    int InFlight { get; }

    /// <summary>How many requests the API gets before the streaming one (SAP AI Core's deployment list).</summary>
    int Prelude { get; }

    /// <summary>Whether the answer streams and so is left hanging (AskSage answers with one JSON body).</summary>
    bool Streams { get; }

    /// <summary>
    /// Whether a call whose start failed is released at once (a handler's retry disposes the failed attempt), not only
    /// when the caller disposes the enumerator (a bare <see cref="Providers.Http.HttpStreamCall"/>).
    /// </summary>
    bool ReleasedWhenStartFails { get; }

    /// <summary>The retries the handler waited for (none for a call without a retry policy).</summary>
    IReadOnlyCollection<(int Attempt, TimeSpan Delay, Exception Error)> Retries { get; }

    /// <summary>The texts of <see cref="TextsThenSilence"/>, in order.</summary>
    IReadOnlyList<string> Texts { get; }

    /// <summary>An answer in the provider's wire format whose <see cref="Texts"/> arrive in one write, then nothing more.</summary>
    ReplayResponse TextsThenSilence { get; }

    /// <summary>Queues what the API answers before the streaming request, then <paramref name="response"/>.</summary>
    void Enqueue(ReplayResponse response);

    /// <summary>Starts the call (nothing is sent until the first <c>MoveNextAsync</c>).</summary>
    IAsyncEnumerable<ApiStreamChunk> Call(CancellationToken cancellationToken = default);

    /// <summary>Aborts every call in flight, as <see cref="IApiHandler.Abort"/> does.</summary>
    void Abort();
}

/// <summary>
/// The life-cycle checks every call built on <see cref="Providers.Http.HttpStreamCall"/> must pass, whatever the
/// provider: nothing is registered or sent before the first <c>MoveNextAsync</c>; an early break, an abort or the
/// caller's cancellation (while the reader waits mid-stream, or while the response is awaited), an error status and a
/// failure while the request is prepared each end the call with the right outcome and release its registration and its
/// connection, without a retry. Each check asserts exact counts, so it fails when the behaviour breaks.
/// </summary>
internal static class StreamCallKit
{
    /// <summary>Generous: these tests are about never hanging, not about speed.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static async Task NothingIsSentBeforeTheFirstMoveNextAsync(IStreamCallRig rig)
    {
        await using var stream = rig.Call().GetAsyncEnumerator();

        Assert.Equal(0, rig.InFlight);
        Assert.All(rig.Servers, server => Assert.Empty(server.Requests));
    }

    /// <summary>Breaks at the first text; returns the chunks seen up to and with it.</summary>
    public static async Task<List<ApiStreamChunk>> EarlyBreakReleasesTheRegistrationAndTheConnectionAsync(IStreamCallRig rig)
    {
        rig.Enqueue(rig.TextsThenSilence);

        var seen = new List<ApiStreamChunk>();
        await foreach (var chunk in rig.Call())
        {
            seen.Add(chunk);
            if (chunk is TextChunk text)
            {
                Assert.Equal(rig.Texts[0], text.Text);
                Assert.Equal(1, rig.InFlight);
                break;
            }
        }

        Assert.IsType<TextChunk>(seen[^1]);
        Assert.Equal(0, rig.InFlight);
        if (rig.Streams)
        {
            await WaitForDisconnectAsync(rig.Api);
        }

        Assert.Equal(rig.Prelude + 1, rig.Api.Requests.Count);
        return seen;
    }

    /// <summary>Reads every text, then aborts (or cancels, when <paramref name="caller"/> is given) while the next read waits on the socket.</summary>
    public static async Task StoppingWhileTheReaderWaitsEndsWithCancellationAndReleasesEverythingAsync(IStreamCallRig rig, bool byCaller)
    {
        rig.Enqueue(rig.TextsThenSilence);
        using var caller = new CancellationTokenSource();
        var stream = rig.Call(byCaller ? caller.Token : default).GetAsyncEnumerator();
        var texts = new List<string>();
        while (texts.Count < rig.Texts.Count && await stream.MoveNextAsync().AsTask().WaitAsync(Limit))
        {
            if (stream.Current is TextChunk text)
            {
                texts.Add(text.Text);
            }
        }

        Assert.Equal(rig.Texts, texts);

        // The next chunk is not in the buffer: the reader waits on the socket.
        var next = stream.MoveNextAsync().AsTask();
        if (byCaller)
        {
            await caller.CancelAsync();
        }
        else
        {
            rig.Abort();
        }

        var ex = await Record.ExceptionAsync(() => next.WaitAsync(Limit));
        Assert.True(ex is OperationCanceledException, ex?.ToString());
        await stream.DisposeAsync();
        Assert.Equal(0, rig.InFlight);
        await WaitForDisconnectAsync(rig.Api);
        Assert.Equal(rig.Prelude + 1, rig.Api.Requests.Count);
        Assert.Empty(rig.Retries);
    }

    /// <summary>Aborts (or cancels) while the server has the request and has not answered yet.</summary>
    public static async Task StoppingWhileWaitingForTheResponseCancelsWithoutARetryAsync(IStreamCallRig rig, bool byCaller)
    {
        rig.Enqueue(rig.TextsThenSilence with { DelayBeforeHeaders = TimeSpan.FromMinutes(5) });
        using var caller = new CancellationTokenSource();
        var stream = rig.Call(byCaller ? caller.Token : default).GetAsyncEnumerator();

        var first = stream.MoveNextAsync().AsTask();
        await WaitForRequestsAsync(rig.Api, rig.Prelude + 1);
        if (byCaller)
        {
            await caller.CancelAsync();
        }
        else
        {
            rig.Abort();
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Limit));
        Assert.Equal(rig.ReleasedWhenStartFails ? 0 : 1, rig.InFlight);
        await stream.DisposeAsync();
        Assert.Equal(0, rig.InFlight);
        Assert.Equal(rig.Prelude + 1, rig.Api.Requests.Count);
        Assert.Empty(rig.Retries);
    }

    /// <summary>
    /// Answers <paramref name="error"/> (an error status): the first <c>MoveNextAsync</c> throws it as a
    /// <see cref="ProviderException"/> with that status, the call has ended (nothing is sent again) and is released.
    /// Returns the exception for the provider's own checks.
    /// </summary>
    public static async Task<ProviderException> ErrorStatusSurfacesFromTheFirstMoveNextAsync(IStreamCallRig rig, ReplayResponse error)
    {
        rig.Enqueue(error);
        var stream = rig.Call().GetAsyncEnumerator();

        var ex = await Assert.ThrowsAsync<ProviderException>(async () => await stream.MoveNextAsync().AsTask().WaitAsync(Limit));

        Assert.Equal((HttpStatusCode)error.Status, ex.StatusCode);
        Assert.Equal(rig.ReleasedWhenStartFails ? 0 : 1, rig.InFlight);

        // A call that failed to start has ended, as an iterator that threw has: nothing is sent again.
        Assert.False(await stream.MoveNextAsync().AsTask().WaitAsync(Limit));
        await stream.DisposeAsync();
        Assert.Equal(0, rig.InFlight);
        Assert.Equal(rig.Prelude + 1, rig.Api.Requests.Count);
        Assert.Empty(rig.Retries);
        return ex;
    }

    /// <summary>
    /// <paramref name="call"/> fails while its request is prepared: the first <c>MoveNextAsync</c> throws that failure,
    /// nothing is sent or retried and nothing stays registered. Returns the exception for the provider's own checks.
    /// </summary>
    public static async Task<TException> FailureWhilePreparingSurfacesFromTheFirstMoveNextAsync<TException>(IStreamCallRig rig, IAsyncEnumerable<ApiStreamChunk> call)
        where TException : Exception
    {
        rig.Enqueue(rig.TextsThenSilence);
        var stream = call.GetAsyncEnumerator();
        Assert.Equal(0, rig.InFlight);

        var ex = await Assert.ThrowsAnyAsync<TException>(async () => await stream.MoveNextAsync().AsTask().WaitAsync(Limit));

        Assert.Equal(rig.ReleasedWhenStartFails ? 0 : 1, rig.InFlight);
        await stream.DisposeAsync();
        Assert.Equal(0, rig.InFlight);
        Assert.Equal(rig.Prelude, rig.Api.Requests.Count);
        Assert.Empty(rig.Retries);
        return ex;
    }

    public static async Task WaitForDisconnectAsync(ReplayServer server)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (server.ClientDisconnects == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, server.ClientDisconnects);
    }

    public static async Task WaitForRequestsAsync(ReplayServer server, int count)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (server.Requests.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(count, server.Requests.Count);
    }
}

/// <summary>
/// The <see cref="StreamCallKit"/> checks as tests, for a test class of one call (Bedrock's, the bare
/// <see cref="Providers.Http.HttpStreamCall"/>): the class says how to start its rig and checks what is its own.
/// </summary>
public abstract class StreamCallTests
{
    /// <summary>A rig on a fresh server.</summary>
    private protected abstract Task<IStreamCallRig> StartAsync();

    /// <summary>A rig whose call fails while its request is prepared.</summary>
    private protected abstract Task<IStreamCallRig> StartFailingWhilePreparingAsync();

    /// <summary>An error status in the provider's wire format.</summary>
    private protected abstract ReplayResponse ErrorStatus { get; }

    /// <summary>The provider's own checks of the error <see cref="ErrorStatus"/> became.</summary>
    private protected abstract void AssertErrorStatus(ProviderException ex);

    /// <summary>The provider's own checks of the failure while preparing.</summary>
    private protected abstract void AssertPreparationFailure(Exception ex);

    [Fact]
    public async Task Nothing_is_registered_or_sent_before_the_first_MoveNextAsync()
    {
        await using var rig = await StartAsync();
        await StreamCallKit.NothingIsSentBeforeTheFirstMoveNextAsync(rig);
    }

    [Fact]
    public async Task Early_break_releases_the_registration_and_closes_the_connection()
    {
        await using var rig = await StartAsync();
        var seen = await StreamCallKit.EarlyBreakReleasesTheRegistrationAndTheConnectionAsync(rig);
        Assert.Equal([new TextChunk(rig.Texts[0])], seen);
    }

    [Fact]
    public async Task Abort_while_the_reader_waits_ends_the_stream_with_cancellation_and_releases_everything()
    {
        await using var rig = await StartAsync();
        await StreamCallKit.StoppingWhileTheReaderWaitsEndsWithCancellationAndReleasesEverythingAsync(rig, byCaller: false);
    }

    [Fact]
    public async Task Caller_cancellation_while_the_reader_waits_ends_the_stream_with_cancellation_and_releases_everything()
    {
        await using var rig = await StartAsync();
        await StreamCallKit.StoppingWhileTheReaderWaitsEndsWithCancellationAndReleasesEverythingAsync(rig, byCaller: true);
    }

    [Fact]
    public async Task Abort_while_waiting_for_the_response_cancels_without_a_retry()
    {
        await using var rig = await StartAsync();
        await StreamCallKit.StoppingWhileWaitingForTheResponseCancelsWithoutARetryAsync(rig, byCaller: false);
    }

    [Fact]
    public async Task Caller_cancellation_while_waiting_for_the_response_cancels_without_a_retry()
    {
        await using var rig = await StartAsync();
        await StreamCallKit.StoppingWhileWaitingForTheResponseCancelsWithoutARetryAsync(rig, byCaller: true);
    }

    [Fact]
    public async Task Error_status_surfaces_from_the_first_MoveNextAsync_and_the_registration_is_released()
    {
        await using var rig = await StartAsync();
        AssertErrorStatus(await StreamCallKit.ErrorStatusSurfacesFromTheFirstMoveNextAsync(rig, ErrorStatus));
    }

    [Fact]
    public async Task Failure_while_preparing_surfaces_from_the_first_MoveNextAsync_sends_nothing_and_releases_the_registration()
    {
        await using var rig = await StartFailingWhilePreparingAsync();
        AssertPreparationFailure(await StreamCallKit.FailureWhilePreparingSurfacesFromTheFirstMoveNextAsync<Exception>(rig, rig.Call()));
    }
}

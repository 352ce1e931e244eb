using System.IO.Pipelines;
using Microsoft.Extensions.Time.Testing;
using Providers.Bedrock;
using Providers.Tests.Http;
using Providers.Tests.Replay;
using static Providers.Tests.Bedrock.BedrockTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Bedrock;

/// <summary>
/// Bedrock's call on <c>HttpStreamCall</c>: the in-flight registration, the request, the response and the body are
/// released on every path (end, early break, abort, cancellation, an error status, a failure while preparing), over a
/// real socket; and a body cut inside its last message fails, however few or many of its bytes arrived.
/// </summary>
public class BedrockCallTests : StreamCallTests
{
    /// <summary>Generous: these tests are about never hanging, not about speed.</summary>
    private static readonly TimeSpan Limit = StreamCallKit.Limit;

    private protected override ReplayResponse ErrorStatus => ReplayResponse.Json(
        400,
        """{"message":"The provided model identifier is invalid."}""",
        new Dictionary<string, string> { ["x-amzn-ErrorType"] = "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/" });

    private protected override async Task<IStreamCallRig> StartAsync() => await Rig.StartAsync();

    /// <summary>Credentials from a profile the shared credentials file does not hold.</summary>
    private protected override async Task<IStreamCallRig> StartFailingWhilePreparingAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bedrock-credentials-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = defaultSecret0123456789\n");
        return await Rig.StartAsync(
            o =>
            {
                o.Authentication = AwsAuthentication.Profile;
                o.Profile = "nope";
                o.SharedCredentialsFile = file;
            },
            file);
    }

    /// <summary>The AWS error type of the header, the message of the body.</summary>
    private protected override void AssertErrorStatus(ProviderException ex)
    {
        Assert.Equal("ValidationException", ex.ErrorType);
        Assert.Contains("The provided model identifier is invalid.", ex.Message, StringComparison.Ordinal);
    }

    private protected override void AssertPreparationFailure(Exception ex) =>
        Assert.Equal("credentials_not_found", Assert.IsType<ProviderException>(ex).ErrorType);

    [Fact]
    public async Task A_stream_read_to_its_end_releases_the_registration()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("bedrock-text.chunks.txt"));
        var handler = Handler(server, clock);

        var chunks = await CollectAsync(Ask(handler));

        Assert.Equal(new UsageChunk(22, 55, CacheReadTokens: 0, CacheWriteTokens: 0, TotalCost: 0.000891m), chunks[^1]);
        Assert.Equal(0, handler.InFlightCountForTests);
    }

    /// <summary>
    /// The last message of a recorded stream is <c>metadata</c>, after <c>messageStop</c>. Cut at each byte inside it, the
    /// stream delivers the whole answer, then fails as cut off with the usage named as lost; cut before it, the stream
    /// ends between two messages and is complete without usage; whole, it ends with the usage.
    /// </summary>
    [Fact]
    public async Task A_body_cut_inside_the_trailing_metadata_event_delivers_the_answer_then_fails_at_every_byte()
    {
        var frames = Fixture("bedrock-text.chunks.txt").Parts.ToArray();
        var last = frames[^1];
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        var handler = Handler(server, clock);
        server.Enqueue(Frames(frames));
        var full = await CollectAsync(Ask(handler));
        var answer = full[..^1];
        Assert.IsType<UsageChunk>(full[^1]);
        Assert.Equal(12, answer.Count);

        for (var cut = 0; cut <= last.Length; cut++)
        {
            server.Enqueue(Frames([.. frames[..^1], last[..cut]]));
            var (chunks, error) = await CollectUntilErrorAsync(Ask(handler));
            if (cut == 0)
            {
                Assert.Null(error);
                Assert.Equal(answer, chunks);
            }
            else if (cut == last.Length)
            {
                Assert.Null(error);
                Assert.Equal(full, chunks);
            }
            else
            {
                Assert.Equal(answer, chunks);
                var ex = Assert.IsType<ProviderException>(error);
                Assert.Equal("stream_cut_off", ex.ErrorType);
                Assert.Contains($"after 'messageStop', inside the message that followed it ({cut} bytes of it arrived)", ex.Message, StringComparison.Ordinal);
                Assert.Contains("usage of its 'metadata' event was lost", ex.Message, StringComparison.Ordinal);
                Assert.True(ex.OutputStarted);
            }

            Assert.Equal(0, handler.InFlightCountForTests);
        }

        Assert.Equal(last.Length + 2, server.Requests.Count);
        Assert.Empty(clock.Retries);
    }

    [Fact]
    public async Task A_body_cut_inside_a_message_before_messageStop_fails_as_cut_off_inside_a_message()
    {
        var frames = Fixture("bedrock-text.chunks.txt").Parts.ToArray();
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        var handler = Handler(server, clock);
        server.Enqueue(Frames([.. frames[..3], frames[3][..7]]));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(handler));

        Assert.Equal([new TextChunk("Let"), new TextChunk(" me count the \"")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("stream_cut_off", ex.ErrorType);
        Assert.Contains("cut off inside a message (7 bytes of it arrived), before 'messageStop'", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The idle timer counts only the time a read waits on the server: a caller that dawdles between messages longer
    /// than the limit loses nothing, and a read that then waits the limit fails with <c>idle_timeout</c>.
    /// </summary>
    [Fact]
    public async Task The_idle_timeout_counts_only_the_time_a_read_waits_on_the_server()
    {
        var time = new FakeTimeProvider();
        var options = new BedrockOptions { TimeProvider = time, StreamIdleTimeout = TimeSpan.FromSeconds(10) };
        var pipe = new Pipe();
        using var reader = new EventStreamReader(pipe.Reader.AsStream(), "bedrock", options, CancellationToken.None);

        await pipe.Writer.WriteAsync(EventStreamEncoder.Event("messageStart", """{"role":"assistant"}"""));
        Assert.True(await reader.MoveNextAsync().AsTask().WaitAsync(Limit));
        Assert.Equal("messageStart", reader.Current.EventType);

        // The caller holds on to the message for three limits: no read waits, so nothing is counted.
        time.Advance(TimeSpan.FromSeconds(30));
        await pipe.Writer.WriteAsync(EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}"""));
        Assert.True(await reader.MoveNextAsync().AsTask().WaitAsync(Limit));
        Assert.Equal("contentBlockDelta", reader.Current.EventType);

        // Now a read waits on a silent server: just under the limit it still waits, at the limit it fails.
        var next = reader.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        var ex = await Assert.ThrowsAsync<ProviderException>(() => next.WaitAsync(Limit));
        Assert.Equal("idle_timeout", ex.ErrorType);
        Assert.Contains("sent nothing for 10 s (setting 'streamIdleTimeoutMs')", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsRetryable);
    }

    /// <summary>A Bedrock handler on a replay server, its retries waited for on a fake clock.</summary>
    private sealed class Rig(ReplayServer api, FastRetryClock clock, Action<BedrockOptions>? configure, string? file) : IStreamCallRig
    {
        private readonly BedrockHandler _handler = Handler(api, clock, configure);

        public ReplayServer Api => api;

        public IEnumerable<ReplayServer> Servers => [api];

        public int InFlight => _handler.InFlightCountForTests;

        public int Prelude => 0;

        public bool Streams => true;

        public bool ReleasedWhenStartFails => true;

        public IReadOnlyCollection<(int Attempt, TimeSpan Delay, Exception Error)> Retries => clock.Retries;

        public IReadOnlyList<string> Texts => ["Hi", " there"];

        public ReplayResponse TextsThenSilence => Frames(
            EventStreamEncoder.Event("messageStart", """{"role":"assistant"}"""),
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}"""),
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":" there"}}""")) with { HangAfterParts = true };

        /// <param name="configure">Changes the handler's options.</param>
        /// <param name="file">A file the rig deletes when disposed.</param>
        public static async Task<Rig> StartAsync(Action<BedrockOptions>? configure = null, string? file = null) =>
            new(await ReplayServer.StartAsync(), new FastRetryClock(), configure, file);

        public void Enqueue(ReplayResponse response) => api.Enqueue(response);

        public IAsyncEnumerable<ApiStreamChunk> Call(CancellationToken cancellationToken = default) => Ask(_handler, cancellationToken);

        public void Abort() => _handler.Abort();

        public async ValueTask DisposeAsync()
        {
            clock.Dispose();
            await api.DisposeAsync();
            if (file is not null)
            {
                File.Delete(file);
            }
        }
    }
}

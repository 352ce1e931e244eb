using System.Text;
using Providers.Http;
using Providers.Ollama;

namespace Providers.Tests.Http;

/// <summary>
/// The NDJSON line source under <see cref="StreamReaders.ReadNdjsonAsync{T}"/> and the Ollama chunk stream, which takes
/// its lines directly: every way a body can be cut into reads gives the same lines (CRLF, blank and space-only lines
/// skipped, a last line without a newline kept), and an over-long line is refused wherever the cuts fall.
/// </summary>
public sealed class NdjsonLinesTests
{
    private static readonly byte[] Body = "{\"a\":1}\r\n\n  \n{\"b\":2}\n \r\n{\"c\":3}"u8.ToArray();

    private static readonly string[] Lines = ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"];

    [Fact]
    public async Task A_body_cut_into_two_reads_at_every_byte_gives_the_same_lines()
    {
        for (var cut = 0; cut <= Body.Length; cut++)
        {
            var lines = await ReadLinesAsync(new PieceStream(Body, cut));
            Assert.True(Lines.SequenceEqual(lines), $"cut at {cut}: {string.Join(" | ", lines)}");
        }
    }

    [Fact]
    public async Task A_body_read_one_byte_at_a_time_gives_the_same_lines()
    {
        Assert.Equal(Lines, await ReadLinesAsync(new PieceStream(Body, Enumerable.Range(1, Body.Length).ToArray())));
    }

    /// <summary>
    /// Lines are cut by index from a buffer of one array segment, and from a sequence once a line spans segments: lines
    /// longer than the reader's 16 KiB buffer among short ones, with blank lines, cut into reads at many places, move
    /// between the two and must still give every line whole, in order.
    /// </summary>
    [Fact]
    public async Task Lines_longer_than_the_buffer_among_short_ones_give_the_same_lines_wherever_the_reads_are_cut()
    {
        string[] lines =
        [
            "{\"a\":1}", "{\"long\":\"" + new string('x', 20_000) + "\"}", "{\"b\":2}", "{\"c\":3}",
            "{\"longer\":\"" + new string('y', 40_000) + "\"}", "{\"d\":4}",
        ];
        var body = Encoding.UTF8.GetBytes(string.Join("\n", lines.Select((l, i) => i % 2 == 0 ? l + "\r\n" : l)) + "\n");
        int[][] cutsOf =
        [
            [], [1], [10], [16_384], [16_385], [20_000], [20_020], [20_030, 20_033], [30_000, 50_000, 60_000],
            Enumerable.Range(1, body.Length / 997).Select(i => i * 997).ToArray(),
            Enumerable.Range(1, body.Length / 4096).Select(i => i * 4096).ToArray(),
        ];
        foreach (var cuts in cutsOf)
        {
            var read = await ReadLinesAsync(new PieceStream(body, cuts));
            Assert.True(lines.SequenceEqual(read), $"cuts at {string.Join(",", cuts.Take(5))}: {read.Count} lines, lengths {string.Join(",", read.Select(l => l.Length))}");
        }
    }

    /// <summary>
    /// The pipe reads into a new segment when the last one is nearly full, so a line of the usual size often spans two
    /// segments: it is put together in a reused scratch array (up to 4 KiB), a longer one in an array of its own. Many
    /// lines of every size up to 6 KiB, read in pieces of several sizes, cross segment ends at ever other places; each
    /// line must come out whole, and the scratch reused for the next must not change a line already taken.
    /// </summary>
    [Fact]
    public async Task Lines_across_segment_ends_of_every_size_give_the_same_lines()
    {
        var lines = Enumerable.Range(0, 3000)
            .Select(i => "{\"i\":" + i + ",\"t\":\"" + new string((char)('a' + (i % 26)), i % 97 == 0 ? 4000 + (i % 2200) : (i * 37) % 300) + "\"}")
            .ToArray();
        var body = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        foreach (var piece in new[] { 1000, 4093, 16_391 })
        {
            var cuts = Enumerable.Range(1, body.Length / piece).Select(i => i * piece).ToArray();
            var read = await ReadLinesAsync(new PieceStream(body, cuts));
            Assert.Equal(lines.Length, read.Count);
            for (var i = 0; i < lines.Length; i++)
            {
                Assert.True(lines[i] == read[i], $"pieces of {piece}: line {i} differs");
            }
        }
    }

    [Fact]
    public async Task A_body_of_blank_lines_only_gives_no_lines()
    {
        Assert.Empty(await ReadLinesAsync(new PieceStream("\n\r\n  \n \r\n"u8.ToArray())));
    }

    [Fact]
    public async Task An_over_long_line_is_refused_wherever_the_reads_are_cut()
    {
        var body = Encoding.UTF8.GetBytes("{\"a\":1}\n{\"long\":\"" + new string('x', 80) + "\"}\n{\"c\":3}\n");
        for (var cut = 0; cut <= body.Length; cut += 7)
        {
            var ex = await Assert.ThrowsAsync<ProviderException>(() => ReadLinesAsync(new PieceStream(body, cut), maxEventBytes: 50));
            Assert.Equal("event_too_large", ex.ErrorType);
            Assert.Contains("setting 'maxEventBytes'", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_ollama_body_cut_at_every_byte_gives_the_same_chunks()
    {
        var body = Encoding.UTF8.GetBytes(
            "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\r\n"
            + "\n"
            + "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"thinking\":\"hm\",\"content\":\" there\"},\"done\":false}\n"
            + "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"prompt_eval_count\":3,\"eval_count\":2}");
        for (var cut = 0; cut <= body.Length; cut++)
        {
            var chunks = await ReadOllamaAsync(new PieceStream(body, cut));
            Assert.Equal(
                new ApiStreamChunk[] { new TextChunk("Hi"), new ReasoningChunk("hm"), new TextChunk(" there"), new UsageChunk(3, 2, TotalCost: 0m) },
                chunks);
        }
    }

    [Fact]
    public async Task An_ollama_body_without_its_done_line_is_cut_off_even_after_blank_lines()
    {
        var body = "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n\n  \n"u8.ToArray();
        var chunks = new List<ApiStreamChunk>();
        var ex = await Assert.ThrowsAsync<ProviderException>(() => ReadOllamaAsync(new PieceStream(body, 20), chunks));
        Assert.Equal("stream_cut_off", ex.ErrorType);
        Assert.Equal(new ApiStreamChunk[] { new TextChunk("Hi") }, chunks);
    }

    [Fact]
    public async Task An_ollama_line_that_is_not_json_is_malformed_and_names_the_byte()
    {
        var body = "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n{\"model\":tru}\n"u8.ToArray();
        var chunks = new List<ApiStreamChunk>();
        var ex = await Assert.ThrowsAsync<ProviderException>(() => ReadOllamaAsync(new PieceStream(body, 75), chunks));
        Assert.Equal("malformed_stream", ex.ErrorType);
        Assert.Contains("a line was not valid JSON (byte ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new ApiStreamChunk[] { new TextChunk("Hi") }, chunks);
    }

    [Fact]
    public async Task An_ollama_line_of_json_null_is_malformed()
    {
        var ex = await Assert.ThrowsAsync<ProviderException>(() => ReadOllamaAsync(new PieceStream("null\n"u8.ToArray())));
        Assert.Equal("malformed_stream", ex.ErrorType);
        Assert.Contains("a line was JSON null", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_is_read_after_the_done_line()
    {
        var body = "{\"done\":true,\"prompt_eval_count\":1,\"eval_count\":1}\nnot json at all\n"u8.ToArray();
        Assert.Equal(new ApiStreamChunk[] { new UsageChunk(1, 1, TotalCost: 0m) }, await ReadOllamaAsync(new PieceStream(body, 10)));
    }

    private static async Task<List<string>> ReadLinesAsync(Stream body, int maxEventBytes = 1 << 20)
    {
        var options = new OllamaOptions { ModelId = "m", MaxEventBytes = maxEventBytes };
        var lines = new List<string>();
        await foreach (var line in StreamReaders.ReadNdjsonAsync(body, static data => Encoding.UTF8.GetString(data), "p", options))
        {
            lines.Add(line);
        }

        return lines;
    }

    private static async Task<List<ApiStreamChunk>> ReadOllamaAsync(Stream body, List<ApiStreamChunk>? chunks = null)
    {
        chunks ??= [];
        // The body as the answer of a client that sends nothing; the call without the handler's retry, which would read it again.
        using var client = new HttpClient(new Answer(body));
        var options = new OllamaOptions { ModelId = "m", HttpClient = client };
        var stream = new OllamaChunkStream(
            new OllamaHandler(options),
            new InFlightRequests(),
            () => (new HttpStreamRequest(new HttpRequestMessage(HttpMethod.Post, "http://ollama.invalid/api/chat"), "ollama", options, [], read: null), "m"),
            options,
            CancellationToken.None);
        await foreach (var chunk in stream)
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    /// <summary>Answers every request with 200 and <paramref name="body"/>.</summary>
    private sealed class Answer(Stream body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StreamContent(body) });
    }

    /// <summary>Hands out the body in pieces ending at the given offsets (then the rest), one piece per read.</summary>
    private sealed class PieceStream(byte[] body, params int[] cuts) : Stream
    {
        private int _position;
        private int _next;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_next < cuts.Length && cuts[_next] <= _position)
            {
                _next++;
            }

            var end = _next < cuts.Length ? cuts[_next] : body.Length;
            var count = Math.Min(buffer.Length, end - _position);
            body.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Providers.Http;
using Providers.Ollama;
using Providers.Tests.Replay;

namespace Providers.Tests.Http;

/// <summary>
/// <see cref="StreamReaders.ReadSseAsync"/> frames events itself (<see cref="SseFramer"/>) instead of through
/// <see cref="SseParser"/>: over every SSE fixture, its CR and CRLF re-framings, fuzz mutations and hostile bodies, read
/// 1, 7, 64 bytes at a time or whole, synchronously and asynchronously, both must hand the parser the same
/// (event type, data) sequence, or fail the same way. Event-size refusals are checked against explicit outcomes: the
/// events before the oversized one are handed over, then <c>event_too_large</c>, whatever the read size.
/// </summary>
public sealed class SseFramerEquivalenceTests
{
    private static readonly int[] ReadSizes = [1, 7, 64, int.MaxValue];

    /// <summary>The hostile and corner-case bodies, written by hand.</summary>
    public static TheoryData<string> Hostile() =>
    [
        "",
        "\n\n\n",
        "data: a\n\n",
        "data:a\n\n",
        "data:  a\n\n",
        "data:\ta\n\n",
        "data\n\n",
        "data:\n\n",
        "data: \n\n",
        "data\ndata\n\n",
        "data: a\ndata: b\n\n",
        "data: a\n\ndata: b\n\n",
        "data: a\r\n\r\n",
        "data: a\r\r",
        "data: a\r\ndata: b\r\r\n",
        "data: a\r\n\rdata: b\n\r\n",
        "data: a\n\r\n\r\r\n\n",
        "data: a:b: c\n\n",
        "data: {\"x\":1}\n\ndata: [DONE]\n\n",
        "event: x\ndata: y\n\n",
        "event:x\ndata: y\n\n",
        "event:\ndata: y\n\n",
        "event\ndata: y\n\n",
        "event: x\n\ndata: y\n\n",
        "event: a\nevent: b\ndata: c\n\n",
        "event: a\ndata: 1\n\ndata: 2\n\n",
        "data: 1\nevent: late\n\n",
        "event: \u00e9v\u00e9nement\ndata: y\n\nevent: \u00e9v\u00e9nement\ndata: z\n\n",
        "event: a\0b\ndata: y\n\n",
        "event: message_start\ndata: {}\n\nevent: ping\ndata: {}\n\nevent: message_start\ndata: {}\n\n",
        ": comment\ndata: y\n\n",
        ":\n:\n\n",
        ": only a comment\n\n",
        "id: 1\ndata: y\n\n",
        "id\nretry\nretry: 10\nretry: x\ndata: y\n\n",
        "id: a\0b\ndata: y\n\n",
        "DATA: y\n\n",
        " data: y\n\n",
        "data : y\n\n",
        "dat\n\n",
        "data: y",
        "data: y\n",
        "data: y\r",
        "data: y\n\r",
        "data: y\r\n\r",
        "data: y\n\ndata: z",
        "data: y\n\ndata: z\n",
        "\uFEFFdata: y\n\n",
        "\uFEFF\uFEFFdata: y\n\n",
        "\uFEFF",
        "\uFEFF\n\n",
        "data: y\n\n\uFEFFdata: z\n\n",
        "\r\n\r\ndata: y\r\n\r\n",
        "\n\rdata: y\n\n",
        "data:" + new string('x', 40_000) + "\n\n",
        "data: " + string.Concat(Enumerable.Repeat("abc\ndata: ", 5_000)) + "end\n\n",
        string.Concat(Enumerable.Repeat("data: 1\n\n", 3_000)),
        string.Concat(Enumerable.Range(0, 40).Select(i => $"event: type{i % 20}\ndata: {i}\n\n")),
        ": " + new string('c', 20_000) + "\ndata: after a long comment\n\n",
        "event: " + new string('t', 20_000) + "\ndata: y\n\n",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_hostile_body_frames_as_SseParser_frames_it(string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        await AssertSameAsync(body, text.Length > 80 ? text[..80] : text);
    }

    [Fact]
    public async Task Invalid_UTF8_and_a_partial_BOM_frame_as_SseParser_frames_them()
    {
        byte[][] bodies =
        [
            [0xEF, 0xBB],
            [0xEF, 0xBB, (byte)'\n', (byte)'\n'],
            [0xEF, (byte)'d', (byte)'a', (byte)'t', (byte)'a', (byte)'\n', (byte)'\n'],
            [.. "event: "u8, 0xFF, 0xFE, (byte)'\n', .. "data: "u8, 0xC3, (byte)'\n', (byte)'\n'],
            [.. "event: "u8, 0xFF, (byte)'\n', .. "data: 1\n\n"u8, .. "event: "u8, 0xFF, (byte)'\n', .. "data: 2\n\n"u8],
        ];
        foreach (var body in bodies)
        {
            await AssertSameAsync(body, Convert.ToHexString(body));
        }
    }

    [Fact]
    public async Task Every_SSE_fixture_frames_as_SseParser_frames_it_with_every_line_end()
    {
        var bodies = FixtureBodies();
        Assert.True(bodies.Count >= 40, $"only {bodies.Count} SSE bodies found");
        foreach (var (name, body) in bodies)
        {
            await AssertSameAsync(body, name);
            await AssertSameAsync(Reframe(body, "\r\n"u8), name + " (CRLF)");
            await AssertSameAsync(Reframe(body, "\r"u8), name + " (CR)");
            await AssertSameAsync([0xEF, 0xBB, 0xBF, .. body], name + " (BOM)");
        }
    }

    [Fact]
    public async Task Fuzzed_fixture_bodies_frame_as_SseParser_frames_them()
    {
        var bodies = FixtureBodies();
        var random = new Random(20261202);
        byte[] inserts = [(byte)'\r', (byte)'\n', (byte)':', (byte)' ', 0xEF, 0xBB, 0xBF, 0];
        for (var round = 0; round < 1500; round++)
        {
            var (name, whole) = bodies[random.Next(bodies.Count)];
            var start = random.Next(Math.Max(1, whole.Length - 600));
            var body = whole.AsSpan(start, Math.Min(whole.Length - start, random.Next(1, 1200))).ToArray().ToList();
            var what = new List<string> { $"{name} [{start}..+{body.Count}]" };
            for (var m = random.Next(1, 6); m > 0 && body.Count > 0; m--)
            {
                var at = random.Next(body.Count);
                switch (random.Next(6))
                {
                    case 0:
                        body[at] ^= (byte)(1 << random.Next(8));
                        what.Add($"flip {at}");
                        break;
                    case 1:
                    case 2:
                        var b = inserts[random.Next(inserts.Length)];
                        body.Insert(at, b);
                        what.Add($"insert {b:X2} at {at}");
                        break;
                    case 3:
                        body.InsertRange(at, "\r\n"u8.ToArray());
                        what.Add($"insert CRLF at {at}");
                        break;
                    case 4:
                        body.RemoveRange(at, body.Count - at);
                        what.Add($"truncate at {at}");
                        break;
                    default:
                        body.RemoveAt(at);
                        what.Add($"delete {at}");
                        break;
                }
            }

            await AssertSameAsync([.. body], string.Join(", ", what));
        }
    }

    /// <summary>A body whose read fails at the end: the same events first, then the read's error (ours as a connection error).</summary>
    [Fact]
    public async Task A_read_that_fails_fails_both_after_the_same_events()
    {
        var body = Encoding.UTF8.GetBytes("data: 1\n\nevent: e\ndata: 2\n\ndata: 3\n");
        foreach (var size in ReadSizes)
        {
            var expected = new List<(string, string)>();
            var reference = Assert.Throws<IOException>(() =>
            {
                foreach (var item in SseParser.Create(new ChunkedStream(body, size, failAtEnd: true), static (t, d) => (t, Encoding.UTF8.GetString(d))).Enumerate())
                {
                    expected.Add(item.Data);
                }
            });

            var actual = new List<(string, string)>();
            var ours = await Assert.ThrowsAsync<ProviderException>(async () =>
            {
                await foreach (var item in StreamReaders.ReadSseAsync(new ChunkedStream(body, size, failAtEnd: true), static (t, d) => (t, Encoding.UTF8.GetString(d)), "p", Unbounded()))
                {
                    actual.Add(item);
                }
            });

            Assert.Equal(expected, actual);
            Assert.Equal(new List<(string, string)> { ("message", "1"), ("e", "2") }, actual);
            Assert.Equal("connection_error", ours.ErrorType);
            Assert.Equal(reference.Message, ours.InnerException!.Message);
        }
    }

    /// <summary>
    /// What counts towards <c>maxEventBytes</c> (20 here): every line of the event since the last blank line, field
    /// names and comments included, line ends and a leading BOM not; an event of exactly the limit passes, one byte more
    /// is refused after the events before it were handed over. Each body is read whole, in 64, 7 and 1 byte pieces,
    /// synchronously and not.
    /// </summary>
    [Theory]
    [InlineData("data: 12345678901234\n\n", "12345678901234")]
    [InlineData("data: 123456789012345\n\n", "!")]
    [InlineData("data: 12345678901234\r\n\r\n", "12345678901234")]
    [InlineData("data: 12345678901234\r\r", "12345678901234")]
    [InlineData("data: 12345678901234\r\r\n", "12345678901234")]
    [InlineData("\uFEFFdata: 12345678901234\n\n", "12345678901234")]
    [InlineData("data: 1234\ndata: 5678\n\n", "1234\n5678")]
    [InlineData("data: 1234\r\ndata: 56789\r\n\r\n", "!")]
    [InlineData("data: 1234\rdata: 56789\r\r", "!")]
    [InlineData(": 12345678\ndata: 123\n\n", "123")]
    [InlineData(": 123456789\ndata: 1234\n\n", "!")]
    [InlineData("event: e\nid: 1\ndata: 1\n\n", "1")]
    [InlineData("event: e\nid: 12\ndata: 1\n\n", "!")]
    [InlineData("data: 12345678901234\n\ndata: 12345678901234\n\n", "12345678901234|12345678901234")]
    [InlineData(": 123456789012345678\n\ndata: 12345678901234\n\n", "12345678901234")]
    [InlineData("data: a\n\ndata: b\n\ndata: 123456789012345\n\ndata: c\n\n", "a|b|!")]
    [InlineData("data: a\n\ndata: 123456789012345", "a|!")]
    [InlineData("data: a\n\ndata: 12345678901234", "a")]
    [InlineData("data: a\n\ndata: 12345678901234\r", "a")]
    public async Task The_event_size_limit_counts_the_lines_of_each_event(string text, string expected)
    {
        var body = Encoding.UTF8.GetBytes(text);
        foreach (var size in ReadSizes)
        {
            foreach (var asynchronous in new[] { false, true })
            {
                var outcome = await LimitedOutcomeAsync(body, size, asynchronous, maxEvent: 20);
                Assert.True(expected == outcome, $"read {size}{(asynchronous ? " async" : "")}: expected {expected}, got {outcome}");
            }
        }
    }

    /// <summary>
    /// Random bodies with every line end and events around the limit: whatever the read size, ReadSseAsync hands over
    /// exactly the events a line-by-line count (<see cref="ExpectedLimitedOutcome"/>) lets through, and refuses the rest.
    /// </summary>
    [Fact]
    public async Task The_event_size_limit_refuses_exactly_the_events_over_it()
    {
        var random = new Random(1202);
        string[] ends = ["\n", "\r", "\r\n"];
        string[] fields = ["data: ", "data:", "event: ", ": ", "id: ", "data"];
        var refused = 0;
        for (var round = 0; round < 300; round++)
        {
            var text = new StringBuilder();
            for (var e = random.Next(1, 8); e > 0; e--)
            {
                for (var l = random.Next(1, 4); l > 0; l--)
                {
                    text.Append(fields[random.Next(fields.Length)]).Append('x', random.Next(0, 40)).Append(ends[random.Next(ends.Length)]);
                }

                text.Append(ends[random.Next(ends.Length)]);
            }

            var body = Encoding.UTF8.GetBytes(text.ToString());
            var expected = ExpectedLimitedOutcome(text.ToString(), maxEvent: 60);
            foreach (var size in ReadSizes)
            {
                var ours = await LimitedOutcomeAsync(body, size, asynchronous: false, maxEvent: 60);
                Assert.True(expected == ours, $"body {round} {JsonSerializer.Serialize(text.ToString())} read {size}: expected {expected}, ReadSseAsync {ours}");
            }

            refused += expected.EndsWith('!') ? 1 : 0;
        }

        Assert.InRange(refused, 30, 270);
    }

    [Fact]
    public async Task An_oversized_event_is_refused_with_the_setting_named_before_it_is_buffered()
    {
        var options = new OllamaOptions { ModelId = "m", MaxEventBytes = 1000 };
        var stream = new ChunkedStream(Encoding.UTF8.GetBytes("data: small\n\ndata: " + new string('x', 1_000_000) + "\n\n"), 64);
        var seen = new List<string>();

        var ex = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var item in StreamReaders.ReadSseAsync(stream, static (_, d) => Encoding.UTF8.GetString(d), "p", options))
            {
                seen.Add(item);
            }
        });

        Assert.Equal(new[] { "small" }, seen);
        Assert.Equal("event_too_large", ex.ErrorType);
        Assert.Equal(
            "The 'p' server sent an event larger than 1000 bytes (setting 'maxEventBytes'), so the response was abandoned. "
            + "Raise 'maxEventBytes' if the server is trusted and such responses are expected.",
            ex.Message);
        Assert.False(ex.IsRetryable);

        // Refused within a read or two of the limit, not after the megabyte arrived.
        Assert.InRange(stream.Delivered, 1000, 1200);
    }

    [Fact]
    public async Task A_response_over_the_limit_is_refused_with_the_setting_named()
    {
        var options = new OllamaOptions { ModelId = "m", MaxResponseBytes = 100 };
        var body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("data: 123456789\n\n", 20)));

        var ex = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var _ in StreamReaders.ReadSseAsync(new ChunkedStream(body, 7), static (_, d) => d.Length, "p", options))
            {
            }
        });

        Assert.Equal("response_too_large", ex.ErrorType);
        Assert.Equal(
            "The 'p' server sent a response longer than 100 bytes (setting 'maxResponseBytes'), so the response was abandoned. "
            + "Raise 'maxResponseBytes' if the server is trusted and such responses are expected.",
            ex.Message);
    }

    /// <summary>Typed events whose type was seen before cost no new string: the parser gets the same instance.</summary>
    [Fact]
    public async Task A_repeated_event_type_is_handed_over_as_the_same_string()
    {
        var body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 30).Select(i => $"event: kind{i % 3}\ndata: {i}\n\nevent: content_block_delta\ndata: x\n\n")));
        var types = new List<string>();
        await foreach (var type in StreamReaders.ReadSseAsync(new ChunkedStream(body, 64), static (t, _) => t, "p", Unbounded()))
        {
            types.Add(type);
        }

        Assert.Equal(60, types.Count);
        Assert.Equal(4, types.Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.Equal(new[] { "kind0", "content_block_delta", "kind1", "content_block_delta" }, types.Take(4));
    }

    [Fact]
    public async Task Disposing_mid_stream_and_after_a_failure_leaves_a_finished_enumerator()
    {
        var body = Encoding.UTF8.GetBytes("data: 1\n\ndata: 2\n\n");
        var e = StreamReaders.ReadSseAsync(new ChunkedStream(body, 3), static (_, d) => Encoding.UTF8.GetString(d), "p", Unbounded()).GetAsyncEnumerator();
        Assert.True(await e.MoveNextAsync());
        Assert.Equal("1", e.Current);
        await e.DisposeAsync();
        await e.DisposeAsync();
        Assert.False(await e.MoveNextAsync());

        var failing = StreamReaders.ReadSseAsync(new ChunkedStream(body, 3), static (_, d) => d[0] == (byte)'2' ? throw new FormatException("bad") : 1, "p", Unbounded()).GetAsyncEnumerator();
        Assert.True(await failing.MoveNextAsync());
        var ex = await Assert.ThrowsAsync<ProviderException>(() => failing.MoveNextAsync().AsTask());
        Assert.Equal("malformed_stream", ex.ErrorType);
        Assert.IsType<FormatException>(ex.InnerException);
        Assert.False(await failing.MoveNextAsync());
        await failing.DisposeAsync();
    }

    /// <summary>Whole events read at once allocate nothing per event beyond what the parser makes: no string per typed event, no copy of the data.</summary>
    [Fact]
    public async Task Framing_whole_events_allocates_nothing_per_event()
    {
        var body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 4000).Select(i => $"event: content_block_delta\ndata: {{\"i\":{i}}}\n\n")));
        static async Task<long> RunAsync(byte[] body)
        {
            long sum = 0;
            await foreach (var n in StreamReaders.ReadSseAsync(new MemoryStream(body), static (t, d) => t.Length + d.Length, "p", Unbounded()))
            {
                sum += n;
            }

            return sum;
        }

        // Warm up, then measure on this thread: a MemoryStream completes every read at once, so no await leaves it.
        await RunAsync(body);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var task = RunAsync(body);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(task.IsCompletedSuccessfully);
        Assert.True(allocated < 8000, $"{allocated} bytes for 4000 events");
    }

    private static async Task AssertSameAsync(byte[] body, string name)
    {
        foreach (var size in ReadSizes)
        {
            var expected = Reference(body, size);
            foreach (var asynchronous in size is 7 or 64 ? new[] { false, true } : [false])
            {
                var actual = await OursAsync(body, size, asynchronous);
                if (expected != actual)
                {
                    Assert.Fail($"{name}, read {size}{(asynchronous ? " async" : "")}:\nSseParser {Trim(expected)}\nours      {Trim(actual)}");
                }
            }
        }
    }

    private static string Trim(string s) => s.Length > 400 ? s[..400] + "…" : s;

    /// <summary>SseParser's events as text: type and data (hex) per event, or the failure.</summary>
    private static string Reference(byte[] body, int size)
    {
        var text = new StringBuilder();
        try
        {
            foreach (var item in SseParser.Create(new ChunkedStream(body, size), static (t, d) => (t, Convert.ToHexString(d))).Enumerate())
            {
                text.Append(item.Data.t).Append('=').Append(item.Data.Item2).Append(';');
            }
        }
        catch (Exception ex)
        {
            text.Append("failed: ").Append(ex.GetType().Name);
        }

        return text.ToString();
    }

    private static async Task<string> OursAsync(byte[] body, int size, bool asynchronous)
    {
        var text = new StringBuilder();
        try
        {
            await foreach (var (type, data) in StreamReaders.ReadSseAsync(new ChunkedStream(body, size, asynchronous: asynchronous), static (t, d) => (t, Convert.ToHexString(d)), "p", Unbounded()))
            {
                text.Append(type).Append('=').Append(data).Append(';');
            }
        }
        catch (ProviderException ex) when (ex.InnerException is { } inner)
        {
            text.Append("failed: ").Append(inner.GetType().Name);
        }

        return text.ToString();
    }

    /// <summary>The data of each event handed over, joined by '|', then '!' when the read failed with <c>event_too_large</c>.</summary>
    private static async Task<string> LimitedOutcomeAsync(byte[] body, int size, bool asynchronous, int maxEvent)
    {
        var options = new OllamaOptions { ModelId = "m", MaxEventBytes = maxEvent };
        var events = new List<string>();
        try
        {
            await foreach (var data in StreamReaders.ReadSseAsync(new ChunkedStream(body, size, asynchronous), static (_, d) => Encoding.UTF8.GetString(d), "p", options))
            {
                events.Add(data);
            }
        }
        catch (ProviderException ex) when (ex.ErrorType == "event_too_large")
        {
            Assert.Equal(
                $"The 'p' server sent an event larger than {maxEvent} bytes (setting 'maxEventBytes'), so the response was abandoned. "
                + "Raise 'maxEventBytes' if the server is trusted and such responses are expected.",
                ex.Message);
            events.Add("!");
        }

        return string.Join('|', events);
    }

    /// <summary>
    /// The outcome <see cref="LimitedOutcomeAsync"/> must give for an ASCII body without a BOM, by the rule itself:
    /// the line lengths (without their ends) since the last blank line add up to at most <paramref name="maxEvent"/>.
    /// </summary>
    private static string ExpectedLimitedOutcome(string text, int maxEvent)
    {
        var events = new List<string>();
        var lines = System.Text.RegularExpressions.Regex.Split(text, "\r\n|\r|\n");
        long size = 0;
        List<string>? data = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var last = i == lines.Length - 1; // what follows the last line end: a line still open when the body ends
            if (line.Length == 0 && !last)
            {
                if (data is not null)
                {
                    events.Add(string.Join('\n', data));
                }

                size = 0;
                data = null;
                continue;
            }

            size += line.Length;
            if (size > maxEvent)
            {
                events.Add("!");
                break;
            }

            var colon = line.IndexOf(':');
            if (!last && (colon < 0 ? line : line[..colon]) == "data")
            {
                var value = colon < 0 ? "" : line[(colon + 1)..];
                (data ??= []).Add(value.StartsWith(' ') ? value[1..] : value);
            }
        }

        return string.Join('|', events);
    }

    private static OllamaOptions Unbounded() => new() { ModelId = "m", MaxEventBytes = ProviderOptions.MaxMaxEventBytes, MaxResponseBytes = ProviderOptions.MaxMaxResponseBytes };

    /// <summary>Every SSE body of the fixtures (ours and the shared ones): the raw wire files, and each chunks file framed as its providers send it.</summary>
    private static List<(string Name, byte[] Body)> FixtureBodies()
    {
        var roots = new List<string> { Fixtures.Root };
        for (var dir = new DirectoryInfo(Fixtures.Root); dir is not null; dir = dir.Parent)
        {
            var shared = Path.Combine(dir.FullName, "shared", "fixtures");
            if (Directory.Exists(shared))
            {
                roots.Add(shared);
                break;
            }
        }

        var bodies = new List<(string, byte[])>();
        foreach (var root in roots)
        {
            foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var name = Path.GetRelativePath(root, path).Replace('\\', '/');
                if (path.EndsWith(".sse", StringComparison.Ordinal) || (name.Contains("raw-sse/", StringComparison.Ordinal) && path.EndsWith(".txt", StringComparison.Ordinal)))
                {
                    bodies.Add((name, File.ReadAllBytes(path)));
                }
                else if (path.EndsWith(".chunks.txt", StringComparison.Ordinal))
                {
                    var lines = File.ReadLines(path).Where(l => l.Trim().Length > 0).ToList();
                    bodies.Add((name + " as data events", Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => $"data: {l}\n\n")) + "data: [DONE]\n\n")));
                    bodies.Add((name + " as typed events", Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => $"event: {TypeOf(l)}\ndata: {l}\n\n")))));
                }
            }
        }

        return bodies;
    }

    private static string TypeOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                ? type.GetString()!
                : "untyped";
        }
        catch (JsonException)
        {
            return "unparsed";
        }
    }

    /// <summary>Turns every LF of the body into <paramref name="end"/>.</summary>
    private static byte[] Reframe(byte[] body, ReadOnlySpan<byte> end)
    {
        var result = new List<byte>(body.Length * 2);
        foreach (var b in body)
        {
            if (b == (byte)'\n')
            {
                result.AddRange(end);
            }
            else
            {
                result.Add(b);
            }
        }

        return [.. result];
    }

    /// <summary>Hands out at most <c>size</c> bytes per read; asynchronously when asked; failing instead of ending when asked.</summary>
    private sealed class ChunkedStream(byte[] body, int size, bool asynchronous = false, bool failAtEnd = false) : Stream
    {
        public int Delivered { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Delivered; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (Delivered == body.Length && failAtEnd)
            {
                throw new IOException("the connection was reset");
            }

            var n = Math.Min(Math.Min(size, buffer.Length), body.Length - Delivered);
            body.AsSpan(Delivered, n).CopyTo(buffer);
            Delivered += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (asynchronous)
            {
                await Task.Yield();
            }

            return Read(buffer.Span);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

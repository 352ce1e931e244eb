using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Providers.Tests.Bedrock;
using Providers.Tests.Replay;
using static Providers.Tests.Hostile.HostileKit;

namespace Providers.Tests.Hostile;

/// <summary>
/// Every built-in HTTP provider (<see cref="HostileTargets"/> and <see cref="AddedHostileTargets"/>) against a raw-socket
/// server that breaks the rules: redirects to another host, error bodies that never end, numbers no type can hold,
/// corrupt or explosive gzip, a line or frame without end, invalid UTF-8, an error page where a stream should be, and
/// keys echoed back everywhere. Each run must end, in bounded time and memory, with chunks then completion or a
/// <see cref="ProviderException"/> that holds no secret. Scenarios that only some providers have are in
/// <see cref="AddedProviderHostileTests"/>.
/// </summary>
public sealed partial class HostileServerTests
{
    // Ollama retries every error that is not permanent (RetryAllErrors), so a scenario is scripted for every attempt.
    internal const int Attempts = 4;

    /// <summary>Every target of both lists.</summary>
    public static IEnumerable<HostileTarget> Every => HostileTargets.All.Concat(AddedHostileTargets.All);

    /// <summary>The targets of <see cref="HostileTargets"/> only (the suites of memory and secrets use these).</summary>
    public static TheoryData<string> Targets => HostileTargets.Names();

    public static TheoryData<string> EveryTarget()
    {
        var data = new TheoryData<string>();
        foreach (var target in Every)
        {
            data.Add(target.Name);
        }

        return data;
    }

    public static TheoryData<string, int> TargetsAndRedirects()
    {
        var data = new TheoryData<string, int>();
        foreach (var target in Every)
        {
            foreach (var status in new[] { 301, 302, 307, 308 })
            {
                data.Add(target.Name, status);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TargetsAndRedirects))]
    public async Task A_redirect_is_not_followed_and_no_credential_reaches_the_other_host(string name, int status)
    {
        await using var server = new HostileServer();
        await using var elsewhere = new HostileServer();
        using var clock = new FastRetryClock();
        var target = AddedHostileTargets.Named(name);
        server.Enqueue(Head($"{status} Moved", $"Location: {elsewhere.BaseUri}v1/steal", "Content-Length: 0"), "");

        var outcome = await RunAsync(target.Create(server.BaseUri, clock, null));

        var error = outcome.ProviderError;
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.Contains("do not follow redirects", error.Message, StringComparison.Ordinal);
        Assert.Contains(elsewhere.BaseUri.Authority, error.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
        var sent = Assert.Single(server.Requests).Head;

        // The first host did get the credential (so the test would see one that travelled on).
        Assert.Contains(name switch
        {
            "anthropic" => "x-api-key: " + HostileTargets.Key,
            "gemini" => "x-goog-api-key: " + HostileTargets.Key,
            "bedrock" => "X-Amz-Security-Token: " + HostileTargets.HeaderSecret,
            "sapaicore" => "Authorization: Bearer " + Providers.Tests.SapAiCore.SapAiCoreTests.AccessToken,
            _ => "Authorization: Bearer " + HostileTargets.Key,
        }, sent, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public async Task An_error_body_that_never_ends_is_bounded_by_the_request_timeout(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        server.Enqueue(Head("400 Bad Request", "Content-Type: application/json", "Content-Length: 100000"), """{"error":{"message":"never fin""", hang: true);

        var outcome = await RunAsync(AddedHostileTargets.Named(name).Create(server.BaseUri, clock, o => o.RequestTimeout = TimeSpan.FromSeconds(1)));

        Assert.Equal(HttpStatusCode.BadRequest, outcome.ProviderError.StatusCode);
        Assert.Empty(outcome.Chunks);
    }

    public static TheoryData<string, string> TargetsAndHugeWaits()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in Every)
        {
            foreach (var header in new[] { "Retry-After: 1e12", "retry-after-ms: 1e20", "x-ratelimit-reset: 1e300", "Retry-After: 99999999999999999999999999" })
            {
                data.Add(target.Name, header);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TargetsAndHugeWaits))]
    public async Task A_huge_requested_wait_fails_at_once_as_over_the_ceiling(string name, string header)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        server.Enqueue(Head("429 Too Many Requests", header, "Content-Type: application/json", "Content-Length: 2"), "{}");

        var outcome = await RunAsync(AddedHostileTargets.Named(name).Create(server.BaseUri, clock, null));

        var error = outcome.ProviderError;
        Assert.Equal(RetryAfter.MaxWait, error.RetryAfter);
        Assert.Contains("retryAfterCeilingMs", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    public static TheoryData<string, string> TargetsAndNumbers()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in Every)
        {
            foreach (var number in new[] { "1.5", "99999999999", "1e400", "-1", "-99999999999999999999999" })
            {
                data.Add(target.Name, number);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TargetsAndNumbers))]
    public async Task Every_number_replaced_by_one_no_field_can_hold_is_contained(string name, string number)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var target = AddedHostileTargets.Named(name);
        var lines = target.MinimalStream.Select(l => NumberValue().Replace(l, ":" + number)).ToList();
        var body = target.Frame(lines);
        EnqueueForEveryAttempt(server, Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Length: " + body.Length), body);

        await RunAsync(target.Create(server.BaseUri, clock, null));
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public async Task A_corrupt_gzip_body_is_a_provider_error(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var target = AddedHostileTargets.Named(name);
        var gzip = Gzip(target.Frame(target.MinimalStream));
        for (var i = 12; i < gzip.Length; i += 3)
        {
            gzip[i] ^= 0x5a;
        }

        EnqueueForEveryAttempt(server, Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Encoding: gzip", "Content-Length: " + gzip.Length), gzip);

        var outcome = await RunAsync(target.Create(server.BaseUri, clock, null));

        Assert.NotNull(outcome.Error);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_gzip_bomb_line_stops_at_the_event_limit_that_the_error_names(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var target = HostileTargets.Named(name);
        var prefix = target.StreamContentType == "text/event-stream" ? "data: " : "";
        var bomb = Bomb(prefix);
        EnqueueForEveryAttempt(server, Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Encoding: gzip", "Content-Length: " + bomb.Length), bomb);

        var outcome = await RunAsync(target.Create(server.BaseUri, clock, o => o.MaxEventBytes = 1024 * 1024));

        var error = outcome.ProviderError;
        Assert.Equal("event_too_large", error.ErrorType);
        Assert.Contains("'maxEventBytes'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public async Task A_response_longer_than_the_response_limit_stops_there_and_names_it(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var target = AddedHostileTargets.Named(name);
        var body = target.Frame(Enumerable.Repeat(target.MinimalStream[0], 2000).Concat(target.MinimalStream.Skip(1)).ToList());
        server.Enqueue(Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Length: " + body.Length), body);

        var outcome = await RunAsync(target.Create(server.BaseUri, clock, o => o.MaxResponseBytes = 64 * 1024));

        var error = outcome.ProviderError;
        Assert.Equal("response_too_large", error.ErrorType);
        Assert.Contains("'maxResponseBytes'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public async Task A_50_MB_line_or_frame_without_an_end_is_cut_at_the_event_limit(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var target = AddedHostileTargets.Named(name);
        byte[] start = name == "bedrock"
            ? AddedProviderHostileTests.Prelude(50 * 1024 * 1024)
            : Utf8(target.StreamContentType == "text/event-stream" ? "data: " : "");
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(async (stream, token) =>
            {
                await stream.WriteAsync(Utf8(Head("200 OK", "Content-Type: " + target.StreamContentType) + "\r\n\r\n"), token);
                await stream.WriteAsync(start, token);
                var block = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
                for (var i = 0; i < 800; i++)
                {
                    await stream.WriteAsync(block, token);
                }
            });
        }

        var outcome = await RunAsync(target.Create(server.BaseUri, clock, o => o.MaxEventBytes = 1024 * 1024));

        var error = outcome.ProviderError;
        Assert.Equal("event_too_large", error.ErrorType);
        Assert.Contains("'maxEventBytes'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public async Task Invalid_utf8_in_the_text_is_contained(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var target = AddedHostileTargets.Named(name);
        byte[] framed;
        if (name == "bedrock")
        {
            // Inside a frame whose checksums are right, so the payload itself is what the decoder meets.
            var payload = Utf8("""{"contentBlockIndex":0,"delta":{"text":"Hi"}}""");
            var at = payload.AsSpan().IndexOf(Utf8("Hi"));
            payload[at] = 0xff;
            payload[at + 1] = 0xc0;
            framed = [.. target.Frame(target.MinimalStream.Take(1).ToList()), .. EventStreamEncoder.Message([(":event-type", "contentBlockDelta"), (":content-type", "application/json"), (":message-type", "event")], payload), .. target.Frame(target.MinimalStream.Skip(2).ToList())];
        }
        else
        {
            framed = target.Frame(target.MinimalStream);
            var at = framed.AsSpan().IndexOf(Utf8("Hi"));
            framed[at] = 0xff;
            framed[at + 1] = 0xc0;
        }

        EnqueueForEveryAttempt(server, Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Length: " + framed.Length), framed);

        await RunAsync(target.Create(server.BaseUri, clock, null));
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public async Task A_json_error_with_status_200_is_read_as_an_error_once_not_retried_as_cut_off(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        const string Body = """{"error":{"message":"the gateway refused: quota exhausted"}}""";
        EnqueueForEveryAttempt(server, Head("200 OK", "Content-Type: application/json", "Content-Length: " + Body.Length), Body);

        var outcome = await RunAsync(AddedHostileTargets.Named(name).Create(server.BaseUri, clock, null));

        var error = outcome.ProviderError;
        Assert.Contains("the gateway refused: quota exhausted", error.Message, StringComparison.Ordinal);
        Assert.Contains("instead of a stream", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public async Task An_html_page_with_status_200_is_an_error_read_once(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        const string Body = "<html><body>Please log in to the proxy</body></html>";
        EnqueueForEveryAttempt(server, Head("200 OK", "Content-Type: text/html", "Content-Length: " + Body.Length), Body);

        var outcome = await RunAsync(AddedHostileTargets.Named(name).Create(server.BaseUri, clock, null));

        Assert.Contains("Please log in to the proxy", outcome.ProviderError.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public async Task A_control_character_in_a_header_value_or_credential_is_rejected_before_anything_is_sent(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();

        var outcome = await RunAsync(AddedHostileTargets.Named(name).Create(server.BaseUri, clock, AddedProviderHostileTests.InjectControlCharacter));

        Assert.IsAssignableFrom<ProviderException>(outcome.Error);
        Assert.Contains("control character", outcome.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("openai-chat")]
    [InlineData("openrouter")]
    [InlineData("openai-responses")]
    [InlineData("anthropic")]
    public async Task Tool_call_arguments_for_a_call_the_stream_never_started_are_one_malformed_stream_error(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var target = HostileTargets.Named(name);
        string orphan = name switch
        {
            "openai-responses" => """{"type":"response.function_call_arguments.delta","sequence_number":2,"item_id":"fc_unknown","output_index":3,"delta":"{\"a\":1}"}""",
            "anthropic" => """{"type":"content_block_delta","index":7,"delta":{"type":"input_json_delta","partial_json":"{\"a\":1}"}}""",
            _ => """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"tool_calls":[{"index":5,"function":{"arguments":"{\"a\":1}"}}]},"finish_reason":null}]}""",
        };
        var lines = target.MinimalStream.ToList();
        lines.Insert(name == "anthropic" ? 3 : 1, orphan);
        var body = target.Frame(lines);
        server.Enqueue(Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Length: " + body.Length), body);

        var outcome = await RunAsync(target.Create(server.BaseUri, clock, null));

        var error = outcome.ProviderError;
        Assert.Equal("malformed_stream", error.ErrorType);
        Assert.DoesNotContain(outcome.Chunks, c => c is ToolCallChunk);
    }

    [Fact]
    public async Task A_30_MB_ollama_line_under_the_limit_is_read_in_one_linear_pass()
    {
        // The line reader used to search its whole buffer again on every read: quadratic in the line length.
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var text = new string('a', 30 * 1024 * 1024);
        var lines = HostileTargets.Ollama.MinimalStream.Select(l => l.Replace("\"content\":\"Hi\"", $"\"content\":\"{text}\"", StringComparison.Ordinal)).ToList();
        var body = HostileTargets.Ollama.Frame(lines);
        server.Enqueue(Head("200 OK", "Content-Type: application/x-ndjson", "Content-Length: " + body.Length), body);

        var outcome = await RunAsync(HostileTargets.Ollama.Create(server.BaseUri, clock, null));

        Assert.Null(outcome.Error);
        Assert.Equal(text.Length, Assert.IsType<TextChunk>(outcome.Chunks[0]).Text.Length);
    }

    [Fact]
    public async Task The_openrouter_generation_lookup_that_stalls_is_bounded_and_fails_as_a_provider_error()
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var body = HostileTargets.DataEvents(["""{"id":"gen-1","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}"""]);
        server.Enqueue(Head("200 OK", "Content-Type: text/event-stream", "Content-Length: " + body.Length), body);
        for (var i = 0; i < 5; i++)
        {
            server.Enqueue(Head("200 OK", "Content-Type: application/json", "Content-Length: 5000"), """{"data":{""", hang: true);
        }

        var handler = HostileTargets.OpenRouter.Create(server.BaseUri, clock, o => o.RequestTimeout = TimeSpan.FromSeconds(1));
        var outcome = await RunAsync(handler);
        Assert.Null(outcome.Error);

        var lookup = Task.Run(async () => await handler.GetApiStreamUsageAsync());
        Assert.Same(lookup, await Task.WhenAny(lookup, Task.Delay(HangLimit)));
        var error = await Assert.ThrowsAsync<ProviderException>(() => lookup);
        AssertNoSecret(error);
        Assert.Equal(5, server.Requests.Count);
    }

    /// <summary>The same answer to every attempt a retrying provider makes.</summary>
    private static void EnqueueForEveryAttempt(HostileServer server, string head, byte[] body)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(head, body);
        }
    }

    private static void EnqueueForEveryAttempt(HostileServer server, string head, string body) => EnqueueForEveryAttempt(server, head, Utf8(body));

    internal static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    // 64 MB of one line, about 64 KB on the wire.
    private static byte[] Bomb(string prefix)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(Encoding.ASCII.GetBytes(prefix));
            var block = new byte[1024 * 1024];
            block.AsSpan().Fill((byte)'a');
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(block);
            }
        }

        return output.ToArray();
    }

    [GeneratedRegex(@":(-?\d+(\.\d+)?([eE][+-]?\d+)?)(?=[,}\]])")]
    private static partial Regex NumberValue();
}

/// <summary>Options set in code get the checks settings binding makes: the setter refuses an out-of-range value, naming the setting, before anything is sent.</summary>
public sealed class OptionsInCodeTests
{
    [Theory]
    [InlineData(0L, "requestTimeoutMs")]
    [InlineData(5_000_000_000L, "requestTimeoutMs")]
    public async Task An_out_of_range_timeout_set_in_code_is_refused_naming_the_setting(long milliseconds, string key)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        foreach (var target in HostileTargets.All)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => target.Create(server.BaseUri, clock, o => o.RequestTimeout = TimeSpan.FromMilliseconds(milliseconds)));

            Assert.Equal(key, error.ParamName);
            Assert.Contains("from 1 to 4294967294", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_non_positive_limit_set_in_code_is_refused_naming_the_setting()
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();

        Assert.Equal("maxEventBytes", Assert.Throws<ArgumentOutOfRangeException>(() => HostileTargets.OpenAiChat.Create(server.BaseUri, clock, o => o.MaxEventBytes = 0)).ParamName);
        Assert.Equal("maxResponseBytes", Assert.Throws<ArgumentOutOfRangeException>(() => HostileTargets.OpenAiChat.Create(server.BaseUri, clock, o => o.MaxResponseBytes = -1)).ParamName);
        Assert.Empty(server.Requests);
    }
}

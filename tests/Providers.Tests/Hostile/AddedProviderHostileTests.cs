using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Providers.Bedrock;
using Providers.Gemini;
using Providers.OpenAiCompatible;
using Providers.Tests.Bedrock;
using Providers.Tests.Replay;
using Providers.Vertex;
using static Providers.Tests.Hostile.HostileKit;

namespace Providers.Tests.Hostile;

/// <summary>
/// The hostile-server scenarios, run against the providers added after the suite (<see cref="AddedHostileTargets"/>):
/// credentials (x-goog-api-key, Vertex's bearer token, SigV4 headers and the AWS session token) never reach a second
/// host, every read is bounded, and whatever the server sends ends in chunks then completion or a
/// <see cref="ProviderException"/> that holds no secret.
/// </summary>
public sealed partial class AddedProviderHostileTests
{
    private const int Attempts = 4;

    public static TheoryData<string> Targets => AddedHostileTargets.Names();

    public static TheoryData<string, int> TargetsAndRedirects()
    {
        var data = new TheoryData<string, int>();
        foreach (var target in AddedHostileTargets.All)
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
        server.Enqueue(Head($"{status} Moved", $"Location: {elsewhere.BaseUri}v1/steal", "Content-Length: 0"), "");

        var outcome = await RunAsync(AddedHostileTargets.Named(name).Create(server.BaseUri, clock, null));

        var error = outcome.ProviderError;
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.Contains("do not follow redirects", error.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
        var sent = Assert.Single(server.Requests).Head;

        // The first host did get the credential (so the test would see one that travelled on).
        Assert.Contains(name switch
        {
            "gemini" => "x-goog-api-key: " + HostileTargets.Key,
            "bedrock" => "X-Amz-Security-Token: " + HostileTargets.HeaderSecret,
            _ => "Authorization: Bearer " + HostileTargets.Key,
        }, sent, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task An_error_body_that_never_ends_is_bounded_by_the_request_timeout(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        server.Enqueue(Head("400 Bad Request", "Content-Type: application/json", "Content-Length: 100000"), """{"error":{"message":"never fin""", hang: true);

        var outcome = await RunAsync(AddedHostileTargets.Named(name).Create(server.BaseUri, clock, o => o.RequestTimeout = TimeSpan.FromSeconds(1)));

        Assert.Equal(HttpStatusCode.BadRequest, outcome.ProviderError.StatusCode);
        Assert.Empty(outcome.Chunks);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_huge_requested_wait_fails_at_once_as_over_the_ceiling(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        server.Enqueue(Head("429 Too Many Requests", "Retry-After: 1e12", "Content-Type: application/json", "Content-Length: 2"), "{}");

        var outcome = await RunAsync(AddedHostileTargets.Named(name).Create(server.BaseUri, clock, null));

        var error = outcome.ProviderError;
        Assert.Equal(RetryAfter.MaxWait, error.RetryAfter);
        Assert.Single(server.Requests);
    }

    public static TheoryData<string, string> TargetsAndNumbers()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in AddedHostileTargets.All)
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
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Length: " + body.Length), body);
        }

        await RunAsync(target.Create(server.BaseUri, clock, null));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_corrupt_gzip_body_is_a_provider_error(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var target = AddedHostileTargets.Named(name);
        var gzip = HostileServerTests.Gzip(target.Frame(target.MinimalStream));
        for (var i = 12; i < gzip.Length; i += 3)
        {
            gzip[i] ^= 0x5a;
        }

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Encoding: gzip", "Content-Length: " + gzip.Length), gzip);
        }

        var outcome = await RunAsync(target.Create(server.BaseUri, clock, null));

        Assert.NotNull(outcome.Error);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_50_MB_line_or_frame_without_an_end_is_cut_at_the_event_limit(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var target = AddedHostileTargets.Named(name);
        byte[] start = name == "bedrock"
            ? Prelude(50 * 1024 * 1024)
            : Utf8("data: ");
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

    [Fact]
    public async Task A_whole_bedrock_message_over_the_event_limit_is_refused_by_its_prelude_before_it_is_buffered()
    {
        // 2 MB of valid, checksummed message against a 1 MB limit: under the decoder's own 16 MB cap, so only the limit stops it.
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var target = AddedHostileTargets.Bedrock;
        var text = new string('a', 2 * 1024 * 1024);
        var body = target.Frame([target.MinimalStream[0], "{\"contentBlockDelta\":{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + text + "\"}}}", .. target.MinimalStream.Skip(2)]);
        server.Enqueue(Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Length: " + body.Length), body);

        var outcome = await RunAsync(target.Create(server.BaseUri, clock, o => o.MaxEventBytes = 1024 * 1024));

        var error = outcome.ProviderError;
        Assert.Equal("event_too_large", error.ErrorType);
        Assert.Contains("'maxEventBytes'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Chunks, c => c is TextChunk);
    }

    [Theory]
    [MemberData(nameof(Targets))]
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
    [MemberData(nameof(Targets))]
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

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Length: " + framed.Length), framed);
        }

        await RunAsync(target.Create(server.BaseUri, clock, null));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_json_error_with_status_200_is_read_as_an_error_once_not_retried_as_cut_off(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        const string Body = """{"error":{"message":"the gateway refused: quota exhausted"}}""";
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(Head("200 OK", "Content-Type: application/json", "Content-Length: " + Body.Length), Body);
        }

        var outcome = await RunAsync(AddedHostileTargets.Named(name).Create(server.BaseUri, clock, null));

        var error = outcome.ProviderError;
        Assert.Contains("the gateway refused: quota exhausted", error.Message, StringComparison.Ordinal);
        Assert.Contains("instead of a stream", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task An_html_page_with_status_200_is_an_error_read_once(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        const string Body = "<html><body>Please log in to the proxy</body></html>";
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(Head("200 OK", "Content-Type: text/html", "Content-Length: " + Body.Length), Body);
        }

        var outcome = await RunAsync(AddedHostileTargets.Named(name).Create(server.BaseUri, clock, null));

        Assert.Contains("Please log in to the proxy", outcome.ProviderError.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_control_character_in_a_credential_is_rejected_before_anything_is_sent(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();

        var outcome = await RunAsync(AddedHostileTargets.Named(name).Create(server.BaseUri, clock, o =>
        {
            switch (o)
            {
                case GeminiOptions gemini:
                    gemini.ApiKey = HostileTargets.Key + "\r\nX-Injected: yes";
                    break;
                case VertexOptions vertex:
                    vertex.AccessToken = HostileTargets.Key + "\r\nX-Injected: yes";
                    break;
                case BedrockOptions bedrock:
                    bedrock.SessionToken = HostileTargets.HeaderSecret + "\nX-Injected: yes";
                    break;
                case DeepSeekOptions deepSeek:
                    deepSeek.ApiKey = HostileTargets.Key + "\rX-Injected: yes";
                    break;
                case CerebrasOptions cerebras:
                    cerebras.ApiKey = HostileTargets.Key + "\r\nX-Injected: yes";
                    break;
                case OpenAiNativeOptions native:
                    native.ApiKey = HostileTargets.Key + "\nX-Injected: yes";
                    break;
                case QwenCodeOptions qwenCode:
                    qwenCode.OauthPath = AddedHostileTargets.QwenCodeCredentialsFile(HostileTargets.Key + "\r\nX-Injected: yes");
                    break;
                case OpenAiCodexOptions codex:
                    codex.Credentials = AddedHostileTargets.OpenAiCodexCredentials(HostileTargets.Key + "\nX-Injected: yes");
                    break;
            }
        }));

        Assert.IsAssignableFrom<ProviderException>(outcome.Error);
        Assert.Contains("control character", outcome.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    public static IEnumerable<object[]> Echoes()
    {
        const string Key = HostileTargets.Key;
        var upper = Key.ToUpperInvariant();
        foreach (var target in AddedHostileTargets.All)
        {
            yield return [target.Name, "reason", Head($"401 Unauthorized {Key}", "Content-Type: application/json", "Content-Length: 2"), "{}"];
            // Only Bedrock holds the second secret (its session token); to the others it is no secret of theirs.
            var token = target.Name == "bedrock" ? HostileTargets.HeaderSecret : "(none)";
            var json = $$$"""{"error":{"code":401,"status":"{{{Key}}}","type":"{{{upper}}}","message":"bad key {{{Key}}}, {{{upper}}}, token {{{token}}}"}}""";
            yield return [target.Name, "body", Head("403 Forbidden", "Content-Type: application/json", "Content-Length: " + json.Length), json];
            var text = new string('x', 290) + Key + " and more";
            yield return [target.Name, "truncation", Head("500 Internal Server Error", "Content-Type: text/plain", "Content-Length: " + text.Length), text];
            var stream = InStreamError(target);
            yield return [target.Name, "in-stream", Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Length: " + stream.Length), Convert.ToBase64String(stream)];
        }
    }

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task An_echoed_credential_reaches_no_exception(string name, string where, string head, string body)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var bytes = where == "in-stream" ? Convert.FromBase64String(body) : Utf8(body);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(head, bytes);
        }

        var outcome = await RunAsync(AddedHostileTargets.Named(name).Create(server.BaseUri, clock, null));

        AssertNoSecret(Assert.IsAssignableFrom<ProviderException>(outcome.Error));
    }

    [Theory]
    [InlineData("Credential should be scoped to a valid region.")]
    [InlineData("Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T124600Z - 5 min.)")]
    public async Task Bedrock_signing_errors_reach_the_user_unredacted_because_a_sigv4_signature_is_no_secret(string message)
    {
        // The SigV4 headers (the Authorization's "Credential=..." scope, X-Amz-Date) are no credentials: recorded as secrets
        // they blank out the very words of AWS's signing errors. The secret key and the session token stay secrets.
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var json = $$"""{"message":"{{message}} token {{HostileTargets.HeaderSecret}}"}""";
        server.Enqueue(Head("403 Forbidden", "Content-Type: application/json", "x-amzn-ErrorType: InvalidSignatureException", "Content-Length: " + json.Length), json);

        var outcome = await RunAsync(AddedHostileTargets.Bedrock.Create(
            server.BaseUri, clock, o => o.TimeProvider = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero))));

        Assert.Contains(message, outcome.ProviderError.Message, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Date: 20150830T123600Z", Assert.Single(server.Requests).Head, StringComparison.OrdinalIgnoreCase);
    }

    private static byte[] InStreamError(HostileTarget target) => target.Name switch
    {
        "vertex-claude" => HostileTargets.TypedEvents([
            target.MinimalStream[0],
            $$$"""{"type":"error","error":{"type":"{{{HostileTargets.Key}}}","message":"overloaded {{{HostileTargets.Key}}}"}}"""]),
        "gemini" or "vertex" => target.Frame([target.MinimalStream[0], $$$"""{"error":{"code":500,"status":"{{{HostileTargets.Key}}}","message":"failed near {{{HostileTargets.Key.ToUpperInvariant()}}}"}}"""]),
        "bedrock" => [.. target.Frame([target.MinimalStream[0]]), .. EventStreamEncoder.Exception("internalServerException", $"failed near {HostileTargets.Key} and {HostileTargets.HeaderSecret}")],
        "openai-native" or "openai-codex" => HostileTargets.TypedEvents([$$$"""{"type":"error","code":"{{{HostileTargets.Key}}}","message":"bad {{{HostileTargets.Key.ToUpperInvariant()}}}","param":null,"sequence_number":1}"""]),
        _ => HostileTargets.DataEvents([$$$"""{"id":"gen-1","error":{"code":"{{{HostileTargets.Key}}}","message":"upstream said {{{HostileTargets.Key}}}"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}"""]),
    };

    /// <summary>An event-stream prelude with right checksum announcing a message of <paramref name="total"/> bytes and no headers.</summary>
    private static byte[] Prelude(int total)
    {
        var prelude = new byte[12];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(prelude, total);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(prelude.AsSpan(4), 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(8), System.IO.Hashing.Crc32.HashToUInt32(prelude.AsSpan(0, 8)));
        return prelude;
    }

    [GeneratedRegex(@":(-?\d+(\.\d+)?([eE][+-]?\d+)?)(?=[,}\]])")]
    private static partial Regex NumberValue();
}

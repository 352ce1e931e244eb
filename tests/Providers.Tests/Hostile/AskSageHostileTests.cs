using System.Net;
using System.Text.RegularExpressions;
using Providers.AskSage;
using Providers.Tests.Replay;
using static Providers.Tests.Hostile.HostileKit;

namespace Providers.Tests.Hostile;

/// <summary>
/// The hostile-server scenarios that apply to <c>asksage</c>, whose answer is one JSON body rather than a stream: the
/// key in <c>x-access-tokens</c> never reaches a second host, the body read is bounded in time and size, and whatever
/// the server sends ends in chunks then completion or a <see cref="ProviderException"/> that holds no secret.
/// </summary>
public sealed partial class AskSageHostileTests
{
    private const int Attempts = 4;

    private static readonly string Answer = Fixtures.Text("asksage/query-text.json").Trim();

    /// <summary>The <c>asksage</c> provider against a hostile server, with the suite's key.</summary>
    public static IApiHandler Create(Uri uri, FastRetryClock clock, Action<ProviderOptions>? configure)
    {
        var options = new AskSageOptions { BaseUrl = new Uri(uri, "server"), ApiKey = HostileTargets.Key, ModelId = "gpt-5" };
        clock.Attach(options);
        options.RequestTimeout = TimeSpan.FromSeconds(20);
        options.StreamIdleTimeout = TimeSpan.FromSeconds(20);
        configure?.Invoke(options);
        return new AskSageHandler(options);
    }

    private static string JsonHead(int length, string status = "200 OK") => Head(status, "Content-Type: application/json", "Content-Length: " + length);

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_redirect_is_not_followed_and_the_key_reaches_no_other_host(int status)
    {
        await using var server = new HostileServer();
        await using var elsewhere = new HostileServer();
        using var clock = new FastRetryClock();
        server.Enqueue(Head($"{status} Moved", $"Location: {elsewhere.BaseUri}server/query", "Content-Length: 0"), "");

        var outcome = await RunAsync(Create(server.BaseUri, clock, null));

        Assert.Equal((HttpStatusCode)status, outcome.ProviderError.StatusCode);
        Assert.Contains("do not follow redirects", outcome.ProviderError.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
        Assert.Contains("x-access-tokens: " + HostileTargets.Key, Assert.Single(server.Requests).Head, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_success_body_that_never_ends_is_bounded_by_the_request_timeout()
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(JsonHead(100_000), """{"message":"never fin""", hang: true);
        }

        var outcome = await RunAsync(Create(server.BaseUri, clock, o => o.RequestTimeout = TimeSpan.FromSeconds(1)));

        Assert.Equal("body_timeout", outcome.ProviderError.ErrorType);
        Assert.Empty(outcome.Chunks);
    }

    [Fact]
    public async Task An_error_body_that_never_ends_is_bounded_by_the_request_timeout()
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        server.Enqueue(JsonHead(100_000, "400 Bad Request"), """{"message":"never fin""", hang: true);

        var outcome = await RunAsync(Create(server.BaseUri, clock, o => o.RequestTimeout = TimeSpan.FromSeconds(1)));

        Assert.Equal(HttpStatusCode.BadRequest, outcome.ProviderError.StatusCode);
    }

    [Fact]
    public async Task A_huge_requested_wait_fails_at_once_as_over_the_ceiling()
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        server.Enqueue(Head("429 Too Many Requests", "Retry-After: 1e12", "Content-Type: application/json", "Content-Length: 2"), "{}");

        var outcome = await RunAsync(Create(server.BaseUri, clock, null));

        Assert.Equal(RetryAfter.MaxWait, outcome.ProviderError.RetryAfter);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    [InlineData("1e400")]
    [InlineData("-1")]
    [InlineData("-99999999999999999999999")]
    public async Task Every_number_replaced_by_one_no_field_can_hold_is_contained(string number)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var body = NumberValue().Replace(Answer, ":" + number);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(JsonHead(Utf8(body).Length), body);
        }

        var outcome = await RunAsync(Create(server.BaseUri, clock, null));

        Assert.True(outcome.Error is not null || outcome.Chunks.Count > 0);
    }

    [Fact]
    public async Task A_corrupt_gzip_body_is_a_provider_error()
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var gzip = HostileServerTests.Gzip(Utf8(Answer));
        for (var i = 12; i < gzip.Length; i += 3)
        {
            gzip[i] ^= 0x5a;
        }

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(Head("200 OK", "Content-Type: application/json", "Content-Encoding: gzip", "Content-Length: " + gzip.Length), gzip);
        }

        var outcome = await RunAsync(Create(server.BaseUri, clock, null));

        Assert.NotNull(outcome.Error);
        Assert.Empty(outcome.Chunks);
    }

    [Fact]
    public async Task A_50_MB_answer_is_cut_at_the_response_limit()
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        server.Enqueue(async (stream, token) =>
        {
            await stream.WriteAsync(Utf8(Head("200 OK", "Content-Type: application/json", "Content-Length: 52428800") + "\r\n\r\n{\"message\":\""), token);
            var block = new byte[64 * 1024];
            Array.Fill(block, (byte)'x');
            for (var sent = 0; sent < 50 * 1024 * 1024 && !token.IsCancellationRequested; sent += block.Length)
            {
                await stream.WriteAsync(block, token);
            }
        });

        var outcome = await RunAsync(Create(server.BaseUri, clock, o => o.MaxResponseBytes = 1024 * 1024));

        Assert.Equal("response_too_large", outcome.ProviderError.ErrorType);
        Assert.Contains("'maxResponseBytes'", outcome.ProviderError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_in_the_text_is_contained()
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var bytes = Utf8(Answer);
        var at = bytes.AsSpan().IndexOf("Hello"u8);
        bytes[at] = 0xff;
        bytes[at + 1] = 0xc0;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(JsonHead(bytes.Length), bytes);
        }

        var outcome = await RunAsync(Create(server.BaseUri, clock, null));

        Assert.Equal("malformed_stream", outcome.ProviderError.ErrorType);
    }

    [Fact]
    public async Task An_html_page_with_status_200_is_a_malformed_answer_read_once()
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        const string Body = "<html><body>Please log in to the proxy</body></html>";
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(Head("200 OK", "Content-Type: text/html", "Content-Length: " + Body.Length), Body);
        }

        var outcome = await RunAsync(Create(server.BaseUri, clock, null));

        Assert.Equal("malformed_stream", outcome.ProviderError.ErrorType);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_control_character_in_the_key_is_rejected_before_anything_is_sent()
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();

        var outcome = await RunAsync(Create(server.BaseUri, clock, o => ((AskSageOptions)o).ApiKey = HostileTargets.Key + "\r\nX-Injected: yes"));

        Assert.Contains("control character", outcome.ProviderError.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    public static IEnumerable<object[]> Echoes()
    {
        const string Key = HostileTargets.Key;
        var upper = Key.ToUpperInvariant();
        yield return ["reason", Head($"401 Unauthorized {Key}", "Content-Type: application/json", "Content-Length: 2"), "{}"];
        var json = $$$"""{"status":403,"response":"{{{Key}}}","message":"bad key {{{Key}}}, {{{upper}}}"}""";
        yield return ["body", JsonHead(json.Length, "403 Forbidden"), json];
        var text = new string('x', 290) + Key + " and more";
        yield return ["truncation", Head("500 Internal Server Error", "Content-Type: text/plain", "Content-Length: " + text.Length), text];
        var inAnswer = $$$"""{"status":401,"response":"{{{Key}}}","message":"Token {{{Key}}} is invalid!"}""";
        yield return ["in-answer", JsonHead(inAnswer.Length), inAnswer];
    }

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task An_echoed_key_reaches_no_exception(string where, string head, string body)
    {
        Assert.NotEmpty(where);
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(head, body);
        }

        var outcome = await RunAsync(Create(server.BaseUri, clock, null));

        AssertNoSecret(Assert.IsAssignableFrom<ProviderException>(outcome.Error));
    }

    [GeneratedRegex(@":(-?\d+(\.\d+)?([eE][+-]?\d+)?)(?=[,}\]])")]
    private static partial Regex NumberValue();
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Providers.Ollama;
using Providers.Tests.Bedrock;
using Providers.Tests.Replay;
using static Providers.Tests.Hostile.HostileKit;

namespace Providers.Tests.Hostile;

/// <summary>
/// A server's error text reaches the caller only through <see cref="ServerText"/>: every provider family, against a
/// server on 127.0.0.1 that sends a 1 MB error message with ANSI escapes, a line break that fakes a log line, a bidi
/// override and the key exactly where the cut falls, in the stream and in a non-2xx body. The message must hold no
/// control character, be bounded, show the key nowhere (not even its first characters), and the error type must be a
/// short token.
/// </summary>
public sealed partial class ServerTextHostileTests
{
    private const int Attempts = HostileServerTests.Attempts;

    // ESC sequences, a CR LF and a forged log line, a right-to-left override.
    private const string Prefix = "\u001b[31mRED\u001b[0m\r\n2026-12-02T12:00:00Z INFO forged: login ok \u202Eexe.txt ";

    // An error type that would clear a terminal and fake a log line, carrying the key.
    private static readonly string HostileType = "\u001b[2J\r\nINFO forged " + HostileTargets.Key;

    public static TheoryData<string> EveryTarget() => HostileServerTests.EveryTarget();

    /// <summary>The message: <see cref="Prefix"/>, filler, the key starting 4 characters before the cut, then <paramref name="tail"/> characters.</summary>
    private static string HostileMessage(int tail)
    {
        // As shown: an escaped control is 6 characters ("\u001B"), the CR LF one space.
        var shown = Prefix.Sum(c => c is '\u001b' or '\u202E' ? 6 : c == '\n' ? 0 : 1);
        return Prefix + new string('A', ServerText.MaxLength - 4 - shown) + HostileTargets.Key + new string('B', tail);
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public async Task A_hostile_error_in_the_stream_is_neutralised_bounded_and_redacted_before_the_cut(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var target = AddedHostileTargets.Named(name);
        var body = InStreamError(target, HostileMessage(1_000_000));
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Length: " + body.Length), body);
        }

        var outcome = await RunAsync(target.Create(server.BaseUri, clock, null));

        AssertHostileTextNeutralised(outcome.ProviderError);
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public async Task A_hostile_error_body_is_neutralised_bounded_and_redacted_before_the_cut(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var target = AddedHostileTargets.Named(name);
        // Within the 64 KiB of an error body that is read, in every shape the providers parse.
        var message = HostileMessage(20_000);
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["error"] = new Dictionary<string, object> { ["type"] = HostileType, ["code"] = HostileType, ["status"] = HostileType, ["message"] = message },
            ["__type"] = HostileType,
            ["message"] = message,
        });
        var bytes = Utf8(json);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(Head("400 Bad Request", "Content-Type: application/json", "Content-Length: " + bytes.Length), bytes);
        }

        var outcome = await RunAsync(target.Create(server.BaseUri, clock, null));

        var error = outcome.ProviderError;
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        AssertHostileTextNeutralised(error);
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public async Task A_reason_phrase_with_escapes_reaches_no_message_as_control_characters(string name)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(Head("403 \u001b[2J\u001b]0;owned\u0007Forbidden", "Content-Type: text/plain", "Content-Length: 0"), "");
        }

        var outcome = await RunAsync(AddedHostileTargets.Named(name).Create(server.BaseUri, clock, null));

        var message = outcome.ProviderError.Message;
        Assert.DoesNotContain(message, IsControlOrBidi);
        Assert.True(message.Length < 1000, message);
    }

    private static void AssertHostileTextNeutralised(ProviderException error)
    {
        var message = error.Message;
        Assert.DoesNotContain(message, IsControlOrBidi);
        Assert.Contains("\\u001B[31mRED\\u001B[0m 2026-12-02T12:00:00Z INFO forged: login ok \\u202Eexe.txt AAA", message, StringComparison.Ordinal);
        // The key starts 4 characters before the cut: redacted whole first, so only "[red" of the replacement is left.
        Assert.Contains("AAAA[red… [cut: 2000 of ", message, StringComparison.Ordinal);
        Assert.True(message.Length < ServerText.MaxLength + 1000, $"{message.Length} characters");
        foreach (var text in new[] { message, error.ToString(), error.ErrorType ?? "" })
        {
            Assert.DoesNotContain("sk-h", text, StringComparison.OrdinalIgnoreCase);
            AssertNoSecret(text);
        }

        Assert.Matches(ErrorTypeToken(), error.ErrorType ?? "none");
    }

    private static bool IsControlOrBidi(char c) =>
        char.IsControl(c) || c is '\u061c' or '\u200e' or '\u200f' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') or '\u2028' or '\u2029';

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex ErrorTypeToken();

    private static string Json(string text) => JsonSerializer.Serialize(text);

    private static byte[] InStreamError(HostileTarget target, string message)
    {
        var m = Json(message);
        var t = Json(HostileType);
        return target.Name switch
        {
            "ollama" => target.Frame([target.MinimalStream[0], "{\"error\":" + m + "}"]),
            "anthropic" or "vertex-claude" => HostileTargets.TypedEvents([
                target.MinimalStream[0],
                "{\"type\":\"error\",\"error\":{\"type\":" + t + ",\"message\":" + m + "}}"]),
            "gemini" or "vertex" => target.Frame([target.MinimalStream[0], "{\"error\":{\"code\":500,\"status\":" + t + ",\"message\":" + m + "}}"]),
            "bedrock" => [.. target.Frame([target.MinimalStream[0]]), .. EventStreamEncoder.Exception("internalServerException", message)],
            "dify" => target.Frame([target.MinimalStream[0], "{\"event\":\"error\",\"status\":500,\"code\":" + t + ",\"message\":" + m + "}"]),
            "sapaicore" => target.Frame([target.MinimalStream[0], "{\"internalServerException\":{\"message\":" + m + "}}"]),
            "openai-responses" or "openai-native" or "openai-codex" => HostileTargets.TypedEvents([
                "{\"type\":\"error\",\"code\":" + t + ",\"message\":" + m + ",\"param\":null,\"sequence_number\":1}"]),
            _ => HostileTargets.DataEvents([
                "{\"id\":\"gen-1\",\"error\":{\"code\":" + t + ",\"message\":" + m + "},\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}"]),
        };
    }
}

/// <summary>Out-of-range limits are refused when the provider is built, from Cline-style flat settings and from options set in code; nothing is sent.</summary>
public sealed class LimitSettingsTests
{
    [Fact]
    public async Task Out_of_range_limits_in_flat_settings_are_one_configuration_error_naming_each_key_and_its_range()
    {
        await using var server = new HostileServer();
        var settings = ProviderSettings.Parse($$"""
        {
          "actModeApiProvider": "ollama",
          "ollamaBaseUrl": "{{server.BaseUri}}",
          "actModeOllamaModelId": "llama3.2",
          "maxEventBytes": "3000000000",
          "maxResponseBytes": -1,
          "maxErrorBodyBytes": "lots",
          "requestTimeoutMs": 0,
          "streamIdleTimeoutMs": "1e300"
        }
        """);

        var error = Assert.Throws<ProviderConfigurationException>(() => ProviderRegistry.Create("ollama", settings, Mode.Act));

        Assert.Equal(
            [
                new SettingProblem("maxErrorBodyBytes", "'lots' is not valid: expected a whole number of bytes from 0 to 16777216 (16 MiB)"),
                new SettingProblem("maxEventBytes", "'3000000000' is not valid: expected a whole number of bytes from 1 to 1073741824 (1 GiB)"),
                new SettingProblem("maxResponseBytes", "'-1' is not valid: expected a whole number of bytes from 1 to 1099511627776 (1 TiB)"),
                new SettingProblem("requestTimeoutMs", "'0' is not valid: expected a duration in milliseconds from 1 to 4294967294 (about 49 days, the longest a timer can wait)"),
                new SettingProblem("streamIdleTimeoutMs", "'1e300' is not valid: expected a duration in milliseconds from 1 to 4294967294 (about 49 days, the longest a timer can wait)"),
            ],
            error.Problems.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Limits_at_their_bounds_in_flat_settings_build_a_provider()
    {
        await using var server = new HostileServer();
        var settings = ProviderSettings.Parse($$"""
        {
          "ollamaBaseUrl": "{{server.BaseUri}}",
          "actModeOllamaModelId": "llama3.2",
          "maxEventBytes": 1073741824,
          "maxResponseBytes": "1099511627776",
          "maxErrorBodyBytes": 0,
          "requestTimeoutMs": 4294967294
        }
        """);

        Assert.IsType<OllamaHandler>(ProviderRegistry.Create("ollama", settings, Mode.Act));
    }

    [Fact]
    public void An_event_limit_past_what_can_be_buffered_set_in_code_throws_when_the_options_are_built()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new OllamaOptions { ModelId = "m", MaxEventBytes = int.MaxValue });

        Assert.Equal("maxEventBytes", error.ParamName);
        Assert.Contains("from 1 to 1073741824 (1 GiB); not 2147483647", error.Message, StringComparison.Ordinal);
    }
}

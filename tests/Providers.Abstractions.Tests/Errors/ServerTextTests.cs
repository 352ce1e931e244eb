namespace Providers.Abstractions.Tests.Errors;

/// <summary>Server text on its way into an exception: neutralised, cut after redaction, error types reduced to tokens.</summary>
public class ServerTextTests
{
    private const string Secret = "sk-live-SECRET-0123456789abcdef";

    private static ProviderException Error(string message, string? errorType = null, params string[] secrets)
    {
        var exception = new ProviderException("p", message) { ErrorType = errorType };
        var redactor = new SecretRedactor();
        foreach (var secret in secrets)
        {
            redactor.Add(secret);
        }

        exception.Secrets = redactor;
        return exception;
    }

    [Fact]
    public void Line_breaks_become_one_space_so_a_message_cannot_forge_a_log_line()
    {
        var message = Error("said: " + ServerText.Clean("first\r\n2026-12-02 12:00:00 INFO login ok\n\u2028x\u0085y")).Message;

        Assert.Equal("said: first 2026-12-02 12:00:00 INFO login ok x y", message);
    }

    [Fact]
    public void Escape_and_other_control_characters_and_bidi_overrides_are_written_visibly()
    {
        var message = Error(ServerText.Clean("\u001b[31mred\u001b[0m \u202Egnp.exe\u202C \u0000\u007f\u009b \u2066x\u2069")).Message;

        Assert.Equal("\\u001B[31mred\\u001B[0m \\u202Egnp.exe\\u202C \\u0000\\u007F\\u009B \\u2066x\\u2069", message);
    }

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character_and_a_pair_stays()
    {
        Assert.Equal("a\uFFFDb\U0001F600", Error(ServerText.Clean("a\uD800b\U0001F600")).Message);
    }

    [Fact]
    public void A_server_cannot_forge_the_marks_that_delimit_its_text()
    {
        // The marks are noncharacters: sent by a server, they are escaped, so its text cannot end early or claim a length.
        var message = Error("[" + ServerText.Clean("a\uFDD1b\uFDD2" + "99\uFDD0c") + "]").Message;

        Assert.Equal("[a\\uFDD1b\\uFDD299\\uFDD0c]", message);
    }

    [Fact]
    public void Text_longer_than_the_cap_is_cut_with_a_note_of_its_full_length_and_the_text_around_it_stays()
    {
        var text = new string('a', 1_000_000);

        var message = Error($"before: {ServerText.Clean(text)}. Check the key.").Message;

        Assert.Equal("before: " + new string('a', ServerText.MaxLength) + "… [cut: 2000 of 1000000 characters shown]. Check the key.", message);
    }

    [Fact]
    public void Text_at_the_cap_is_not_cut()
    {
        var text = new string('b', ServerText.MaxLength);

        Assert.Equal(text, Error(ServerText.Clean(text)).Message);
    }

    [Fact]
    public void The_cut_never_splits_a_surrogate_pair()
    {
        var text = new string('a', ServerText.MaxLength - 1) + "\U0001F600" + "tail";

        var message = Error(ServerText.Clean(text)).Message;

        Assert.StartsWith(new string('a', ServerText.MaxLength - 1) + "… [cut: 1999 of ", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-30)]
    [InlineData(-8)]
    [InlineData(-7)]
    [InlineData(-4)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    public void A_secret_across_the_cut_is_redacted_whole_before_the_cut(int offset)
    {
        // The secret starts `offset` characters from the cut: were the cut made first, a few of its characters would be
        // left before the note, too few for the prefix rule (8) to catch.
        var text = new string('a', ServerText.MaxLength + offset) + Secret + new string('b', 5000);

        var message = Error(ServerText.Clean(text), null, Secret).Message;

        Assert.DoesNotContain("sk-l", message, StringComparison.OrdinalIgnoreCase);
        var expected = (new string('a', ServerText.MaxLength + offset) + "[redacted]" + new string('b', 5000))[..ServerText.MaxLength];
        Assert.StartsWith(expected + "… [cut: 2000 of ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_at_the_cut_of_the_eager_form_is_redacted_whole_before_the_cut()
    {
        var redactor = new SecretRedactor();
        redactor.Add(Secret);
        var text = new string('a', 96) + Secret + new string('b', 100);

        var cleaned = ServerText.Clean(text, redactor, 100);

        Assert.Equal(new string('a', 96) + "[red… [cut: 100 of 227 characters shown]", cleaned);
    }

    [Fact]
    public void A_secret_past_the_retained_text_never_shows()
    {
        var text = new string('a', ServerText.RetainedLength - 3) + Secret;

        var message = Error(ServerText.Clean(text), null, Secret).Message;

        Assert.DoesNotContain("sk-", message, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith($"… [cut: 2000 of {text.Length} characters shown]", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_shows_the_rendered_message()
    {
        var error = Error("x " + ServerText.Clean("\u001b]0;title\u0007" + new string('c', 3000) + Secret), null, Secret);

        var text = error.ToString();

        Assert.Contains("x \\u001B]0;title\\u0007ccc", text, StringComparison.Ordinal);
        Assert.Contains("… [cut: 2000 of", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\uFDD0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live", text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("overloaded_error", "overloaded_error")]
    [InlineData("RESOURCE_EXHAUSTED", "RESOURCE_EXHAUSTED")]
    [InlineData("ThrottlingException", "ThrottlingException")]
    [InlineData("validationException", "validationException")]
    [InlineData("invalid-request.error", "invalid-request.error")]
    [InlineData("429", "429")]
    [InlineData("HTTP2Error", "HTTP2Error")]
    [InlineData("bad request", ServerText.FallbackErrorType)]
    [InlineData("-x", ServerText.FallbackErrorType)]
    [InlineData("\u001b[2Jx", ServerText.FallbackErrorType)]
    [InlineData("bad\nINFO forged", ServerText.FallbackErrorType)]
    [InlineData("a\u202Eb", ServerText.FallbackErrorType)]
    [InlineData("com.amazon#Throttling", ServerText.FallbackErrorType)]
    [InlineData("___", ServerText.FallbackErrorType)]
    public void An_error_type_is_a_short_token_or_the_fallback(string value, string expected)
    {
        Assert.Equal(expected, Error("m", value).ErrorType);
    }

    [Fact]
    public void An_error_type_longer_than_the_limit_is_the_fallback()
    {
        Assert.Equal(new string('a', 64), Error("m", new string('a', 64)).ErrorType);
        Assert.Equal(ServerText.FallbackErrorType, Error("m", new string('a', 65)).ErrorType);
        Assert.Equal(ServerText.FallbackErrorType, Error("m", new string('a', 1_000_000)).ErrorType);
    }

    [Fact]
    public void An_error_type_holding_a_secret_is_redacted_before_it_is_reduced_so_no_part_survives()
    {
        // A mixed-case secret reduced first would gain underscores between its "words" and escape the redactor.
        Assert.Equal(ServerText.FallbackErrorType, Error("m", "KeyAbCdEfGh12", "KeyAbCdEfGh12").ErrorType);
        Assert.Equal(ServerText.FallbackErrorType, Error("m", "err_" + Secret.ToUpperInvariant(), Secret).ErrorType);
    }

    [Fact]
    public void Library_text_outside_the_marks_is_left_as_it_is()
    {
        Assert.Equal("line one\nline two", Error("line one\nline two").Message);
    }
}

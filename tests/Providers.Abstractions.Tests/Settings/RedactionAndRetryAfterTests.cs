using System.Net;

namespace Providers.Abstractions.Tests.Settings;

public class RedactionAndRetryAfterTests
{
    private const string Key = "sk-live-ABCDEF0123456789";

    [Theory]
    [InlineData("key sk-live-ABCDEF0123456789 end", "key [redacted] end")]
    [InlineData("KEY SK-LIVE-ABCDEF0123456789 END", "KEY [redacted] END")]
    [InlineData("cut at sk-live-AB", "cut at [redacted]")]
    [InlineData("short sk-live", "short sk-live")]
    [InlineData("twice sk-live-ABCDEF0123456789sk-live-ABCD!", "twice [redacted][redacted]!")]
    public void Redaction_covers_the_key_any_8_character_prefix_and_any_case(string text, string expected) =>
        Assert.Equal(expected, SecretRedactor.Redact(text, [Key]));

    [Fact]
    public void Truncation_happens_after_redaction_so_a_cut_key_is_never_half_shown()
    {
        var text = new string('x', 295) + Key;

        var shown = SecretRedactor.RedactAndTruncate(text, [Key], 300);

        Assert.DoesNotContain("sk-l", shown, StringComparison.Ordinal);
        Assert.StartsWith(new string('x', 295) + "[red", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exception_redacts_its_message_to_string_and_error_type_once_it_knows_the_secrets()
    {
        var inner = new InvalidOperationException("inner saw " + Key);
        var options = new TestOptions();
        options.Secrets.Add(Key);
        var error = new ProviderException("acme", "outer saw " + Key.ToUpperInvariant(), HttpStatusCode.Unauthorized, innerException: inner) { ErrorType = Key };

        ExceptionContainment.Attach(error, options);

        Assert.Equal("outer saw [redacted]", error.Message);
        // Redacted first, then not a token of [A-Za-z0-9_.-]: the fallback, with no part of the key.
        Assert.Equal(ServerText.FallbackErrorType, error.ErrorType);
        Assert.DoesNotContain("sk-live-", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void User_information_of_a_url_is_a_secret()
    {
        var redactor = new SecretRedactor();
        redactor.AddUserInfo(new Uri("http://someone:pa%24%24word-123@example.com/"));

        Assert.Equal("x [redacted] y", redactor.Redact("x pa$$word-123 y"));
    }

    [Fact]
    public void User_information_of_a_url_resolved_against_a_base_is_a_secret()
    {
        var redactor = new SecretRedactor();
        redactor.AddUserInfo(new Uri(new Uri("http://someone:pa%24%24word-123@example.com/v1/"), "chat/completions"));

        Assert.Equal("x [redacted] y", redactor.Redact("x pa$$word-123 y"));
    }

    [Theory]
    [InlineData("http://example.com/v1/")]
    [InlineData("http://example.com/v1/models/a@b?to=c@d")]
    public void A_url_without_user_information_adds_no_secret(string url)
    {
        var redactor = new SecretRedactor();
        redactor.AddUserInfo(new Uri(url));

        Assert.True(redactor.IsEmpty);
    }

    [Fact]
    public void A_known_secret_added_again_stays_redacted_and_the_256_secret_cap_still_holds()
    {
        var redactor = new SecretRedactor();
        for (var i = 0; i < 256; i++)
        {
            redactor.Add($"{i:000}-secret");
        }

        redactor.Add("000-secret");
        redactor.Add("256-secret");

        Assert.Equal("[redacted] [redacted] 256-secret", redactor.Redact("000-secret 255-secret 256-secret"));
    }

    [Theory]
    [InlineData("retry-after", "1e12")]
    [InlineData("retry-after-ms", "1e20")]
    [InlineData("x-ratelimit-reset", "1e300")]
    [InlineData("ratelimit-reset", "1.7976931348623157e308")]
    public void A_huge_requested_wait_reads_as_the_maximum_instead_of_overflowing(string header, string value)
    {
        var wait = RetryAfter.FromHeaders(name => string.Equals(name, header, StringComparison.OrdinalIgnoreCase) ? value : null, DateTimeOffset.UnixEpoch.AddYears(56));

        Assert.Equal(RetryAfter.MaxWait, wait);
    }

    private sealed class TestOptions : ProviderOptions;
}

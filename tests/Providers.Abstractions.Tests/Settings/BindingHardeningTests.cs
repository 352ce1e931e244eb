using Providers.Settings;

namespace Providers.Abstractions.Tests.Settings;

/// <summary>Settings binding rejects what would inject headers or crash a timer later, naming the key and never echoing the value.</summary>
public class BindingHardeningTests
{
    private static SettingsBinder Binder(params (string Key, string Value)[] values)
    {
        var settings = ProviderSettings.From(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)));
        return new SettingsBinder(settings, "acme");
    }

    [Theory]
    [InlineData("sk-abc\r\nX-Injected: yes")]
    [InlineData("sk-abc\nX-Injected: yes")]
    [InlineData("sk-abc\u0000def")]
    [InlineData("sk-\u001b[2Jabc")]
    public void A_string_setting_with_a_line_break_or_control_character_is_rejected_naming_the_key(string value)
    {
        var binder = Binder(("apiKey", value));

        Assert.Null(binder.String("apiKey", required: false, null));
        var error = Assert.Throws<ProviderConfigurationException>(binder.ThrowIfInvalid);
        Assert.Equal(["apiKey"], error.Keys);
        Assert.DoesNotContain("sk-abc", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n  - apiKey: 'sk", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trailing_newline_of_a_pasted_key_is_trimmed_not_rejected()
    {
        var binder = Binder(("apiKey", "sk-abc-123\r\n"));

        Assert.Equal("sk-abc-123", binder.String("apiKey", required: false, null));
        binder.ThrowIfInvalid();
    }

    [Theory]
    [InlineData("""{"X-Team": "a\r\nX-Injected: yes"}""")]
    [InlineData("""{"X-Te\nam": "a"}""")]
    [InlineData("""{"": "a"}""")]
    public void A_header_map_with_a_control_character_or_an_empty_name_is_rejected_naming_the_key(string value)
    {
        var binder = Binder(("openAiHeaders", value));

        binder.StringMap("openAiHeaders", required: false, null);
        var error = Assert.Throws<ProviderConfigurationException>(binder.ThrowIfInvalid);
        Assert.Equal(["openAiHeaders"], error.Keys);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("4294967295")]
    [InlineData("1e300")]
    [InlineData("-5")]
    public void A_duration_a_timer_cannot_wait_is_rejected_at_binding(string value)
    {
        var binder = Binder(("requestTimeoutMs", value));

        binder.Milliseconds("requestTimeoutMs", required: false, TimeSpan.FromSeconds(1));
        var error = Assert.Throws<ProviderConfigurationException>(binder.ThrowIfInvalid);
        Assert.Equal(["requestTimeoutMs"], error.Keys);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("4294967294", 4294967294)]
    public void The_duration_bounds_are_accepted(string value, double milliseconds)
    {
        var binder = Binder(("requestTimeoutMs", value));

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), binder.Milliseconds("requestTimeoutMs", required: false, TimeSpan.FromSeconds(1)));
        binder.ThrowIfInvalid();
    }
}

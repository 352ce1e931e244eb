using Providers.Settings;

namespace Providers.Abstractions.Tests.Settings;

/// <summary>
/// The numeric limits of <see cref="ProviderOptions"/> are checked when the options are built: from settings, as a
/// setting problem naming the key and the range; in code, by the setter. Nothing out of range reaches a request.
/// </summary>
public class OptionLimitsTests
{
    private sealed class PlainOptions : ProviderOptions;

    private static SettingsBinder Binder(string key, string value) =>
        new(ProviderSettings.From([new KeyValuePair<string, string?>(key, value)]), "acme");

    [Theory]
    [InlineData("maxEventBytes", "-1", "'-1' is not valid: expected a whole number of bytes from 1 to 1073741824 (1 GiB)")]
    [InlineData("maxEventBytes", "0", "'0' is not valid: expected a whole number of bytes from 1 to 1073741824 (1 GiB)")]
    [InlineData("maxEventBytes", "2147483647", "'2147483647' is not valid: expected a whole number of bytes from 1 to 1073741824 (1 GiB)")]
    [InlineData("maxEventBytes", "3000000000", "'3000000000' is not valid: expected a whole number of bytes from 1 to 1073741824 (1 GiB)")]
    [InlineData("maxEventBytes", "99999999999999999999999", "'99999999999999999999999' is not valid: expected a whole number of bytes from 1 to 1073741824 (1 GiB)")]
    [InlineData("maxEventBytes", "lots", "'lots' is not valid: expected a whole number of bytes from 1 to 1073741824 (1 GiB)")]
    [InlineData("maxEventBytes", "1.5", "'1.5' is not valid: expected a whole number of bytes from 1 to 1073741824 (1 GiB)")]
    [InlineData("maxErrorBodyBytes", "-1", "'-1' is not valid: expected a whole number of bytes from 0 to 16777216 (16 MiB)")]
    [InlineData("maxErrorBodyBytes", "2000000000", "'2000000000' is not valid: expected a whole number of bytes from 0 to 16777216 (16 MiB)")]
    public void An_int_limit_out_of_range_is_a_setting_problem_naming_the_key_and_the_range(string key, string value, string problem)
    {
        var binder = Binder(key, value);

        Assert.Equal(7, binder.Int32(key, required: false, 7));
        var error = Assert.Throws<ProviderConfigurationException>(binder.ThrowIfInvalid);
        Assert.Equal([new SettingProblem(key, problem)], error.Problems);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-9223372036854775808")]
    [InlineData("1099511627777")]
    [InlineData("9223372036854775807")]
    [InlineData("9223372036854775808")]
    public void A_response_limit_out_of_range_is_a_setting_problem_naming_the_key_and_the_range(string value)
    {
        var binder = Binder("maxResponseBytes", value);

        Assert.Equal(7L, binder.Int64("maxResponseBytes", required: false, 7L));
        var error = Assert.Throws<ProviderConfigurationException>(binder.ThrowIfInvalid);
        Assert.Equal("maxResponseBytes", Assert.Single(error.Problems).Key);
        Assert.EndsWith("expected a whole number of bytes from 1 to 1099511627776 (1 TiB)", error.Problems[0].Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("maxEventBytes", "1", 1)]
    [InlineData("maxEventBytes", "1073741824", 1073741824)]
    [InlineData("maxErrorBodyBytes", "0", 0)]
    [InlineData("maxErrorBodyBytes", "16777216", 16777216)]
    public void The_int_limit_bounds_are_accepted(string key, string value, int expected)
    {
        var binder = Binder(key, value);

        Assert.Equal(expected, binder.Int32(key, required: false, 7));
        binder.ThrowIfInvalid();
    }

    [Fact]
    public void The_response_limit_bounds_are_accepted()
    {
        Assert.Equal(1L, Binder("maxResponseBytes", "1").Int64("maxResponseBytes", required: false, 7L));
        Assert.Equal(1L << 40, Binder("maxResponseBytes", "1099511627776").Int64("maxResponseBytes", required: false, 7L));
    }

    [Fact]
    public void Other_whole_number_settings_keep_their_own_rules()
    {
        var binder = Binder("ollamaApiOptionsCtxNum", "-4");

        Assert.Equal(-4, binder.Int32("ollamaApiOptionsCtxNum", required: false, 7));
        binder.ThrowIfInvalid();
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e300")]
    [InlineData("4294967295")]
    [InlineData("0.5")]
    public void A_duration_a_timer_cannot_wait_is_a_setting_problem_naming_the_range(string value)
    {
        var binder = Binder("streamIdleTimeoutMs", value);

        binder.Milliseconds("streamIdleTimeoutMs", required: false, TimeSpan.FromSeconds(1));
        var error = Assert.Throws<ProviderConfigurationException>(binder.ThrowIfInvalid);
        Assert.EndsWith("expected a duration in milliseconds from 1 to 4294967294 (about 49 days, the longest a timer can wait)", Assert.Single(error.Problems).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData((1 << 30) + 1)]
    public void Setting_an_event_limit_out_of_range_in_code_throws_naming_the_setting_and_the_range(int value)
    {
        var options = new PlainOptions();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxEventBytes = value);

        Assert.Equal("maxEventBytes", error.ParamName);
        Assert.StartsWith($"The setting 'maxEventBytes' must be a whole number of bytes from 1 to 1073741824 (1 GiB); not {value}.", error.Message, StringComparison.Ordinal);
        Assert.Equal(ProviderOptions.DefaultMaxEventBytes, options.MaxEventBytes);
    }

    [Fact]
    public void Setting_the_other_limits_out_of_range_in_code_throws_naming_each_setting()
    {
        var options = new PlainOptions();

        Assert.Equal("maxResponseBytes", Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxResponseBytes = 0).ParamName);
        Assert.Equal("maxResponseBytes", Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxResponseBytes = long.MaxValue).ParamName);
        Assert.Equal("maxErrorBodyBytes", Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxErrorBodyBytes = -1).ParamName);
        Assert.Equal("maxErrorBodyBytes", Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxErrorBodyBytes = int.MaxValue).ParamName);
        Assert.Equal("requestTimeoutMs", Assert.Throws<ArgumentOutOfRangeException>(() => options.RequestTimeout = TimeSpan.Zero).ParamName);
        Assert.Equal("streamIdleTimeoutMs", Assert.Throws<ArgumentOutOfRangeException>(() => options.StreamIdleTimeout = TimeSpan.FromMilliseconds(-5)).ParamName);
        Assert.Equal("retryAfterCeilingMs", Assert.Throws<ArgumentOutOfRangeException>(() => options.RetryAfterCeiling = TimeSpan.FromDays(50)).ParamName);
        Assert.Contains(
            "The setting 'requestTimeoutMs' must be a duration in milliseconds from 1 to 4294967294",
            Assert.Throws<ArgumentOutOfRangeException>(() => options.RequestTimeout = TimeSpan.MaxValue).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void The_bounds_and_infinite_durations_are_accepted_in_code()
    {
        var options = new PlainOptions
        {
            MaxEventBytes = 1 << 30,
            MaxResponseBytes = 1L << 40,
            MaxErrorBodyBytes = 0,
            RequestTimeout = Timeout.InfiniteTimeSpan,
            StreamIdleTimeout = TimeSpan.FromMilliseconds(1),
            RetryAfterCeiling = TimeSpan.FromMilliseconds(uint.MaxValue - 1),
        };

        Assert.Equal(1 << 30, options.MaxEventBytes);
        Assert.Equal(Timeout.InfiniteTimeSpan, options.RequestTimeout);
    }
}

using System.Text;
using System.Text.Json;
using Providers.Http;

namespace Providers.Tests.Http;

/// <summary>
/// The fast paths of <see cref="JsonFields"/> against the reader's own answers: a count of plain digits is read from the
/// token's bytes, and an enum-like string comes from <see cref="KnownStrings"/>; both must give exactly what
/// <see cref="Utf8JsonReader.TryGetInt64"/> and <see cref="Utf8JsonReader.GetString"/> give, and fail where they fail.
/// </summary>
public class JsonFieldsTests
{
    public static TheoryData<string> Numbers => new()
    {
        "0", "7", "10", "2147483647", "2147483648", "999999999999999999", "1000000000000000000", "9223372036854775807",
        "9223372036854775808", "99999999999999999999", "-0", "-1", "-9223372036854775808", "-9223372036854775809",
        "1.0", "1e0", "1E2", "0.5", "123456789012345678", "1234567890123456789",
    };

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Int64_reads_every_number_as_TryGetInt64_does(string number)
    {
        var data = Encoding.UTF8.GetBytes(number);
        var expected = Reader(data);
        var fits = expected.TryGetInt64(out var value);

        var reader = Reader(data);
        if (fits)
        {
            Assert.Equal<long?>(value, JsonFields.Int64(ref reader));
        }
        else
        {
            var ex = Record(data, static (ref Utf8JsonReader r) => JsonFields.Int64(ref r));
            Assert.IsType<JsonException>(ex);
        }
    }

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Int32_reads_every_number_as_the_int_range_has_it(string number)
    {
        var data = Encoding.UTF8.GetBytes(number);
        var expected = Reader(data);
        if (expected.TryGetInt32(out var value))
        {
            var reader = Reader(data);
            Assert.Equal<int?>(value, JsonFields.Int32(ref reader));
        }
        else
        {
            Assert.IsType<JsonException>(Record(data, static (ref Utf8JsonReader r) => JsonFields.Int32(ref r)));
        }
    }

    [Fact]
    public void KnownStrings_finds_exactly_its_values_and_hands_out_the_same_instance()
    {
        var known = new KnownStrings("stop", "tool_calls", "length", "end_turn", "tool_use", "\u00e9t\u00e9");

        Assert.Same("tool_use", known.Find("tool_use"u8));
        Assert.Same("end_turn", known.Find("end_turn"u8));
        Assert.Equal("\u00e9t\u00e9", known.Find(Encoding.UTF8.GetBytes("\u00e9t\u00e9")));
        Assert.Null(known.Find("tool_usE"u8));
        Assert.Null(known.Find("sto"u8));
        Assert.Null(known.Find("stopp"u8));
        Assert.Null(known.Find(""u8));
        Assert.Null(known.Find(new byte[4096]));
    }

    [Theory]
    [InlineData("\"stop\"", "stop", true)]
    [InlineData("\"length\"", "length", true)]
    [InlineData("\"st\\u006fp\"", "stop", false)]
    [InlineData("\"stopped\"", "stopped", false)]
    [InlineData("null", null, false)]
    public void A_known_string_reads_as_the_string_would(string json, string? expected, bool shared)
    {
        var known = new KnownStrings("stop", "length");
        var reader = Reader(Encoding.UTF8.GetBytes(json));

        var value = JsonFields.String(ref reader, known);

        Assert.Equal(expected, value);
        Assert.Equal(shared, value is not null && ReferenceEquals(value, known.Find(Encoding.UTF8.GetBytes(expected!))));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("{}")]
    [InlineData("\"\\ud800\"")]
    public void A_known_string_of_the_wrong_kind_is_malformed(string json) =>
        Assert.IsType<JsonException>(Record(Encoding.UTF8.GetBytes(json), static (ref Utf8JsonReader r) => JsonFields.String(ref r, new KnownStrings("stop"))));

    private delegate object? Read(ref Utf8JsonReader reader);

    private static Utf8JsonReader Reader(byte[] data)
    {
        var reader = new Utf8JsonReader(data);
        Assert.True(reader.Read());
        return reader;
    }

    private static Exception? Record(byte[] data, Read read)
    {
        var reader = Reader(data);
        try
        {
            read(ref reader);
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}

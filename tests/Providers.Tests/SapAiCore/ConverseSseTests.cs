using System.Text;
using Providers.SapAiCore;

namespace Providers.Tests.SapAiCore;

/// <summary>The envelope splitter in front of the Bedrock decoder: member name and raw payload, or the decoder's malformed event.</summary>
public sealed class ConverseSseTests
{
    [Fact]
    public void A_union_becomes_its_event_type_and_payload_bytes()
    {
        var frame = ConverseSse.Parse("", """{"contentBlockDelta":{"contentBlockIndex":0,"delta":{"text":"Hi"}}}"""u8)!;

        Assert.Equal("event", frame.MessageType);
        Assert.Equal("contentBlockDelta", frame.EventType);
        Assert.Equal("""{"contentBlockIndex":0,"delta":{"text":"Hi"}}""", Encoding.UTF8.GetString(frame.Payload));
    }

    [Fact]
    public void A_member_ending_in_exception_is_an_exception_frame()
    {
        var frame = ConverseSse.Parse("", """{"throttlingException":{"message":"slow down"}}"""u8)!;

        Assert.Equal("exception", frame.MessageType);
        Assert.Equal("throttlingException", frame.ExceptionType);
    }

    [Theory]
    [InlineData("""{"\ud800":{}}""")] // a member name that does not unescape
    [InlineData("""{"contentBlockDelta":"text"}""")]
    [InlineData("""[1]""")]
    [InlineData("""{"contentBlockDelta":{"a":""")]
    public void Anything_else_is_the_malformed_event_the_decoder_rejects(string data)
    {
        var frame = ConverseSse.Parse("", Encoding.UTF8.GetBytes(data))!;

        Assert.Equal("contentBlockDelta", frame.EventType);
        Assert.Empty(frame.Payload);
    }

    [Fact]
    public void A_member_name_that_is_not_utf8_is_malformed_too()
    {
        byte[] data = [(byte)'{', (byte)'"', 0xff, 0xc0, (byte)'"', (byte)':', (byte)'{', (byte)'}', (byte)'}'];

        var frame = ConverseSse.Parse("", data)!;

        Assert.Empty(frame.Payload);
    }
}

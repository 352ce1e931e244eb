using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Providers.Tests.Replay;

namespace Providers.Cli.Tests;

/// <summary>
/// Bedrock ConverseStream events (<c>{"eventName":{...}}</c> lines) in the AWS event-stream framing, from its documented
/// layout: prelude (total length, headers length, CRC32 of those 8 bytes), string headers, payload, CRC32 of all before.
/// </summary>
internal static class BedrockFrames
{
    private static readonly uint[] Table = BuildTable();

    public static ReplayResponse FromLines(IEnumerable<string> lines) => new()
    {
        ContentType = "application/vnd.amazon.eventstream",
        Parts = lines.Select(Frame).ToArray(),
    };

    private static byte[] Frame(string line)
    {
        using var document = JsonDocument.Parse(line);
        var member = document.RootElement.EnumerateObject().Single();
        var headers = new MemoryStream();
        foreach (var (name, value) in new[] { (":event-type", member.Name), (":content-type", "application/json"), (":message-type", "event") })
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            var valueBytes = Encoding.UTF8.GetBytes(value);
            headers.WriteByte((byte)nameBytes.Length);
            headers.Write(nameBytes);
            headers.WriteByte(7);
            headers.WriteByte((byte)(valueBytes.Length >> 8));
            headers.WriteByte((byte)valueBytes.Length);
            headers.Write(valueBytes);
        }

        var payload = Encoding.UTF8.GetBytes(member.Value.GetRawText());
        var headerBytes = headers.ToArray();
        var total = 12 + headerBytes.Length + payload.Length + 4;
        var message = new byte[total];
        BinaryPrimitives.WriteInt32BigEndian(message, total);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), headerBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), Crc32(message.AsSpan(0, 8)));
        headerBytes.CopyTo(message, 12);
        payload.CopyTo(message, 12 + headerBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(total - 4), Crc32(message.AsSpan(0, total - 4)));
        return message;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}

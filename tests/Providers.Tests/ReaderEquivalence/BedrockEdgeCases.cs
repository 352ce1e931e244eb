using System.Text;
using System.Text.Json;

namespace Providers.Tests.ReaderEquivalence;

/// <summary>
/// The Bedrock fixtures hold each ConverseStream event as the AWS SDKs show the union, <c>{"contentBlockDelta": {...}}</c>;
/// on the wire the member name is the <c>:event-type</c> header and its value the payload the reader is handed.
/// </summary>
internal static class ConverseUnions
{
    public static WireEvent Payload(WireEvent union)
    {
        using var document = JsonDocument.Parse(union.Data);
        var member = document.RootElement.EnumerateObject().Single();
        return union with { EventType = member.Name, Data = Encoding.UTF8.GetBytes(member.Value.GetRawText()) };
    }
}

/// <summary>Hand-made ConverseStream payloads for <see cref="EdgeCases"/>: every field once, and the corners.</summary>
internal static class BedrockEdgeCases
{
    public static readonly string[] Events =
    [
        // Every field once, with the p padding Bedrock adds to every payload.
        """{"role":"assistant","contentBlockIndex":2,"start":{"toolUse":{"toolUseId":"tooluse_1","name":"read_file"}},"delta":{"text":"a","toolUse":{"input":"{\"x\":1}"},"reasoningContent":{"text":"t","signature":"s","redactedContent":"cmVk"}},"stopReason":"end_turn","usage":{"inputTokens":10,"outputTokens":5,"totalTokens":15,"cacheReadInputTokens":3,"cacheWriteInputTokens":2},"metrics":{"latencyMs":12},"message":"Model Stream Error","p":"abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"}""",
        """{"contentBlockIndex":0,"delta":{"text":"Hi"},"p":"abcdefghijklmnopqrstuvwxyzABCDEFGH"}""",
        """{"p":"abcd","contentBlockIndex":0,"delta":{"reasoningContent":{"redactedContent":"RVhBTVBMRQ=="}}}""",
        """{"message":"Too many requests, please wait before trying again."}""",
        """{"role":null,"contentBlockIndex":null,"start":null,"delta":null,"stopReason":null,"usage":null,"message":null}""",
        """{"start":{"toolUse":null},"delta":{"text":null,"toolUse":null,"reasoningContent":null}}""",
        """{"start":{"toolUse":{"toolUseId":null,"name":null}},"delta":{"toolUse":{"input":null},"reasoningContent":{"text":null,"signature":null,"redactedContent":null}}}""",
        """{"usage":{"totalTokens":null,"cacheReadInputTokens":null,"cacheWriteInputTokens":null}}""",
        """{"usage":{}}""",
        """{"start":{},"delta":{}}""",
        """{"delta":{"toolUse":{}, "reasoningContent":{}}}""",

        // The padding and other unknown fields in every shape.
        """{"p":null,"contentBlockIndex":0}""",
        """{"p":{"q":[1,2,{"r":null}]},"contentBlockIndex":0}""",
        """{"p":1e400,"contentBlockIndex":0}""",
        """{"contentBlockIndex":0,"delta":{"text":"a","p":"x","future":{"a":[]}}}""",
        """{"metrics":{"latencyMs":"x"},"usage":{"inputTokens":1,"outputTokens":2,"serverToolUsage":{"a":1}}}""",
        """{"p":"\ud800"}""",

        // Escapes.
        """{"contentBlockIndex":0,"delta":{"\ud800":1,"text":"b"},"\udfff":2}""",
        """{"contentBl\u006fckIndex":0,"d\u0065lta":{"t\u0065xt":"\ud83d\ude00 \"q\" \\ \n"},"\u0070":"x"}""",
        """{"contentBlockIndex":0,"delta":{"text":"\ud800"}}""",
        """{"contentBlockIndex":0,"delta":{"text":"\uZZZZ"}}""",
        """{"stopReason":"end\u005fturn"}""",

        // Numbers: this context reads numbers from numbers only; the token counts are not nullable.
        """{"contentBlockIndex":"0","delta":{"text":"a"}}""",
        """{"contentBlockIndex":1.0}""",
        """{"contentBlockIndex":1e0}""",
        """{"contentBlockIndex":-0}""",
        """{"contentBlockIndex":2147483648}""",

        // The digits-only fast path of JsonFields.Int64 at its edges (18 digits, 19, the limits, past them) and cached enum strings that almost match.
        """{"contentBlockIndex":999999999999999999}""",
        """{"contentBlockIndex":2147483647,"usage":{"inputTokens":999999999999999999,"outputTokens":1000000000000000000,"totalTokens":9223372036854775807,"cacheReadInputTokens":0}}""",
        """{"usage":{"inputTokens":-9223372036854775808,"outputTokens":-0}}""",
        """{"usage":{"inputTokens":1,"outputTokens":9223372036854775808}}""",
        """{"role":"assistan","stopReason":"end_turnX"}""",
        """{"role":"assistant","stopReason":"tool_use"}""",
        """{"role":"user","stopReason":"model_context_window_exceeded"}""",
        """{"stopReason":"guardrail_intervened"}""",
        """{"contentBlockIndex":-2147483649}""",
        """{"contentBlockIndex":2147483647}""",
        """{"contentBlockIndex":true}""",
        """{"usage":{"inputTokens":null,"outputTokens":1}}""",
        """{"usage":{"inputTokens":1,"outputTokens":null}}""",
        """{"usage":{"inputTokens":"1","outputTokens":1}}""",
        """{"usage":{"inputTokens":9223372036854775807,"outputTokens":-9223372036854775808}}""",
        """{"usage":{"inputTokens":9223372036854775808}}""",
        """{"usage":{"totalTokens":1.5}}""",
        """{"usage":{"cacheReadInputTokens":"2"}}""",

        // Wrong token types.
        """{"role":1}""",
        """{"stopReason":{}}""",
        """{"message":["x"]}""",
        """{"start":[]}""",
        """{"start":"x"}""",
        """{"start":{"toolUse":"x"}}""",
        """{"start":{"toolUse":{"name":1}}}""",
        """{"delta":[]}""",
        """{"delta":"x"}""",
        """{"delta":{"text":1}}""",
        """{"delta":{"toolUse":[]}}""",
        """{"delta":{"toolUse":{"input":{"x":1}}}}""",
        """{"delta":{"reasoningContent":"x"}}""",
        """{"delta":{"reasoningContent":{"signature":false}}}""",
        """{"usage":1}""",
        """{"usage":[]}""",
        """{"usage":{"inputTokens":true}}""",

        // ConverseEventReader's byte-for-byte text delta: the shape itself, and a byte off it in every part (each either
        // read by that path as the serializer reads it, or left to the token path, which reads it or reports it malformed).
        """{"contentBlockIndex":7,"delta":{"text":" sky"},"p":"abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"}""",
        """{"contentBlockIndex":0,"delta":{"text":""},"p":""}""",
        """{"contentBlockIndex":0,"delta":{"text":"a"}}""",
        """{"contentBlockIndex":123456789,"delta":{"text":"a"},"p":"x"}""",
        """{"contentBlockIndex":1234567890,"delta":{"text":"a"},"p":"x"}""",
        """{"contentBlockIndex":01,"delta":{"text":"a"},"p":"x"}""",
        """{"contentBlockIndex":00,"delta":{"text":"a"},"p":"x"}""",
        """{"contentBlockIndex":,"delta":{"text":"a"},"p":"x"}""",
        """{"contentBlockIndex":0,"delta":{"text":"\"q\" \\ \/ \b\f\n\r\t \u00e9 \ud83d\ude00 é"},"p":"x"}""",
        """{"contentBlockIndex":0,"delta":{"text":"a\\"},"p":"x"}""",
        """{"contentBlockIndex":0,"delta":{"text":"a\"},"p":"x"}""",
        """{"contentBlockIndex":0,"delta":{"text":"a\x"},"p":"x"}""",
        """{"contentBlockIndex":0,"delta":{"text":"a\u12"},"p":"x"}""",
        """{"contentBlockIndex":0,"delta":{"text":"a\ud800"},"p":"x"}""",
        """{"contentBlockIndex":0,"delta":{"text":"\udc00b"},"p":"x"}""",
        "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"a\tb\"},\"p\":\"x\"}",
        "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"a\"},\"p\":\"x\u001fy\"}",
        """{"contentBlockIndex":0,"delta":{"text":"a"},"p":"x\"y"}""",
        """{"contentBlockIndex":0,"delta":{"text":"a"},"p":"x"} """,
        """{"contentBlockIndex":0,"delta":{"text":"a"},"p":"x"}}""",
        """{"contentBlockIndex":0,"delta":{"text":"a"},"p":"x"},""",
        """{"contentBlockIndex":0,"delta":{"text":"a"},"p":"x","q":1}""",
        """{"contentBlockIndex":0,"delta":{"text":"a"},"p":1}""",
        """{"contentBlockIndex":0,"delta":{"text":"a"},"p":"x""",
        """{"contentBlockIndex":0,"delta":{"text":"a"},"p":"x}""",
        """{"contentBlockIndex":0,"delta":{"text":"a"}""",
        """{"contentBlockIndex":0,"delta":{"text":"a""",
        """{"contentBlockIndex":0,"delta":{"text":"a"},"p""",
        """{"contentBlockIndex":0,"delta":{"text":"a","toolUse":null},"p":"x"}""",
        """{"contentBlockIndex":0,"delta":{"text":"a"},"delta":{"text":"b"},"p":"x"}""",
        """{"contentBlockIndex":0,"delta":{"text":"a"},"p":"x","p":"y"}""",
        """{"contentBlockIndex":0,"delta":{"text":null},"p":"x"}""",
        """{"contentBlockIndex":0, "delta":{"text":"a"},"p":"x"}""",

        // Duplicates (the last one wins) and case (names are matched exactly).
        """{"contentBlockIndex":0,"contentBlockIndex":1,"delta":{"text":"a"},"delta":{"text":"b","text":"c"}}""",
        """{"delta":{"text":"a"},"delta":null}""",
        """{"usage":{"inputTokens":1,"inputTokens":2,"outputTokens":3}}""",
        """{"ContentBlockIndex":0,"Delta":{"Text":"a"},"StopReason":"x","Usage":{"InputTokens":1}}""",
    ];

    public static readonly string[] InvalidUtf8Templates =
    [
        """{"contentBlockIndex":0,"delta":{"text":"X"},"p":"abc"}""",
        """{"contentBlockIndex":0,"delta":{"text":"a"},"p":"X"}""",
        """{"contentBlockIndex":0,"delta":{"text":"\nX"},"p":"abc"}""",
        """{"contentBlockIndex":0,"delta":{"text":"X"}}""",
        """{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"X"}}}""",
        """{"contentBlockIndex":0,"X":0}""",
        """{"contentBlockIndex":0,"\rX":0}""",
        """{"message":"X"}""",
    ];
}

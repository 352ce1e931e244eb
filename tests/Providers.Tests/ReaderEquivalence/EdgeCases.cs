using System.Text;

namespace Providers.Tests.ReaderEquivalence;

/// <summary>
/// Hand-made events per format, beside the fixtures: every field of the wire type set once (so the coverage check sees
/// it compared), and the corners where a hand-written reader drifts from the serializer: nulls, wrong token types,
/// quoted and escaped numbers, escaped names, duplicates, invalid UTF-8, trailing content.
/// </summary>
internal static class EdgeCases
{
    public static List<WireEvent> For(string format)
    {
        var (eventType, cases) = format switch
        {
            "openai-chat" => (null, Common.Concat(Chat)),
            "ollama" => (null, Common.Concat(Ollama)),
            "anthropic" => ("content_block_delta", Common.Concat(Anthropic)),
            _ => throw new ArgumentException($"No edge cases for the format '{format}': add them to {nameof(EdgeCases)}.", nameof(format)),
        };
        return cases.Select((text, i) => new WireEvent($"edge case {format} #{i}", eventType, Encoding.UTF8.GetBytes(text)))
            .Concat(InvalidUtf8(format).Select((bytes, i) => new WireEvent($"edge case {format} invalid UTF-8 #{i}", eventType, bytes)))
            .ToList();
    }

    /// <summary>Shapes that are not an event object at all.</summary>
    private static readonly string[] Common =
    [
        "null", "[]", "{}", "\"text\"", "1", "true", "{} {}", "{}x", "{", "{\"a\":1,}", "{\"a\" 1}", " {} ", "{}\n",
        "{\"unknown\":{\"deep\":[1,{\"x\":null}]}}", "{\"\\ud800\":1}", "{\"\\udc00abc\":\"x\"}", "{\"\\u0000\":1}", "{\"a\":1}//comment", "\uFEFF{}", "{'a':1}",
        new string('[', 70) + new string(']', 70),
        "{\"x\":" + new string('[', 70) + new string(']', 70) + "}",
    ];

    private static readonly string[] Chat =
    [
        // Every field once.
        """{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":"a","reasoning_content":"b","reasoning":"c","reasoning_details":[{"type":"reasoning.text","text":"t","signature":"s"}],"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"x\":1}"}}]},"finish_reason":"tool_calls","error":{"code":502,"message":"upstream"}}],"usage":{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":3,"cache_write_tokens":2},"completion_tokens_details":{"reasoning_tokens":1},"prompt_cache_hit_tokens":3,"prompt_cache_miss_tokens":7,"cost":0.0012,"cost_details":{"upstream_inference_cost":0.001}},"error":{"code":429,"message":"rate limited"}}""",
        """{"id":null,"choices":null,"usage":null,"error":null}""",
        """{"choices":[{"index":null,"delta":null,"finish_reason":null,"error":null}]}""",
        """{"choices":[{"delta":{"content":null,"reasoning_content":null,"reasoning":null,"reasoning_details":null,"tool_calls":null}}]}""",
        """{"choices":[{"delta":{"tool_calls":[{"index":null,"id":null,"function":null}]}}]}""",
        """{"choices":[{"delta":{"tool_calls":[{"function":{"name":null,"arguments":null}}]}}]}""",
        """{"choices":[{"delta":{"reasoning_details":"text"}}]}""",
        """{"choices":[{"error":"text"}],"error":"text"}""",

        // Escapes.
        """{"id":"\u0063hat","choices":[{"delta":{"content":"\ud83d\ude00 \"q\" \\ \n"}}]}""",
        """{"\u0069d":"x","ch\u006fices":[{"\u0064elta":{"c\u006fntent":"y"}}]}""",
        """{"choices":[{"finish_reason":"st\u006fp"},{"finish_reason":"stop"},{"finish_reason":"tool_calls"},{"finish_reason":"length"},{"finish_reason":"error"},{"finish_reason":"content_filter"}]}""",
        """{"choices":[{"delta":{"content":"\ud800"}}]}""",
        """{"choices":[{"delta":{"content":"\uZZZZ"}}]}""",
        """{"choices":[{"delta":{"\ud800":"a","content":"b"}}]}""",

        // Numbers: the context reads numbers from strings too.
        """{"choices":[{"index":"1"}]}""",
        """{"choices":[{"index":"\u0031"}]}""",
        """{"choices":[{"index":" 1"}]}""",
        """{"choices":[{"index":"+1"}]}""",
        """{"choices":[{"index":"-1"}]}""",
        """{"choices":[{"index":"1.0"}]}""",
        """{"choices":[{"index":""}]}""",
        """{"choices":[{"index":"null"}]}""",
        """{"choices":[{"index":"2147483648"}]}""",
        """{"choices":[{"index":1.0}]}""",
        """{"choices":[{"index":1e0}]}""",
        """{"choices":[{"index":-0}]}""",
        """{"choices":[{"index":2147483647},{"index":-2147483648}]}""",
        """{"choices":[{"index":2147483648}]}""",
        """{"choices":[{"index":true}]}""",
        """{"choices":[{"delta":{"tool_calls":[{"index":"2"}]}}]}""",
        """{"usage":{"prompt_tokens":"10","cost":"0.5"}}""",
        """{"usage":{"prompt_tokens":9223372036854775808}}""",

        // Wrong token types.
        """{"id":1}""",
        """{"id":{}}""",
        """{"id":true}""",
        """{"choices":{}}""",
        """{"choices":"x"}""",
        """{"choices":[null]}""",
        """{"choices":[1]}""",
        """{"choices":[[]]}""",
        """{"choices":[{"delta":[]}]}""",
        """{"choices":[{"delta":"x"}]}""",
        """{"choices":[{"delta":{"content":1}}]}""",
        """{"choices":[{"delta":{"content":["a"]}}]}""",
        """{"choices":[{"delta":{"tool_calls":{}}}]}""",
        """{"choices":[{"delta":{"tool_calls":[null]}}]}""",
        """{"choices":[{"delta":{"tool_calls":[1]}}]}""",
        """{"choices":[{"delta":{"tool_calls":[{"function":"f"}]}}]}""",
        """{"choices":[{"delta":{"tool_calls":[{"function":{"arguments":{"x":1}}}]}}]}""",
        """{"choices":[{"finish_reason":1}]}""",
        """{"usage":1}""",
        """{"usage":{"prompt_tokens":true}}""",

        // Duplicates: the last one wins.
        """{"id":"a","id":"b","choices":[{"index":0}],"choices":[{"index":1,"delta":{"content":"x","content":"y"}}]}""",
        """{"choices":[{"delta":{"content":"x"}}],"choices":null}""",

        // Case: names are matched exactly.
        """{"ID":"x","Choices":[{"Delta":{"Content":"y"}}]}""",

        // Names matched byte for byte: neighbours of the known ones (a prefix, one byte more or less, the same length)
        // are unknown, and every known name still matches when escaped.
        """{"idx":"a","i":"b","choice":[1],"choicez":[{"delta":{"content":"x"}}],"usag":1,"usagE":2,"errors":"e","choices":[{"indexx":1,"delt":{},"deltas":null,"finish_reasons":"stop","errorr":1,"delta":{"contents":"a","conten":"b","contenT":"b","reasoning_contents":"c","reasoning_detail":[],"tool_call":[],"reasonin":"d","reasoningg":"d","content":"e","tool_calls":[{"indexx":"z","ids":1,"functions":1,"function":{"names":1,"argument":1,"name":"n"}}]}}]}""",
        """{"choices":[{"\u0069ndex":2,"finish\u005freason":"stop","\u0065rror":{"a":1},"\u0064elta":{"reasoning\u005fcontent":"a","\u0072easoning":"b","reasoning_\u0064etails":[1],"tool\u005fcalls":[{"\u0069ndex":0,"\u0069d":"c","\u0066unction":{"\u006eame":"n","\u0061rguments":"{}"}}]}}],"\u0075sage":{"prompt_tokens":1},"\u0065rror":"x"}""",
        """{"\u0063\u0068\u006f\u0069\u0063\u0065\u0073":[{"delta":{"\u0072\u0065\u0061\u0073\u006f\u006e\u0069\u006e\u0067\u005f\u0063\u006f\u006e\u0074\u0065\u006e\u0074":"all escaped"}}]}""",
        """{"\u0063hoicez":[1],"choice\u0073x":{},"\u0069":"y","i\u0064\u0064":2}""",
    ];

    private static readonly string[] Ollama =
    [
        """{"model":"m","created_at":"2026-01-01T00:00:00Z","message":{"role":"assistant","content":"a","thinking":"b","tool_calls":[{"function":{"index":0,"name":"f","arguments":{"x":1}}},{"id":"call_2","function":{"name":"g","arguments":"{}"}}]},"done":true,"done_reason":"stop","prompt_eval_count":10,"eval_count":5,"error":"boom"}""",
        """{"created_at":null,"message":null,"done":false,"done_reason":null,"prompt_eval_count":null,"eval_count":null,"error":null}""",
        """{"message":{"content":null,"thinking":null,"tool_calls":null}}""",
        """{"error":{"message":"m","type":"t"}}""",
        """{"message":{"tool_calls":[]}}""",
        """{"created_at":"2026-01-01T00:00:00Z","message":{"tool_calls":[{"function":{"name":"f","arguments":{}}}]}}""",
        """{"created_at":"2026\u002d01","message":{"tool_calls":[{"function":{"name":"f"}}]}}""",
        """{"created_at":"2026\u002d01","message":{"content":"x"}}""",
        """{"created_at":5,"message":{"content":"x"}}""",
        """{"created_at":5,"message":{"tool_calls":[{"function":{"name":"f"}}]}}""",
        """{"created_at":"","message":{"tool_calls":[{"function":{"name":"f"}}]}}""",
        """{"created_at":"a","created_at":"\u0062","message":{"tool_calls":[{"function":{"name":"f"}}]}}""",
        """{"created_at":"\u0062","created_at":"a","message":{"tool_calls":[{"function":{"name":"f"}}]}}""",
        """{"created_at":"a","created_at":null,"message":{"tool_calls":[{"function":{"name":"f"}}]}}""",

        // Escapes.
        """{"message":{"\ud800":1,"content":"b"},"\udfff":2}""",
        """{"m\u0065ssage":{"c\u006fntent":"\ud83d\ude00\n"},"d\u006fne":true}""",

        // Numbers and booleans: this context reads numbers from numbers only.
        """{"prompt_eval_count":"10"}""",
        """{"eval_count":"\u0031"}""",
        """{"eval_count":1.0}""",
        """{"eval_count":9223372036854775807}""",
        """{"eval_count":9223372036854775808}""",
        """{"eval_count":-1}""",
        """{"done":null}""",
        """{"done":"true"}""",
        """{"done":1}""",

        // Wrong token types.
        """{"message":[]}""",
        """{"message":"x"}""",
        """{"message":{"content":1}}""",
        """{"message":{"tool_calls":{}}}""",
        """{"message":{"tool_calls":[null]}}""",
        """{"message":{"tool_calls":[{"function":null}]}}""",
        """{"done_reason":1}""",

        // Duplicates and case.
        """{"done":true,"done":false,"message":{"content":"a","content":"b"}}""",
        """{"Done":true,"Message":{"Content":"x"}}""",

        // Names matched byte for byte: neighbours of the known ones are unknown, and every known name still matches when escaped.
        """{"modelx":1,"mode":[1],"created":"x","created_att":5,"message":{"rol":"a","roles":1,"contents":"x","thinkin":"y","tool_call":[1],"content":"z"},"don":1,"done_reasons":1,"eval_counts":"x","prompt_eval_count":3,"errors":1,"messages":"m","done":true}""",
        """{"\u006dodel":"m","created\u005fat":"t","\u006dessage":{"\u0072ole":"a","\u0063ontent":"c","\u0074hinking":"b","tool\u005fcalls":[{"function":{"name":"f"}}]},"done\u005freason":"stop","prompt\u005feval_count":1,"eval\u005fcount":2,"\u0065rror":"e","\u0064one":true}""",
        """{"\u0064\u006f\u006e\u0065":true,"\u0064on":1,"don\u0065s":[]}""",
    ];

    private static readonly string[] Anthropic =
    [
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","thinking":"b","signature":"s","partial_json":"{\"x\""}}""",
        """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}""",
        """{"type":null,"index":null,"delta":null}""",
        """{"type":"content_block_delta","delta":{"type":null,"text":null,"thinking":null,"signature":null,"partial_json":null}}""",

        // Escapes.
        """{"type":"content_block_delta","delta":{"\ud800":1,"text":"b"},"\udfff":2}""",
        """{"typ\u0065":"content_block_delta","ind\u0065x":0,"d\u0065lta":{"t\u0065xt":"\ud83d\ude00 \"q\""}}""",

        // Numbers: this context reads numbers from numbers only.
        """{"type":"content_block_delta","index":"0","delta":{"type":"text_delta","text":"a"}}""",
        """{"type":"content_block_delta","index":1.0}""",
        """{"type":"content_block_delta","index":2147483648}""",
        """{"type":"content_block_delta","index":-1}""",

        // Wrong token types.
        """{"type":1}""",
        """{"type":"content_block_delta","index":0,"delta":[]}""",
        """{"type":"content_block_delta","index":0,"delta":"x"}""",
        """{"type":"content_block_delta","index":0,"delta":{"text":1}}""",
        """{"type":"content_block_delta","index":0,"delta":{"partial_json":{}}}""",

        // Fields of the other events on a delta: skipped by the reader, their shape still checked by the serializer.
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","stop_reason":"end_turn"},"usage":{"output_tokens":1}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"},"usage":5}""",

        // Duplicates and case.
        """{"type":"content_block_delta","index":0,"index":1,"delta":{"text":"a"},"delta":{"text":"b"}}""",
        """{"Type":"content_block_delta","Index":0,"Delta":{"Text":"a"}}""",
    ];

    /// <summary>An event with a byte sequence that is not UTF-8 inside a string value, and inside a property name.</summary>
    private static IEnumerable<byte[]> InvalidUtf8(string format)
    {
        string[] templates = format switch
        {
            "openai-chat" => ["""{"id":"a","choices":[{"delta":{"content":"X"}}]}""", """{"id":"X"}""", """{"choices":[{"finish_reason":"X"}]}""", """{"choices":[{"delta":{"X":"a"}}]}""", """{"choices":[{"delta":{"\rX":"a"}}]}"""],
            "ollama" => ["""{"created_at":"t","message":{"content":"X"}}""", """{"created_at":"X","message":{"tool_calls":[{"function":{"name":"f"}}]}}""", """{"created_at":"X"}""", """{"message":{"X":"a"}}""", """{"\rX":"a","done":false}"""],
            _ => ["""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"X"}}""", """{"type":"content_block_delta","X":0}""", """{"type":"content_block_delta","\rX":0}"""],
        };
        byte[][] bad = [[0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff]];
        foreach (var template in templates)
        {
            var bytes = Encoding.UTF8.GetBytes(template);
            var at = Array.IndexOf(bytes, (byte)'X');
            foreach (var sequence in bad)
            {
                yield return [.. bytes.AsSpan(0, at), .. sequence, .. bytes.AsSpan(at + 1)];
            }
        }
    }
}

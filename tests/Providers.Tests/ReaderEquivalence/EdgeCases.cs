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
            "gemini" => (null, Common.Concat(Gemini)),
            "bedrock" => ("contentBlockDelta", Common.Concat(BedrockEdgeCases.Events)),
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

        // The digits-only fast path of JsonFields.Int64 at its edges (18 digits, 19, the limits, past them) and cached enum strings that almost match.
        """{"choices":[{"index":0,"finish_reason":"stopp"},{"index":9,"finish_reason":"sto"},{"index":10,"finish_reason":"content_filter"},{"finish_reason":"Stop"}]}""",
        """{"choices":[{"index":999999999999999999}]}""",
        """{"choices":[{"index":-2147483649}]}""",

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

        // Usage, read by hand since the serializer's cold metadata path cost more than the rest of a stream's setup:
        // every field, nulls, quoted and escaped numbers, decimals at their edges, wrong types, duplicates, nesting.
        """{"usage":{"prompt_tokens":1,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":3,"cache_write_tokens":4,"caching_tokens":5},"completion_tokens_details":{"reasoning_tokens":6},"prompt_cache_hit_tokens":7,"prompt_cache_miss_tokens":8,"cached_tokens":9,"cache_creation_input_tokens":10,"cache_read_input_tokens":11,"cost":12.5,"cost_details":{"upstream_inference_cost":13.25}}}""",
        """{"usage":{"prompt_tokens":null,"completion_tokens":null,"prompt_tokens_details":null,"completion_tokens_details":null,"prompt_cache_hit_tokens":null,"prompt_cache_miss_tokens":null,"cached_tokens":null,"cache_creation_input_tokens":null,"cache_read_input_tokens":null,"cost":null,"cost_details":null}}""",
        """{"usage":{"prompt_tokens_details":{"cached_tokens":null,"cache_write_tokens":null,"caching_tokens":null,"audio_tokens":1},"completion_tokens_details":{"reasoning_tokens":null,"audio_tokens":0,"accepted_prediction_tokens":0},"cost_details":{"upstream_inference_cost":null,"other":[1]}}}""",
        """{"usage":{}}""",
        """{"usage":{"prompt_tokens_details":{},"completion_tokens_details":{},"cost_details":{}}}""",
        """{"usage":{"completion_tokens":"7","cached_tokens":"\u0031","cost":"\u0030.5","cost_details":{"upstream_inference_cost":"1e2"}}}""",
        """{"usage":{"cost":1e-3,"cost_details":{"upstream_inference_cost":-0.0000000000000000000000000001}}}""",
        """{"usage":{"cost":79228162514264337593543950335}}""",
        """{"usage":{"cost":79228162514264337593543950336}}""",
        """{"usage":{"cost":1e400}}""",
        """{"usage":{"cost":0.1234567890123456789012345678901234567890}}""",
        """{"usage":{"cost":" 1"}}""",
        """{"usage":{"cost":"NaN"}}""",
        """{"usage":{"cost":""}}""",
        """{"usage":{"cost":true}}""",
        """{"usage":{"cost":{}}}""",
        """{"usage":{"cost_details":1}}""",
        """{"usage":{"cost_details":{"upstream_inference_cost":[]}}}""",
        """{"usage":{"prompt_tokens_details":[]}}""",
        """{"usage":{"prompt_tokens_details":{"cached_tokens":1.5}}}""",
        """{"usage":{"completion_tokens_details":"x"}}""",
        """{"usage":{"completion_tokens_details":{"reasoning_tokens":"x"}}}""",
        """{"usage":{"prompt_tokens":1,"prompt_tokens":2,"cost":1,"cost":null,"prompt_tokens_details":{"cached_tokens":1},"prompt_tokens_details":{"caching_tokens":2}}}""",
        """{"usage":{"Prompt_Tokens":1,"COST":2,"prompt_tokens_details":{"Cached_Tokens":3}}}""",
        """{"usage":{"prompt_\u0074okens":1,"\u0063ost":2.5}}""",
        """{"usage":[]}""",
        """{"usage":"x"}""",

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

        // The usual text line, which OllamaChunkReader.TryReadText matches byte by byte, and its near misses (which take the token path).
        """{"model":"llama3.2","created_at":"2026-11-20T09:40:21.196249Z","message":{"role":"assistant","content":" Yes"},"done":false}""",
        """{"model":"","created_at":"","message":{"role":"assistant","content":""},"done":false}""",
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":"h\u00e9llo"},"done":false}""",
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":"héllo 😀 \"q\" \\"},"done":false}""",
        """{"model":"mö","created_at":"tö","message":{"role":"assistant","content":"héllo 😀 日本"},"done":false}""",
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":"a\nb"},"done":false}""",
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":"\ud800"},"done":false}""",
        """{"model":"m\u0031","created_at":"t\u0032","message":{"role":"assistant","content":"a"},"done":false}""",
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":"a"},"done":true}""",
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":"a"},"done":false,"done":true}""",
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":"a","thinking":"b"},"done":false}""",
        """{"model":"m","created_at":"t","message":{"role":"user","content":"a"},"done":false}""",
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":"a"},"done":false} """,
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":"a"},"done":false}}""",
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":"a"},"done":false}x""",
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":"a"},"done":fals}""",
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":"a"},"done":false""",
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":"a""",
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":""",
        """{"model":"m","created_at":"t""",
        """{"model":"m""",
        """{"model":"m","created_at":5,"message":{"role":"assistant","content":"a"},"done":false}""",
        """{"model":"m","created_at":"t","message":{"role":"assistant","content":null},"done":false}""",
        "{\"model\":\"m\u0001\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"a\"},\"done\":false}",
        "{\"model\":\"m\",\"created_at\":\"t\u001f\",\"message\":{\"role\":\"assistant\",\"content\":\"a\"},\"done\":false}",
        "{\"model\":\"m\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"a\tb\"},\"done\":false}",
        "{\"model\":\"m\u007f\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"a\u007fb\"},\"done\":false}",

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

        // Names of a known name's length but other bytes (the reader tells names by length first): unknown, so their
        // values, each of a type the known name would refuse, are skipped.
        """{"modem":1,"created_ax":5,"massage":1,"dona":1,"done_reasom":1,"prompt_eval_counu":"x","eval_counu":"x","errox":1,"message":{"rolf":[1],"contenu":1,"thinkinf":1,"tool_callz":1,"content":"ok"}}""",

        // Text beyond ASCII, unescaped and escaped, in content and thinking.
        """{"message":{"content":"é漢😀 ß","thinking":"Grüße \u00e9\ud83d\ude00"}}""",
        """{"message":{"content":"","thinking":""}}""",
    ];

    private static readonly string[] Anthropic =
    [
        // Every field once, event by event.
        """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"m","stop_reason":null,"usage":{"input_tokens":10,"output_tokens":1,"cache_creation_input_tokens":2,"cache_read_input_tokens":3,"cache_creation":{"ephemeral_5m_input_tokens":0},"service_tier":"standard"}}}""",
        """{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{"x":[1,{"y":null}]},"text":"t","thinking":"th","signature":"s","data":"d","caller":{"type":"direct"}}}""",
        """{"type":"content_block_start","index":1,"content_block":{"type":"bash_code_execution_tool_result","tool_use_id":"srvtoolu_1","content":{"type":"bash_code_execution_result","stdout":"1\n","stderr":"","return_code":0,"content":[]}}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","thinking":"b","signature":"s","partial_json":"{\"x\"","stop_reason":"end_turn","stop_details":{"category":"c","explanation":"e"}}}""",
        """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}""",
        """{"type":"content_block_stop","index":0}""",
        """{"type":"message_delta","delta":{"stop_reason":"refusal","stop_sequence":null,"stop_details":{"type":"refusal","category":"cyber","explanation":"why"}},"usage":{"input_tokens":1,"output_tokens":2,"cache_creation_input_tokens":3,"cache_read_input_tokens":4,"server_tool_use":{"web_search_requests":1}}}""",
        """{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":25,"outputTokenCount":15}}""",
        """{"type":"ping"}""",
        """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""",
        """{"type":"some_future_event","index":3,"whatever":[1,2,3]}""",

        // Nulls.
        """{"type":null,"message":null,"index":null,"content_block":null,"delta":null,"usage":null,"error":null}""",
        """{"type":"content_block_delta","delta":{"type":null,"text":null,"thinking":null,"signature":null,"partial_json":null,"stop_reason":null,"stop_details":null}}""",
        """{"type":"message_start","message":{"id":null,"usage":null}}""",
        """{"type":"message_start","message":{"usage":{"input_tokens":null,"output_tokens":null,"cache_creation_input_tokens":null,"cache_read_input_tokens":null}}}""",
        """{"type":"content_block_start","index":0,"content_block":{"type":null,"id":null,"name":null,"input":null,"text":null,"thinking":null,"signature":null,"data":null}}""",
        """{"type":"message_delta","delta":{"stop_details":{"category":null,"explanation":null}}}""",
        """{"type":"error","error":{"type":null,"message":null}}""",
        """{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"f","input":{}}}""",
        """{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","input":[]}}""",
        """{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","input":"x"}}""",
        """{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","input":1.5e3}}""",

        // Every type and stop reason the reader knows, and near misses.
        """{"type":"content_block_delta","delta":{"type":"thinking_delta","thinking":"t"}}""",
        """{"type":"content_block_delta","delta":{"type":"signature_delta","signature":"s"}}""",
        """{"type":"content_block_delta","delta":{"type":"citations_delta","citation":{"type":"char_location"}}}""",
        """{"type":"content_block_start","content_block":{"type":"redacted_thinking","data":"x"}}""",
        """{"type":"content_block_start","content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"bash_code_execution","input":{}}}""",
        """{"type":"content_block_start","content_block":{"type":"thinking","thinking":"","signature":""}}""",
        """{"type":"content_block_start","content_block":{"type":"text","text":""}}""",
        """{"type":"message_delta","delta":{"stop_reason":"max_tokens"}}""",
        """{"type":"message_delta","delta":{"stop_reason":"tool_use"}}""",
        """{"type":"message_delta","delta":{"stop_reason":"stop_sequence"}}""",
        """{"type":"message_delta","delta":{"stop_reason":"pause_turn"}}""",
        """{"type":"message_delta","delta":{"stop_reason":"model_context_window_exceeded"}}""",
        """{"type":"message_delta","delta":{"stop_reason":"end_turn "}}""",
        """{"type":"message_delta","delta":{"stop_reason":"\u0065nd_turn"}}""",
        """{"type":"content_block_delt"}""",
        """{"type":"content_block_deltb"}""",
        """{"type":"Content_block_delta"}""",
        """{"type":""}""",

        // Escapes.
        """{"type":"content_block_delta","delta":{"\ud800":1,"text":"b"},"\udfff":2}""",
        """{"typ\u0065":"content_block_delta","ind\u0065x":0,"d\u0065lta":{"t\u0065xt":"\ud83d\ude00 \"q\"","partial_json":"\n"}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\ud800"}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\udc00"}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\ud83d\ude00\"\\"}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"\uZZZZ"}}""",
        """{"m\u0065ssage":{"\u0069d":"m","us\u0061ge":{"input_t\u006fkens":5}}}""",

        // Numbers: this context reads numbers from numbers only.
        """{"type":"content_block_delta","index":"0","delta":{"type":"text_delta","text":"a"}}""",
        """{"type":"content_block_delta","index":1.0}""",
        """{"type":"content_block_delta","index":2147483648}""",
        """{"type":"content_block_delta","index":-1}""",
        """{"type":"message_start","message":{"usage":{"input_tokens":"10"}}}""",
        """{"type":"message_delta","usage":{"output_tokens":1.5}}""",
        """{"type":"message_delta","usage":{"output_tokens":9223372036854775807}}""",
        """{"type":"message_delta","usage":{"output_tokens":9223372036854775808}}""",

        // The digits-only fast path of JsonFields.Int64 at its edges (18 digits, 19, the limits, past them) and cached enum strings that almost match.
        """{"type":"message_delta","usage":{"output_tokens":999999999999999999,"input_tokens":1000000000000000000,"cache_read_input_tokens":9223372036854775807,"cache_creation_input_tokens":0}}""",
        """{"type":"message_delta","usage":{"output_tokens":-9223372036854775808,"input_tokens":-0}}""",
        """{"type":"message_delta","usage":{"output_tokens":99999999999999999999}}""",
        """{"type":"content_block_deltx","index":100,"delta":{"type":"text_deltaa","stop_reason":"end_turn_"}}""",
        """{"type":"message_delta","usage":{"cache_read_input_tokens":-1,"cache_creation_input_tokens":1e2}}""",

        // Wrong token types.
        """{"type":1}""",
        """{"type":"content_block_delta","index":0,"delta":[]}""",
        """{"type":"content_block_delta","index":0,"delta":"x"}""",
        """{"type":"content_block_delta","index":0,"delta":{"text":1}}""",
        """{"type":"content_block_delta","index":0,"delta":{"partial_json":{}}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":true}}""",
        """{"type":"content_block_delta","index":0,"delta":{"thinking":[]}}""",
        """{"type":"content_block_delta","index":0,"delta":{"signature":false}}""",
        """{"type":"message_delta","delta":{"stop_reason":1}}""",
        """{"type":"message_delta","delta":{"stop_details":"x"}}""",
        """{"type":"message_delta","delta":{"stop_details":{"category":2}}}""",
        """{"type":"message_start","message":[]}""",
        """{"type":"message_start","message":{"id":5}}""",
        """{"type":"message_start","message":{"usage":[]}}""",
        """{"type":"message_start","message":{"usage":{"input_tokens":true}}}""",
        """{"type":"content_block_start","index":0,"content_block":"text"}""",
        """{"type":"content_block_start","index":0,"content_block":{"type":{}}}""",
        """{"type":"content_block_start","index":0,"content_block":{"id":1}}""",
        """{"type":"content_block_start","index":0,"content_block":{"data":[]}}""",
        """{"type":"message_delta","usage":5}""",
        """{"type":"error","error":"overloaded"}""",
        """{"type":"error","error":{"message":{}}}""",

        // Fields of the other events on a delta: read as the serializer reads them.
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","stop_reason":"end_turn"},"usage":{"output_tokens":1}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"},"usage":5}""",

        // The index after the delta, and an index that changes after it (the text is kept where the decoder would read it).
        """{"type":"content_block_delta","delta":{"type":"text_delta","text":"a"},"index":0}""",
        """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{"},"index":0}""",
        """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{"},"index":null}""",
        """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{"},"index":1}""",

        // Duplicates and case.
        """{"type":"content_block_delta","index":0,"index":1,"delta":{"text":"a"},"delta":{"text":"b"}}""",
        """{"type":"message_start","message":{"id":"a","id":"b","usage":{"input_tokens":1}},"message":{"usage":{"output_tokens":2,"output_tokens":3}}}""",
        """{"Type":"content_block_delta","Index":0,"Delta":{"Text":"a"},"Message":{"Id":"x"},"Usage":{"Output_tokens":1}}""",
    ];

    /// <summary>Function-call arguments nested 60 deep (within the reader's 64) and 70 deep (beyond): both must agree.</summary>
    private static readonly string DeepArgs = Nested(60), DeeperArgs = Nested(70);

    private static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    // Declared after DeepArgs: static fields initialise in textual order.
    private static readonly string[] Gemini =
    [
        // Every field once.
        """{"candidates":[{"content":{"role":"model","parts":[{"text":"a","thought":true,"thoughtSignature":"sig","functionCall":{"id":"call_1","name":"f","args":{"x":[1,{"y":null}],"z":"\u00e9"}}},{"inlineData":{"mimeType":"image/png","data":"AAAA"}},{"functionResponse":{"name":"f","response":{"output":"o"}}}]},"finishReason":"MAX_TOKENS","finishMessage":"cut","index":1,"safetyRatings":[{"category":"HARM_CATEGORY_HATE_SPEECH","probability":"NEGLIGIBLE"}]}],"promptFeedback":{"blockReason":"SAFETY","blockReasonMessage":"why","safetyRatings":[]},"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5,"cachedContentTokenCount":3,"thoughtsTokenCount":2,"totalTokenCount":20,"promptTokensDetails":[{"modality":"TEXT","tokenCount":10}]},"modelVersion":"gemini-2.5-flash","responseId":"r1","error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}""",
        """{"candidates":null,"promptFeedback":null,"usageMetadata":null,"modelVersion":null,"responseId":null,"error":null}""",
        """{"candidates":[]}""",
        """{"candidates":[null]}""",
        """{"candidates":[null,{"index":1}]}""",
        """{"candidates":[{"content":null,"finishReason":null,"finishMessage":null,"index":null}]}""",
        """{"candidates":[{"content":{"role":null,"parts":null}}]}""",
        """{"candidates":[{"content":{"parts":[]}}]}""",
        """{"candidates":[{"content":{"parts":[null]}}]}""",
        """{"candidates":[{"content":{"parts":[{}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"text":null,"thought":null,"thoughtSignature":null,"inlineData":null,"functionCall":null,"functionResponse":null}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"thought":false,"text":""}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"functionCall":{"id":null,"name":null,"args":null}}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"functionCall":{}}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":"text"}},{"functionCall":{"name":"g","args":[1,2]}},{"functionCall":{"name":"h","args":1.5e3}},{"functionCall":{"name":"i","args":true}},{"functionCall":{"name":"j","args":{ "spaced" : [ 1 , 2 ] }}}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":""" + DeepArgs + """}}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":""" + DeeperArgs + """}}]}}]}""",
        """{"usageMetadata":{"promptTokenCount":null,"candidatesTokenCount":null,"cachedContentTokenCount":null,"thoughtsTokenCount":null,"totalTokenCount":null}}""",
        """{"usageMetadata":{}}""",
        """{"promptFeedback":{"blockReason":null,"blockReasonMessage":null}}""",
        """{"promptFeedback":{"blockReason":"OTHER"}}""",
        """{"error":{"code":null,"message":null,"status":null,"details":null}}""",
        """{"error":{"details":[null,{"@type":null,"retryDelay":null},{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","metadata":{"service":"x"}}]}}""",
        """{"error":{}}""",

        // Escapes.
        """{"candidates":[{"content":{"parts":[{"text":"\ud83d\ude00 \"q\" \\ \n \u0000"}]}}],"responseId":"r\u0031","modelVersion":"m\u0031"}""",
        """{"c\u0061ndidates":[{"c\u006fntent":{"r\u006fle":"model","p\u0061rts":[{"t\u0065xt":"a","th\u006fught":true,"th\u006fughtSignature":"s"}]},"finishR\u0065ason":"ST\u004fP","ind\u0065x":0}],"usageM\u0065tadata":{"t\u006ftalTokenCount":1,"pr\u006fmptTokenCount":2},"r\u0065sponseId":"x","m\u006fdelVersion":"v"}""",
        """{"candidates":[{"finishReason":"STOP"},{"finishReason":"MAX_TOKENS"},{"finishReason":"SAFETY"},{"finishReason":"RECITATION"},{"finishReason":"MALFORMED_FUNCTION_CALL"},{"finishReason":"ST\u004fP"},{"finishReason":""},{"finishReason":"stop"}]}""",
        """{"candidates":[{"content":{"parts":[{"text":"\ud800"}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"text":"\uZZZZ"}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"\ud800":"a","text":"b"}]}}]}""",
        """{"candidates":[{"content":{"role":"\ud800","parts":[]}}]}""",
        """{"candidates":[{"content":{"role":"\u006dodel","parts":[]}}]}""",
        """{"modelVersion":"\ud800"}""",
        """{"modelVersion":"\udc00\ud800"}""",
        """{"responseId":"\ud800"}""",
        """{"responseId":"\ud83d\ude00"}""",
        """{"candidates":[{"finishReason":"\ud800"}]}""",
        """{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{"\ud800":1}}}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"functionCall":{"n\u0061me":"f\u0031","\u0069d":"i","\u0061rgs":{"k":"\u00e9"}}}]}}]}""",

        // Numbers: this context reads numbers from numbers only.
        """{"usageMetadata":{"promptTokenCount":"10"}}""",
        """{"usageMetadata":{"totalTokenCount":"\u0031"}}""",
        """{"usageMetadata":{"totalTokenCount":1.0}}""",

        // The digits-only fast path of JsonFields.Int64 at its edges (18 digits, 19, the limits, past them) and cached enum strings that almost match.
        """{"usageMetadata":{"promptTokenCount":999999999999999999,"candidatesTokenCount":1000000000000000000,"totalTokenCount":9223372036854775807,"thoughtsTokenCount":0}}""",
        """{"usageMetadata":{"promptTokenCount":-1,"totalTokenCount":12345678901234567890}}""",
        """{"candidates":[{"index":2147483647,"finishReason":"STOPS"},{"index":0,"finishReason":"SAFET"}]}""",
        """{"usageMetadata":{"totalTokenCount":1e3}}""",
        """{"usageMetadata":{"totalTokenCount":1e400}}""",
        """{"usageMetadata":{"totalTokenCount":-0}}""",
        """{"usageMetadata":{"totalTokenCount":-1}}""",
        """{"usageMetadata":{"promptTokenCount":9223372036854775807,"candidatesTokenCount":-9223372036854775808}}""",
        """{"usageMetadata":{"promptTokenCount":9223372036854775808}}""",
        """{"usageMetadata":{"thoughtsTokenCount":123456789012345678901234567890}}""",
        """{"usageMetadata":{"cachedContentTokenCount":true}}""",
        """{"candidates":[{"index":"0"}]}""",
        """{"candidates":[{"index":2147483647},{"index":-2147483648}]}""",
        """{"candidates":[{"index":2147483648}]}""",
        """{"candidates":[{"index":0.5}]}""",
        """{"error":{"code":"429"}}""",
        """{"error":{"code":99999999999}}""",
        """{"error":{"code":429.0}}""",

        // Booleans.
        """{"candidates":[{"content":{"parts":[{"thought":"true"}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"thought":1}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"thought":{}}]}}]}""",

        // Wrong token types.
        """{"candidates":{}}""",
        """{"candidates":"x"}""",
        """{"candidates":[1]}""",
        """{"candidates":[[]]}""",
        """{"candidates":[{"content":[]}]}""",
        """{"candidates":[{"content":"x"}]}""",
        """{"candidates":[{"content":{"parts":{}}}]}""",
        """{"candidates":[{"content":{"parts":"x"}}]}""",
        """{"candidates":[{"content":{"parts":[1]}}]}""",
        """{"candidates":[{"content":{"parts":[[]]}}]}""",
        """{"candidates":[{"content":{"parts":[{"text":1}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"text":["a"]}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"thoughtSignature":{}}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"functionCall":"f"}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"functionCall":[]}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"functionCall":{"name":1}}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"functionCall":{"id":{}}}]}}]}""",
        """{"candidates":[{"finishReason":1}]}""",
        """{"candidates":[{"finishMessage":[]}]}""",
        """{"usageMetadata":1}""",
        """{"usageMetadata":[]}""",
        """{"promptFeedback":"x"}""",
        """{"promptFeedback":{"blockReason":1}}""",
        """{"error":"x"}""",
        """{"error":{"message":{}}}""",
        """{"error":{"details":{}}}""",
        """{"error":{"details":[1]}}""",
        """{"modelVersion":1}""",
        """{"modelVersion":{}}""",
        """{"modelVersion":[]}""",
        """{"responseId":1}""",
        """{"responseId":[]}""",
        """{"responseId":true}""",
        """{"candidates":[{"content":{"role":1,"parts":[]}}]}""",
        """{"candidates":[{"content":{"role":{},"parts":[]}}]}""",

        // Fields the reader skips: their shape is the serializer's business only.
        """{"candidates":[{"content":{"parts":[{"inlineData":{}}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"inlineData":"x","text":"a"}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"functionResponse":{"name":"f"}}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"functionResponse":[1]}]}}]}""",

        // Unknown fields, deep: skipped without building anything.
        """{"candidates":[{"content":{"parts":[{"text":"a","executableCode":{"language":"PYTHON","code":"print(1)"},"videoMetadata":{"startOffset":"1s"}}],"extra":[{"a":[{}]}]},"groundingMetadata":{"webSearchQueries":["q"],"groundingChunks":[{"web":{"uri":"https://example.com","title":"t"}}]},"citationMetadata":{"citations":[{"startIndex":0,"endIndex":5,"uri":"u"}]},"avgLogprobs":-0.5,"tokenCount":3}],"usageMetadata":{"promptTokensDetails":[{"modality":"TEXT","tokenCount":9}],"candidatesTokensDetails":[],"toolUsePromptTokenCount":4,"trafficType":"ON_DEMAND"},"createTime":"2026-01-01T00:00:00Z","automaticFunctionCallingHistory":[{"role":"user","parts":[{"text":"x"}]}]}""",

        // Duplicates: the last one wins.
        """{"responseId":"a","responseId":"b","candidates":[{"index":0}],"candidates":[{"index":1,"content":{"parts":[{"text":"x","text":"y"}]}}]}""",
        """{"usageMetadata":{"promptTokenCount":1,"promptTokenCount":2},"usageMetadata":null}""",
        """{"usageMetadata":null,"usageMetadata":{"totalTokenCount":3}}""",
        """{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{"a":1},"args":{"b":2},"name":"g"}}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{"a":1,"a":2}}}]}}]}""",
        """{"candidates":[{"content":{"parts":[{"thought":true,"thought":null,"thoughtSignature":"a","thoughtSignature":"b"}]}}]}""",
        """{"candidates":[{"finishReason":"STOP","finishReason":"SAFETY","content":{"parts":[]},"content":null}]}""",
        """{"error":{"code":1},"error":{"message":"m"}}""",
        """{"promptFeedback":{"blockReason":"SAFETY"},"promptFeedback":null}""",

        // Case: names are matched exactly.
        """{"Candidates":[{"Content":{"Parts":[{"Text":"x"}]}}],"UsageMetadata":{"TotalTokenCount":1},"ResponseId":"x","Error":{"code":1}}""",
        """{"candidates":[{"content":{"parts":[{"TEXT":"x","Thought":true,"functioncall":{"name":"f"}}]},"FinishReason":"STOP"}]}""",
    ];

    /// <summary>An event with a byte sequence that is not UTF-8 inside a string value, and inside a property name.</summary>
    private static IEnumerable<byte[]> InvalidUtf8(string format)
    {
        string[] templates = format switch
        {
            "openai-chat" => ["""{"id":"a","choices":[{"delta":{"content":"X"}}]}""", """{"id":"X"}""", """{"choices":[{"finish_reason":"X"}]}""", """{"choices":[{"delta":{"X":"a"}}]}""", """{"choices":[{"delta":{"\rX":"a"}}]}"""],
            "ollama" => ["""{"model":"m","created_at":"t","message":{"role":"assistant","content":"X"},"done":false}""", """{"model":"X","created_at":"t","message":{"role":"assistant","content":"a"},"done":false}""", """{"model":"m","created_at":"X","message":{"role":"assistant","content":"a"},"done":false}""", """{"created_at":"t","message":{"content":"X"}}""", """{"message":{"thinking":"aX"}}""", """{"message":{"content":"abcdefghijklmnopqrstuvwxyz0123456789X"}}""", """{"created_at":"X","message":{"tool_calls":[{"function":{"name":"f"}}]}}""", """{"created_at":"X"}""", """{"message":{"X":"a"}}""", """{"\rX":"a","done":false}"""],
            "gemini" =>
            [
                """{"candidates":[{"content":{"parts":[{"text":"X"}]}}]}""", """{"candidates":[{"content":{"parts":[{"thoughtSignature":"X"}]}}]}""", """{"responseId":"X"}""", """{"modelVersion":"X"}""",
                """{"candidates":[{"content":{"role":"X","parts":[]}}]}""", """{"candidates":[{"finishReason":"X"}]}""", """{"candidates":[{"content":{"parts":[{"X":"a"}]}}]}""", """{"\rX":"a"}""",
                """{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{"k":"X"}}}]}}]}""", """{"error":{"message":"X"}}""",
            ],
            "bedrock" => BedrockEdgeCases.InvalidUtf8Templates,
            _ =>
            [
                """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"X"}}""", """{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"X"}}""",
                """{"type":"content_block_delta","X":0}""", """{"type":"content_block_delta","\rX":0}""", """{"type":"X"}""", """{"type":"message_start","message":{"id":"X"}}""",
                """{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","name":"X","input":{"X":"X"}}}""", """{"type":"error","error":{"type":"e","message":"X"}}""",
                """{"type":"message_delta","delta":{"stop_reason":"X"}}""",
            ],
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

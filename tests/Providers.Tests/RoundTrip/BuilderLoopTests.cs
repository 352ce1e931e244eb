using System.Text.Json;
using System.Text.Json.Nodes;
using Providers.Cline;
using Providers.Gemini;
using Providers.Tests.Bedrock;
using Providers.Tests.Replay;
using Providers.Vertex;

namespace Providers.Tests.RoundTrip;

/// <summary>
/// Agent loops over loopback for the providers with reasoning state of their own: each turn's chunks go through the public
/// <see cref="AssistantMessageBuilder"/>, its message and the tool results are appended, and the exact conversation of the
/// next request is asserted.
/// </summary>
public class BuilderLoopTests
{
    private const string Key = "sk-test-SECRET-0123456789";
    private const string System = "sys";

    private static readonly IReadOnlyList<ToolDefinition> Tools =
        [new ToolDefinition("get_weather", "Current weather", JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""").RootElement.Clone())];

    /// <summary>Streams one turn through the builder; appends the assistant message and, when it called tools, their results.</summary>
    private static async Task<ChatMessage> TurnAsync(IApiHandler handler, List<ChatMessage> history, Func<ToolUseBlock, string> result)
    {
        var builder = new AssistantMessageBuilder();
        await foreach (var chunk in handler.CreateMessageAsync(System, history, Tools))
        {
            builder.Add(chunk);
        }

        var assistant = builder.Build()!;
        history.Add(assistant);
        if (builder.ToolCalls.Count > 0)
        {
            history.Add(new ChatMessage(ChatRole.User, builder.ToolCalls.Select(c => (ContentBlock)new ToolResultBlock(c.Id, result(c))).ToList()));
        }

        return assistant;
    }

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), actual!.ToJsonString());

    private static string CityOf(ToolUseBlock call) => call.Input.GetProperty("city").GetString() == "Paris" ? "18 C" : "15 C";

    private const string GeminiSecondTurn =
        """
        [{"role":"user","parts":[{"text":"Weather in Paris and London?"}]},
         {"role":"model","parts":[
           {"thoughtSignature":"CiQBjz1rX5qk0Zk3c2lnbmF0dXJlLW9uZQ==","functionCall":{"name":"get_weather","args":{"city":"Paris","unit":"celsius"}}},
           {"functionCall":{"name":"get_weather","args":{"city":"London","unit":"celsius"}}}]},
         {"role":"user","parts":[
           {"functionResponse":{"name":"get_weather","response":{"output":"18 C"}}},
           {"functionResponse":{"name":"get_weather","response":{"output":"15 C"}}}]}]
        """;

    private const string GeminiThirdTurnTail =
        """
        {"role":"model","parts":[{"text":"Paris is 18 \u00b0C and London 15 \u00b0C."},{"text":"","thoughtSignature":"EpYCCpMCAdHtim9zaWduYXR1cmUtdHdv"}]}
        """;

    [Fact]
    public async Task Gemini_3_gets_the_signature_back_on_exactly_the_function_call_it_came_with_and_the_trailing_one_on_an_empty_part()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("gemini/thinking-tool-calls.sse"), Fixtures.Raw("gemini/text-signature.sse"), Fixtures.Raw("gemini/text.sse"));
        var handler = new GeminiHandler(new GeminiOptions { BaseUrl = server.BaseUri, ApiKey = Key, ModelId = "gemini-3-pro-preview" });

        await AssertGeminiLoopAsync(server, handler, "contents");
    }

    [Fact]
    public async Task Vertex_gemini_route_gets_the_signature_back_on_exactly_the_function_call_it_came_with()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("gemini/thinking-tool-calls.sse"), Fixtures.Raw("gemini/text-signature.sse"), Fixtures.Raw("gemini/text.sse"));
        var handler = new VertexHandler(new VertexOptions { BaseUrl = server.BaseUri, ProjectId = "my-project", Region = "us-east5", ModelId = "gemini-3-pro-preview", AccessToken = "ya29.test-token" });

        await AssertGeminiLoopAsync(server, handler, "contents");
    }

    private static async Task AssertGeminiLoopAsync(ReplayServer server, IApiHandler handler, string member)
    {
        var history = new List<ChatMessage> { ChatMessage.User("Weather in Paris and London?") };

        var first = await TurnAsync(handler, history, CityOf);
        var second = await TurnAsync(handler, history, CityOf);
        history.Add(ChatMessage.User("Thanks."));
        await TurnAsync(handler, history, CityOf);

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal("CiQBjz1rX5qk0Zk3c2lnbmF0dXJlLW9uZQ==", Assert.IsType<ThinkingBlock>(first.Content[0]).Signature);
        Assert.Equal("EpYCCpMCAdHtim9zaWduYXR1cmUtdHdv", Assert.IsType<ThinkingBlock>(second.Content[^1]).Signature);
        AssertJson(GeminiSecondTurn, JsonNode.Parse(server.Requests[1].Body)![member]);
        var third = JsonNode.Parse(server.Requests[2].Body)![member]!.AsArray();
        Assert.Equal(5, third.Count);
        AssertJson(GeminiSecondTurn, new JsonArray(third.Take(3).Select(n => n!.DeepClone()).ToArray()));
        AssertJson(GeminiThirdTurnTail, third[3]);
        AssertJson("""{"role":"user","parts":[{"text":"Thanks."}]}""", third[4]);
    }

    [Fact]
    public async Task Gemini_signature_survives_cline_conversation_file_written_from_the_builder_and_read_back()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("gemini/thinking-tool-calls.sse"), Fixtures.Raw("gemini/text-signature.sse"));
        var handler = new GeminiHandler(new GeminiOptions { BaseUrl = server.BaseUri, ApiKey = Key, ModelId = "gemini-3-pro-preview" });
        var history = new List<ChatMessage> { ChatMessage.User("Weather in Paris and London?") };
        await TurnAsync(handler, history, CityOf);

        var file = ClineConversation.Serialize(ClineConversation.FromChatMessages(history));
        var reloaded = ClineConversation.ToChatMessages(ClineConversation.Parse(file));
        await foreach (var _ in handler.CreateMessageAsync(System, reloaded, Tools))
        {
        }

        AssertJson(GeminiSecondTurn, JsonNode.Parse(server.Requests[1].Body)!["contents"]);
    }

    [Fact]
    public async Task Gemini_takes_the_signature_cline_stores_on_a_tool_use_or_text_block()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("gemini/text.sse"));
        var handler = new GeminiHandler(new GeminiOptions { BaseUrl = server.BaseUri, ApiKey = Key, ModelId = "gemini-3-pro-preview" });
        var file =
            """
            [{"role":"user","content":[{"type":"text","text":"Weather in Paris and London?"}]},
             {"role":"assistant","content":[
               {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris","unit":"celsius"},"signature":"CiQBjz1rX5qk0Zk3c2lnbmF0dXJlLW9uZQ=="},
               {"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"London","unit":"celsius"}}]},
             {"role":"user","content":[
               {"type":"tool_result","tool_use_id":"toolu_1","content":"18 C"},
               {"type":"tool_result","tool_use_id":"toolu_2","content":"15 C"}]},
             {"role":"assistant","content":[{"type":"text","text":"Paris is 18 °C and London 15 °C.","signature":"EpYCCpMCAdHtim9zaWduYXR1cmUtdHdv"}]},
             {"role":"user","content":[{"type":"text","text":"Thanks."}]}]
            """;

        var messages = ClineConversation.ToChatMessages(ClineConversation.Parse(file));
        await foreach (var _ in handler.CreateMessageAsync(System, messages, Tools))
        {
        }

        var contents = JsonNode.Parse(Assert.Single(server.Requests).Body)!["contents"]!.AsArray();
        AssertJson(GeminiSecondTurn, new JsonArray(contents.Take(3).Select(n => n!.DeepClone()).ToArray()));
        AssertJson("""{"role":"model","parts":[{"text":"Paris is 18 \u00b0C and London 15 \u00b0C.","thoughtSignature":"EpYCCpMCAdHtim9zaWduYXR1cmUtdHdv"}]}""", contents[3]);
    }

    [Fact]
    public async Task Vertex_claude_route_sends_back_signed_thinking_before_the_tool_use()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(
            AnthropicSse(
                """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5@20250929","content":[],"stop_reason":null,"usage":{"input_tokens":20,"output_tokens":1}}}""",
                """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}""",
                """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Weather "}}""",
                """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"tool."}}""",
                """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBvertexsig=="}}""",
                """{"type":"content_block_stop","index":0}""",
                """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_vrtx_01","name":"get_weather","input":{}}}""",
                """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":\"Paris\"}"}}""",
                """{"type":"content_block_stop","index":1}""",
                """{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":30}}""",
                """{"type":"message_stop"}"""),
            Fixtures.TypedEventChunks("anthropic/anthropic-text.chunks.txt"));
        var handler = new VertexHandler(new VertexOptions
        {
            BaseUrl = server.BaseUri, ProjectId = "my-project", Region = "us-east5", ModelId = "claude-sonnet-4-5@20250929", AccessToken = "ya29.test-token", ThinkingBudgetTokens = 2048,
        });
        var history = new List<ChatMessage> { ChatMessage.User("Weather in Paris?") };

        await TurnAsync(handler, history, CityOf);
        await TurnAsync(handler, history, CityOf);

        AssertJson(
            """
            [{"role":"user","content":[{"type":"text","text":"Weather in Paris?","cache_control":{"type":"ephemeral"}}]},
             {"role":"assistant","content":[
               {"type":"thinking","thinking":"Weather tool.","signature":"EqQBvertexsig=="},
               {"type":"tool_use","id":"toolu_vrtx_01","name":"get_weather","input":{"city":"Paris"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_vrtx_01","content":[{"type":"text","text":"18 C"}],"cache_control":{"type":"ephemeral"}}]}]
            """,
            JsonNode.Parse(server.Requests[1].Body)!["messages"]);
    }

    [Fact]
    public async Task Bedrock_sends_back_signed_reasoning_redacted_reasoning_text_and_the_tool_use_in_stream_order()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(
            BedrockTestKit.Frames(
                EventStreamEncoder.Event("messageStart", """{"p":"abc","role":"assistant"}"""),
                EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Need the "}},"p":"ab"}"""),
                EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"weather."}},"p":"ab"}"""),
                EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"EqoBCkgIARABGAIiQSIG-SIGNATURE=="}},"p":"ab"}"""),
                EventStreamEncoder.Event("contentBlockStop", """{"contentBlockIndex":0,"p":"abcd"}"""),
                EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"reasoningContent":{"redactedContent":"RVhBTVBMRQ=="}},"p":"ab"}"""),
                EventStreamEncoder.Event("contentBlockStop", """{"contentBlockIndex":1,"p":"abcd"}"""),
                EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":2,"delta":{"text":"Checking."},"p":"ab"}"""),
                EventStreamEncoder.Event("contentBlockStop", """{"contentBlockIndex":2,"p":"abcd"}"""),
                EventStreamEncoder.Event("contentBlockStart", """{"contentBlockIndex":3,"p":"a","start":{"toolUse":{"name":"get_weather","toolUseId":"tooluse_Paris01"}}}"""),
                EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":3,"delta":{"toolUse":{"input":"{\"city\":"}},"p":"ab"}"""),
                EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":3,"delta":{"toolUse":{"input":"\"Paris\"}"}},"p":"ab"}"""),
                EventStreamEncoder.Event("contentBlockStop", """{"contentBlockIndex":3,"p":"abcd"}"""),
                EventStreamEncoder.Event("messageStop", """{"p":"abcdef","stopReason":"tool_use"}"""),
                EventStreamEncoder.Event("metadata", """{"metrics":{"latencyMs":900},"p":"abc","usage":{"inputTokens":310,"outputTokens":61,"totalTokens":371}}""")),
            BedrockTestKit.Fixture("bedrock-text.chunks.txt"));
        var handler = BedrockTestKit.Handler(server, clock, o => o.ThinkingBudgetTokens = 2048);
        var history = new List<ChatMessage> { ChatMessage.User("Weather in Paris?") };

        await TurnAsync(handler, history, CityOf);
        await TurnAsync(handler, history, CityOf);

        Assert.Equal(
            """[{"role":"user","content":[{"text":"Weather in Paris?"}]},"""
            + """{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"Need the weather.","signature":"EqoBCkgIARABGAIiQSIG-SIGNATURE=="}}},{"reasoningContent":{"redactedContent":"RVhBTVBMRQ=="}},{"text":"Checking."},{"toolUse":{"toolUseId":"tooluse_Paris01","name":"get_weather","input":{"city":"Paris"}}}]},"""
            + """{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_Paris01","content":[{"text":"18 C"}],"status":"success"}}]}]""",
            BedrockTestKit.Member(server.Requests[1].Body, "messages"));
    }

    [Fact]
    public async Task Deepseek_reasoner_gets_the_reasoning_of_the_tool_call_turn_back_as_reasoning_content()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.OpenAiChatChunks("openai-chat/deepseek-tool-call.chunks.txt"), Fixtures.OpenAiChatChunks("openai-chat/deepseek-reasoning.chunks.txt"));
        var handler = Registry(server, "deepseek", "deepSeekApiKey", "deepSeekBaseUrl", "deepseek-reasoner");
        var reasoning = Providers.Tests.OpenAi.OpenAiTestKit.ChatFixtureText("openai-chat/deepseek-tool-call.chunks.txt").Reasoning;
        var history = new List<ChatMessage> { ChatMessage.User("Weather in San Francisco?") };

        await TurnAsync(handler, history, _ => "18 C");
        await TurnAsync(handler, history, _ => "unused");

        AssertJson(
            $$$"""
            [{"role":"user","content":"sys\nWeather in San Francisco?"},
             {"role":"assistant","content":null,"reasoning_content":{{{JsonSerializer.Serialize(reasoning, RoundTripJson.Default.String)}}},"tool_calls":[{"id":"call_00_ioIn7yN9p1ZOMNpDLwd4MgAF","type":"function","function":{"name":"weather","arguments":"{\"location\":\"San Francisco\"}"}}]},
             {"role":"tool","content":"18 C","tool_call_id":"call_00_ioIn7yN9p1ZOMNpDLwd4MgAF"}]
            """,
            JsonNode.Parse(server.Requests[1].Body)!["messages"]);
    }

    [Fact]
    public async Task Openai_native_replays_the_encrypted_reasoning_item_before_its_function_call()
    {
        await using var server = await ReplayServer.StartAsync();
        var lines = Fixtures.Lines("openai-responses/openai-reasoning-encrypted-content.1.chunks.txt").ToList();
        var firstResponse = lines.Take(lines.FindIndex(l => l.Contains("\"response.completed\"", StringComparison.Ordinal)) + 1).ToArray();
        var reasoningItem = JsonNode.Parse(firstResponse.Single(l => l.Contains("\"response.output_item.done\"", StringComparison.Ordinal) && l.Contains("\"rs_", StringComparison.Ordinal)))!["item"]!;
        server.Enqueue(TypedSse(firstResponse), Fixtures.TypedEventChunks("openai-responses/azure-text.1.chunks.txt"));
        var handler = Registry(server, "openai-native", "openAiNativeApiKey", "openAiNativeBaseUrl", "gpt-5.1-codex-max");
        var history = new List<ChatMessage> { ChatMessage.User("Compute (12+7)*3*10.") };

        await TurnAsync(handler, history, _ => "19");
        await TurnAsync(handler, history, _ => "unused");

        var second = JsonNode.Parse(server.Requests[1].Body)!;
        Assert.Equal("/v1/responses", server.Requests[1].PathAndQuery);
        AssertJson(
            $$$"""
            [{"role":"user","content":[{"type":"input_text","text":"Compute (12+7)*3*10."}]},
             {"type":"reasoning","id":"rs_01830d662ab3856501693c321405c88190be3ab04d5782d5f9","summary":{{{reasoningItem["summary"]!.ToJsonString()}}},"encrypted_content":{{{JsonSerializer.Serialize(reasoningItem["encrypted_content"]!.GetValue<string>(), RoundTripJson.Default.String)}}}},
             {"type":"function_call","id":"fc_01830d662ab3856501693c32151234819091cfca267e98cc5f","call_id":"call_AB6AaRZ1FYZB2RwS6A5vbdqn","name":"calculator","arguments":"{\"a\":12,\"b\":7,\"op\":\"add\"}"},
             {"type":"function_call_output","call_id":"call_AB6AaRZ1FYZB2RwS6A5vbdqn","output":"19"}]
            """,
            second["input"]);
        Assert.Equal("""["reasoning.encrypted_content"]""", second["include"]!.ToJsonString());
    }

    private static IApiHandler Registry(ReplayServer server, string id, string keySetting, string urlSetting, string model)
    {
        var settings = new Dictionary<string, string>
        {
            [keySetting] = Key,
            [urlSetting] = new Uri(server.BaseUri, "v1").ToString(),
            ["actModeApiModelId"] = model,
        };
        return ProviderRegistry.Create(id, ProviderSettings.Parse(JsonSerializer.Serialize(settings)), Mode.Act, _ => { });
    }

    private static ReplayResponse AnthropicSse(params string[] events) => TypedSse(events);

    private static ReplayResponse TypedSse(params string[] events) => new()
    {
        Parts = events.Select(e =>
        {
            using var doc = JsonDocument.Parse(e);
            return global::System.Text.Encoding.UTF8.GetBytes($"event: {doc.RootElement.GetProperty("type").GetString()}\ndata: {e}\n\n");
        }).ToArray(),
    };
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Providers.Anthropic;
using Providers.Ollama;
using Providers.OpenAi;
using Providers.OpenRouter;
using Providers.Tests.Replay;

namespace Providers.Tests.RoundTrip;

/// <summary>
/// An agent's loop over loopback: turn 1 streams an answer with reasoning and a tool call, the
/// <see cref="AssistantMessageBuilder"/> makes the assistant message, a tool result is appended, and turn 2 is sent.
/// Each test asserts the exact conversation of the second request, as the provider documents it.
/// </summary>
public class RoundTripTests
{
    private const string Key = "sk-test-SECRET-0123456789";
    private const string System = "sys";

    private static readonly JsonElement ToolSchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    private static readonly IReadOnlyList<ToolDefinition> Tools = [new ToolDefinition("tool", "A tool.", ToolSchema)];

    /// <summary>Runs both turns; answers each tool call with <paramref name="result"/> (the first one failed, when <paramref name="firstFails"/>).</summary>
    private static async Task<(JsonNode Second, ChatMessage Assistant)> TwoTurnsAsync(
        ReplayServer server, IApiHandler handler, ReplayResponse first, ReplayResponse second, string question, Func<ToolUseBlock, string> result, bool firstFails = false)
    {
        server.Enqueue(first, second);
        var history = new List<ChatMessage> { ChatMessage.User(question) };
        var builder = new AssistantMessageBuilder();
        await foreach (var chunk in handler.CreateMessageAsync(System, history, Tools))
        {
            builder.Add(chunk);
        }

        var assistant = builder.Build()!;
        history.Add(assistant);
        history.Add(new ChatMessage(ChatRole.User, builder.ToolCalls.Select((c, i) => (ContentBlock)new ToolResultBlock(c.Id, result(c), isError: firstFails && i == 0)).ToList()));
        await foreach (var _ in handler.CreateMessageAsync(System, history, Tools))
        {
        }

        Assert.Equal(2, server.Requests.Count);
        return (JsonNode.Parse(server.Requests[1].Body)!, assistant);
    }

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), actual!.ToJsonString());

    private static string Quote(string text) => JsonSerializer.Serialize(text, RoundTripJson.Default.String);

    private static ReplayResponse Sse(params string[] events) => new()
    {
        Parts = events.Select(e =>
        {
            using var doc = JsonDocument.Parse(e);
            return Encoding.UTF8.GetBytes($"event: {doc.RootElement.GetProperty("type").GetString()}\ndata: {e}\n\n");
        }).ToArray(),
    };

    [Fact]
    public async Task Anthropic_sends_back_signed_thinking_and_redacted_thinking_before_the_tool_use_then_the_result()
    {
        await using var server = await ReplayServer.StartAsync();
        var handler = new AnthropicHandler(new AnthropicOptions { BaseUrl = server.BaseUri, ApiKey = Key, ModelId = "claude-sonnet-4-5-20250929" });
        var first = Sse(
            """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"usage":{"input_tokens":20,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"I should "}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"list src."}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBsig=="}}""",
            """{"type":"content_block_stop","index":0}""",
            """{"type":"content_block_start","index":1,"content_block":{"type":"redacted_thinking","data":"EmwKAhgBEgy3va=="}}""",
            """{"type":"content_block_stop","index":1}""",
            """{"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}""",
            """{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"Listing."}}""",
            """{"type":"content_block_stop","index":2}""",
            """{"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"toolu_01A","name":"tool","input":{}}}""",
            """{"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{\"path\":"}}""",
            """{"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":" \"src\"}"}}""",
            """{"type":"content_block_stop","index":3}""",
            """{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":30}}""",
            """{"type":"message_stop"}""");

        var (second, _) = await TwoTurnsAsync(server, handler, first, Fixtures.TypedEventChunks("anthropic/anthropic-text.chunks.txt"), "List src", _ => "a.cs");

        AssertJson(
            """
            [{"role":"user","content":[{"type":"text","text":"List src","cache_control":{"type":"ephemeral"}}]},
             {"role":"assistant","content":[
               {"type":"thinking","thinking":"I should list src.","signature":"EqQBsig=="},
               {"type":"redacted_thinking","data":"EmwKAhgBEgy3va=="},
               {"type":"text","text":"Listing."},
               {"type":"tool_use","id":"toolu_01A","name":"tool","input":{"path": "src"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A","content":[{"type":"text","text":"a.cs"}],"cache_control":{"type":"ephemeral"}}]}]
            """,
            second["messages"]);
    }

    [Fact]
    public async Task Ollama_sends_back_thinking_tool_calls_with_object_arguments_and_named_tool_results()
    {
        await using var server = await ReplayServer.StartAsync();
        var handler = new OllamaHandler(new OllamaOptions { BaseUrl = server.BaseUri, ModelId = "qwen3:8b" });
        // The second call's arguments come as a JSON string, as some servers send them: passed through, not encoded twice.
        var first = new ReplayResponse
        {
            ContentType = "application/x-ndjson",
            Parts = new[]
            {
                """{"model":"qwen3:8b","created_at":"2026-11-20T09:31:40.1Z","message":{"role":"assistant","content":"","thinking":"Need the weather."},"done":false}""" + "\n",
                """{"model":"qwen3:8b","created_at":"2026-11-20T09:31:40.2Z","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Tokyo"}}},{"function":{"name":"get_time","arguments":"{\"timezone\":\"Asia/Tokyo\"}"}}]},"done":false}""" + "\n",
                """{"model":"qwen3:8b","created_at":"2026-11-20T09:31:40.3Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"prompt_eval_count":10,"eval_count":5}""" + "\n",
            }.Select(Encoding.UTF8.GetBytes).ToArray(),
        };

        var (second, assistant) = await TwoTurnsAsync(
            server, handler, first, Fixtures.Raw("ollama/chat-text.ndjson", "application/x-ndjson"), "Weather?", c => c.Name == "get_weather" ? "Sunny" : "no clock", firstFails: false);

        Assert.Equal("""{"timezone":"Asia/Tokyo"}""", assistant.Content.OfType<ToolUseBlock>().Last().Input.GetRawText());
        AssertJson(
            """
            [{"role":"system","content":"sys"},
             {"role":"user","content":"Weather?"},
             {"role":"assistant","content":"","thinking":"Need the weather.","tool_calls":[
               {"function":{"name":"get_weather","arguments":{"city":"Tokyo"}}},
               {"function":{"name":"get_time","arguments":{"timezone":"Asia/Tokyo"}}}]},
             {"role":"tool","content":"Sunny","tool_name":"get_weather"},
             {"role":"tool","content":"no clock","tool_name":"get_time"}]
            """,
            second["messages"]);
    }

    [Fact]
    public async Task Openai_chat_sends_back_the_tool_call_and_a_failed_result_marked_as_an_error()
    {
        await using var server = await ReplayServer.StartAsync();
        var handler = new OpenAiHandler(new OpenAiOptions { ApiKey = Key, BaseUrl = new Uri(server.BaseUri, "v1"), ModelId = "grok-3-mini" });

        var (second, _) = await TwoTurnsAsync(
            server, handler, Fixtures.OpenAiChatChunks("openai-chat/xai-tool-call.chunks.txt"), Fixtures.OpenAiChatChunks("openai-chat/openai-text.chunks.txt"),
            "Weather in San Francisco?", _ => "service down", firstFails: true);

        // Chat Completions has no error flag on tool messages; reasoning of other servers is not sent back.
        AssertJson(
            """
            [{"role":"system","content":"sys"},
             {"role":"user","content":[{"type":"text","text":"Weather in San Francisco?"}]},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_79382389","type":"function","function":{"name":"weather","arguments":"{\"location\":\"San Francisco\"}"}}]},
             {"role":"tool","content":"Error: service down","tool_call_id":"call_79382389"}]
            """,
            second["messages"]);
    }

    [Fact]
    public async Task Deepseek_gets_the_reasoning_of_the_tool_call_turn_back_as_reasoning_content()
    {
        await using var server = await ReplayServer.StartAsync();
        var handler = new OpenAiHandler(new OpenAiOptions { ApiKey = Key, BaseUrl = server.BaseUri, ModelId = "deepseek-reasoner" });
        var reasoning = Providers.Tests.OpenAi.OpenAiTestKit.ChatFixtureText("openai-chat/deepseek-tool-call.chunks.txt").Reasoning;

        var (second, _) = await TwoTurnsAsync(
            server, handler, Fixtures.OpenAiChatChunks("openai-chat/deepseek-tool-call.chunks.txt"), Fixtures.OpenAiChatChunks("openai-chat/deepseek-reasoning.chunks.txt"),
            "Weather in San Francisco?", _ => "18 C");

        AssertJson(
            $$$"""
            [{"role":"user","content":"sys\nWeather in San Francisco?"},
             {"role":"assistant","content":null,"reasoning_content":{{{Quote(reasoning)}}},"tool_calls":[{"id":"call_00_ioIn7yN9p1ZOMNpDLwd4MgAF","type":"function","function":{"name":"weather","arguments":"{\"location\":\"San Francisco\"}"}}]},
             {"role":"tool","content":"18 C","tool_call_id":"call_00_ioIn7yN9p1ZOMNpDLwd4MgAF"}]
            """,
            second["messages"]);
    }

    [Fact]
    public async Task Other_deepseek_models_in_thinking_mode_also_get_the_tool_call_turns_reasoning_back()
    {
        await using var server = await ReplayServer.StartAsync();
        var handler = new OpenAiHandler(new OpenAiOptions { ApiKey = Key, BaseUrl = server.BaseUri, ModelId = "deepseek-chat" });
        var reasoning = Providers.Tests.OpenAi.OpenAiTestKit.ChatFixtureText("openai-chat/deepseek-tool-call.chunks.txt").Reasoning;

        var (second, _) = await TwoTurnsAsync(
            server, handler, Fixtures.OpenAiChatChunks("openai-chat/deepseek-tool-call.chunks.txt"), Fixtures.OpenAiChatChunks("openai-chat/deepseek-reasoning.chunks.txt"),
            "Weather in San Francisco?", _ => "18 C");

        Assert.Equal(reasoning, second["messages"]![2]!["reasoning_content"]!.GetValue<string>());
    }

    [Fact]
    public void Deepseek_keeps_reasoning_of_turns_that_called_tools_and_drops_it_for_turns_that_did_not()
    {
        var input = JsonDocument.Parse("""{"q":1}""").RootElement.Clone();
        var messages = new List<ChatMessage>
        {
            ChatMessage.User("first question"),
            new(ChatRole.Assistant, [new ThinkingBlock("plain thought"), new TextBlock("plain answer")]),
            ChatMessage.User("second question"),
            new(ChatRole.Assistant, [new ThinkingBlock("tool thought"), new ToolUseBlock("c1", "tool", input)]),
            new(ChatRole.User, [new ToolResultBlock("c1", "r1")]),
            new(ChatRole.Assistant, [new ThinkingBlock("after the result"), new TextBlock("second answer")]),
            ChatMessage.User("third question"),
        };

        var wire = OpenAiMessageConverter.ToChatMessages(System, "system", messages, includeReasoning: true);

        Assert.Equal(
            [null, null, null, null, "tool thought", null, "after the result", null],
            wire.Select(m => m.ReasoningContent));
    }

    [Fact]
    public async Task Openai_responses_replays_the_encrypted_reasoning_item_before_the_function_call_it_preceded()
    {
        await using var server = await ReplayServer.StartAsync();
        var handler = new OpenAiHandler(new OpenAiOptions { ApiKey = Key, BaseUrl = new Uri(server.BaseUri, "v1"), ModelId = "gpt-5.1-codex-max", UseResponsesApi = true });

        // The fixture holds four responses of one agent run; the first one is turn 1.
        var lines = Fixtures.Lines("openai-responses/openai-reasoning-encrypted-content.1.chunks.txt").ToList();
        var firstResponse = lines.Take(lines.FindIndex(l => l.Contains("\"response.completed\"", StringComparison.Ordinal)) + 1).ToArray();
        var reasoningItem = JsonNode.Parse(firstResponse.Single(l => l.Contains("\"response.output_item.done\"", StringComparison.Ordinal) && l.Contains("\"rs_", StringComparison.Ordinal)))!["item"]!;

        var (second, _) = await TwoTurnsAsync(
            server, handler, Sse(firstResponse), Fixtures.TypedEventChunks("openai-responses/azure-text.1.chunks.txt"), "Compute (12+7)*3*10.", _ => "19");

        AssertJson(
            $$$"""
            [{"role":"user","content":[{"type":"input_text","text":"Compute (12+7)*3*10."}]},
             {"type":"reasoning","id":"rs_01830d662ab3856501693c321405c88190be3ab04d5782d5f9","summary":{{{reasoningItem["summary"]!.ToJsonString()}}},"encrypted_content":{{{Quote(reasoningItem["encrypted_content"]!.GetValue<string>())}}}},
             {"type":"function_call","id":"fc_01830d662ab3856501693c32151234819091cfca267e98cc5f","call_id":"call_AB6AaRZ1FYZB2RwS6A5vbdqn","name":"calculator","arguments":"{\"a\":12,\"b\":7,\"op\":\"add\"}"},
             {"type":"function_call_output","call_id":"call_AB6AaRZ1FYZB2RwS6A5vbdqn","output":"19"}]
            """,
            second["input"]);
        Assert.Equal("""["reasoning.encrypted_content"]""", second["include"]!.ToJsonString());
        Assert.False(second["store"]!.GetValue<bool>());
    }

    [Fact]
    public void Openai_responses_sends_assistant_text_as_a_message_with_string_content_and_images_with_detail()
    {
        var input = JsonDocument.Parse("""{"a":1}""").RootElement.Clone();
        var messages = new List<ChatMessage>
        {
            new(ChatRole.User, [new TextBlock("look"), new ImageBlock("AAAA", "image/png")]),
            new(ChatRole.Assistant, [new TextBlock("Seen."), new ToolUseBlock("call_1", "tool", input), new TextBlock("More.")]),
            new(ChatRole.User, [new ToolResultBlock("call_1", "failed", isError: true)]),
        };

        var json = JsonSerializer.Serialize(
            new ResponsesRequest { Model = "m", Input = OpenAiMessageConverter.ToResponsesInput(messages) }, OpenAiJsonContext.Default.ResponsesRequest);

        AssertJson(
            """
            [{"role":"user","content":[{"type":"input_text","text":"look"},{"type":"input_image","image_url":"data:image/png;base64,AAAA","detail":"auto"}]},
             {"role":"assistant","content":"Seen."},
             {"type":"function_call","call_id":"call_1","name":"tool","arguments":"{\"a\":1}"},
             {"role":"assistant","content":"More."},
             {"type":"function_call_output","call_id":"call_1","output":"Error: failed"}]
            """,
            JsonNode.Parse(json)!["input"]);
    }

    [Fact]
    public async Task Openrouter_sends_back_the_merged_reasoning_details_on_the_assistant_message()
    {
        await using var server = await ReplayServer.StartAsync();
        var handler = new OpenRouterHandler(new OpenRouterOptions { ApiKey = Key, BaseUrl = server.BaseUri, ModelId = "google/gemini-3-pro-preview" });

        var (second, _) = await TwoTurnsAsync(
            server, handler, Fixtures.Raw("openrouter/chat-reasoning-tool-call.sse"), Fixtures.Raw("openrouter/chat-reasoning-tool-call.sse"), "What is in src?", _ => "a.cs");

        AssertJson(
            """
            [{"role":"system","content":"sys"},
             {"role":"user","content":[{"type":"text","text":"What is in src?"}]},
             {"role":"assistant","content":"Let me list the files.",
              "reasoning_details":[{"type":"reasoning.text","text":"Need the file list first.","format":"anthropic-claude-v1","index":0,"signature":"EqQBCkgIBxABGAIiQL3p0sig"}],
              "tool_calls":[{"id":"toolu_vrtx_01Q2w3E4r5T6y7U8","type":"function","function":{"name":"list_files","arguments":"{\"path\":\"src\",\"recursive\":true}"}}]},
             {"role":"tool","content":"a.cs","tool_call_id":"toolu_vrtx_01Q2w3E4r5T6y7U8"}]
            """,
            second["messages"]);
    }

    [Fact]
    public void Reasoning_state_of_one_api_is_not_sent_to_another()
    {
        var input = JsonDocument.Parse("{}").RootElement.Clone();
        var history = new List<ChatMessage>
        {
            ChatMessage.User("q"),
            new(ChatRole.Assistant,
            [
                new ThinkingBlock("summary"),
                new ReasoningStateBlock(ReasoningStateFormats.OpenAiResponses, """{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"gAAA"}"""),
                new ReasoningStateBlock(ReasoningStateFormats.ReasoningDetails, """[{"type":"reasoning.encrypted","data":"x","index":0}]"""),
                new ToolUseBlock("call_1", "tool", input),
            ]),
        };

        var anthropic = JsonSerializer.Serialize(AnthropicMessageConverter.Messages(history, cache: false)[1], AnthropicJsonContext.Default.MessageParam);
        var chat = OpenAiMessageConverter.ToChatMessages(System, "system", history);
        var ollama = OllamaMessageConverter.Convert(System, history);

        Assert.Equal("""{"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"tool","input":{}}]}""", anthropic);
        Assert.Null(chat[2].ReasoningDetails);
        Assert.Null(chat[2].ReasoningContent);
        Assert.Equal("summary", ollama[2].Thinking);
    }

    [Fact]
    public void Openai_chat_sends_tool_input_that_is_not_an_object_without_throwing()
    {
        var asString = JsonDocument.Parse("\"{\\\"a\\\":1}\"").RootElement.Clone();
        var messages = new List<ChatMessage>
        {
            ChatMessage.User("q"),
            new(ChatRole.Assistant, [new ToolUseBlock("c1", "t", asString), new ToolUseBlock("c2", "t", default), new ToolUseBlock("c3", "t", JsonDocument.Parse("[1]").RootElement.Clone())]),
        };

        var wire = OpenAiMessageConverter.ToChatMessages(System, "system", messages);

        Assert.Equal(["{\"a\":1}", "{}", "[1]"], wire[2].ToolCalls!.Select(c => c.Function.Arguments));
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class RoundTripJson : System.Text.Json.Serialization.JsonSerializerContext;

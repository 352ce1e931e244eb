using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using MEAI = Microsoft.Extensions.AI;
using Providers.Anthropic;
using Providers.OpenAi;
using Providers.OpenRouter;
using Providers.Tests.Replay;

namespace Providers.Extensions.AI.Tests;

/// <summary>
/// A <see cref="FunctionInvokingChatClient"/> loop over a handler, against a loopback server: the reasoning state of the
/// tool-call turn (signed and redacted thinking, an OpenAI Responses reasoning item with its function item id) must
/// reach the second request exactly as the provider's own loop sends it.
/// </summary>
public sealed class ReasoningStateLoopTests
{
    private const string Key = "sk-test-SECRET-0123456789";

    private static ReplayResponse TypedSse(IEnumerable<string> events) => new()
    {
        Parts = events.Select(e =>
        {
            using var doc = JsonDocument.Parse(e);
            return Encoding.UTF8.GetBytes($"event: {doc.RootElement.GetProperty("type").GetString()}\ndata: {e}\n\n");
        }).ToArray(),
    };

    private static async Task<string> RunAsync(IApiHandler handler, string question, AIFunction tool, bool streaming)
    {
        using var client = new ChatClientBuilder(handler.AsChatClient()).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [tool] };
        if (streaming)
        {
            var text = new StringBuilder();
            await foreach (var update in client.GetStreamingResponseAsync(question, options))
            {
                text.Append(update.Text);
            }

            return text.ToString();
        }

        return (await client.GetResponseAsync(question, options)).Text;
    }

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), actual!.ToJsonString());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Anthropic_thinking_signature_and_redacted_thinking_go_back_before_the_tool_use(bool streaming)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(
            TypedSse([
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
                """{"type":"message_stop"}""",
            ]),
            Fixtures.TypedEventChunks("anthropic/anthropic-text.chunks.txt"));
        var handler = new AnthropicHandler(new AnthropicOptions { BaseUrl = server.BaseUri, ApiKey = Key, ModelId = "claude-sonnet-4-5-20250929", ThinkingBudgetTokens = 1024 });
        var tool = AIFunctionFactory.Create((string path) => "a.cs", "tool", "Lists a folder.");

        await RunAsync(handler, "List src", tool, streaming);

        Assert.Equal(2, server.Requests.Count);
        AssertJson(
            """
            [{"role":"user","content":[{"type":"text","text":"List src","cache_control":{"type":"ephemeral"}}]},
             {"role":"assistant","content":[
               {"type":"thinking","thinking":"I should list src.","signature":"EqQBsig=="},
               {"type":"redacted_thinking","data":"EmwKAhgBEgy3va=="},
               {"type":"text","text":"Listing."},
               {"type":"tool_use","id":"toolu_01A","name":"tool","input":{"path":"src"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A","content":[{"type":"text","text":"a.cs"}],"cache_control":{"type":"ephemeral"}}]}]
            """,
            JsonNode.Parse(server.Requests[1].Body)!["messages"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Openai_responses_reasoning_item_is_replayed_before_its_function_call_with_the_item_id(bool streaming)
    {
        await using var server = await ReplayServer.StartAsync();
        var lines = Fixtures.Lines("openai-responses/openai-reasoning-encrypted-content.1.chunks.txt").ToList();
        var firstResponse = lines.Take(lines.FindIndex(l => l.Contains("\"response.completed\"", StringComparison.Ordinal)) + 1).ToArray();
        var reasoningItem = JsonNode.Parse(firstResponse.Single(l => l.Contains("\"response.output_item.done\"", StringComparison.Ordinal) && l.Contains("\"rs_", StringComparison.Ordinal)))!["item"]!;
        server.Enqueue(TypedSse(firstResponse), Fixtures.TypedEventChunks("openai-responses/azure-text.1.chunks.txt"));
        var handler = new OpenAiHandler(new OpenAiOptions { ApiKey = Key, BaseUrl = new Uri(server.BaseUri, "v1"), ModelId = "gpt-5.1-codex-max", UseResponsesApi = true });
        var calculator = AIFunctionFactory.Create((int a, int b, string op) => "19", "calculator", "Does arithmetic.");

        await RunAsync(handler, "Compute (12+7)*3*10.", calculator, streaming);

        Assert.Equal(2, server.Requests.Count);
        var second = JsonNode.Parse(server.Requests[1].Body)!;
        AssertJson(
            $$$"""
            [{"role":"user","content":[{"type":"input_text","text":"Compute (12+7)*3*10."}]},
             {"type":"reasoning","id":"rs_01830d662ab3856501693c321405c88190be3ab04d5782d5f9","summary":{{{reasoningItem["summary"]!.ToJsonString()}}},"encrypted_content":{{{JsonValue.Create(reasoningItem["encrypted_content"]!.GetValue<string>())!.ToJsonString()}}}},
             {"type":"function_call","id":"fc_01830d662ab3856501693c32151234819091cfca267e98cc5f","call_id":"call_AB6AaRZ1FYZB2RwS6A5vbdqn","name":"calculator","arguments":"{\"a\":12,\"b\":7,\"op\":\"add\"}"},
             {"type":"function_call_output","call_id":"call_AB6AaRZ1FYZB2RwS6A5vbdqn","output":"19"}]
            """,
            second["input"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Openrouter_reasoning_details_fragments_go_back_merged_on_the_assistant_message(bool streaming)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixtures.Raw("openrouter/chat-reasoning-tool-call.sse"), Fixtures.OpenAiChatChunks("openai-chat/openai-text.chunks.txt"));
        var handler = new OpenRouterHandler(clock.Attach(new OpenRouterOptions { ApiKey = Key, BaseUrl = server.BaseUri, ModelId = "anthropic/claude-sonnet-4.5" }));
        var listFiles = AIFunctionFactory.Create((string path, bool recursive) => "a.cs", "list_files", "Lists files.");

        await RunAsync(handler, "What is in src?", listFiles, streaming);

        AssertJson(
            """
            [{"role":"assistant","content":"Let me list the files.",
              "reasoning_details":[{"type":"reasoning.text","text":"Need the file list first.","format":"anthropic-claude-v1","index":0,"signature":"EqQBCkgIBxABGAIiQL3p0sig"}],
              "tool_calls":[{"id":"toolu_vrtx_01Q2w3E4r5T6y7U8","type":"function","function":{"name":"list_files","arguments":"{\"path\":\"src\",\"recursive\":true}"}}]},
             {"role":"tool","content":"a.cs","tool_call_id":"toolu_vrtx_01Q2w3E4r5T6y7U8"}]
            """,
            new JsonArray(JsonNode.Parse(server.Requests[1].Body)!["messages"]!.AsArray().Skip(2).Select(m => m!.DeepClone()).ToArray()));
    }

    [Fact]
    public async Task Each_reasoning_item_stays_before_its_call_and_the_history_sent_back_rebuilds_the_same_blocks()
    {
        const string Item1 = """{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"gAAA1"}""";
        const string Item2 = """{"type":"reasoning","id":"rs_2","summary":[],"encrypted_content":"gAAA2"}""";
        var handler = new RecordingHandler(
            new ReasoningChunk("Plan."),
            new ReasoningChunk("", Details: Item1) { DetailsFormat = ReasoningStateFormats.OpenAiResponses },
            new ToolCallChunk("call_1", "fc_1", "tool", """{"path":"""),
            new ToolCallChunk("call_1", "fc_1", "", "\"a\"}"),
            new ReasoningChunk("", Details: Item2) { DetailsFormat = ReasoningStateFormats.OpenAiResponses },
            new ToolCallChunk("call_2", "fc_2", "tool", """{"path":"b"}"""),
            new UsageChunk(10, 5));
        using var client = handler.AsChatClient();

        var response = await client.GetResponseAsync("go");
        var history = new List<MEAI.ChatMessage> { new(MEAI.ChatRole.User, "go") };
        history.AddRange(response.Messages);
        await client.GetResponseAsync(history);

        var expected = new ChatMessage(ChatRole.Assistant,
        [
            new ThinkingBlock("Plan."),
            new ReasoningStateBlock(ReasoningStateFormats.OpenAiResponses, Item1),
            new ToolUseBlock("call_1", "tool", JsonDocument.Parse("""{"path":"a"}""").RootElement) { FunctionId = "fc_1" },
            new ReasoningStateBlock(ReasoningStateFormats.OpenAiResponses, Item2),
            new ToolUseBlock("call_2", "tool", JsonDocument.Parse("""{"path":"b"}""").RootElement) { FunctionId = "fc_2" },
        ]);
        var sent = handler.Messages![1];
        Assert.Equal(ChatRole.Assistant, sent.Role);
        Assert.Equal(Describe(expected.Content), Describe(sent.Content));
    }

    private static string[] Describe(IEnumerable<ContentBlock> blocks) => blocks.Select(b => b switch
    {
        ToolUseBlock use => $"tool_use {use.Id} {use.FunctionId} {use.Name} {use.Input.GetRawText()}",
        _ => b.ToString(),
    }).ToArray();
}

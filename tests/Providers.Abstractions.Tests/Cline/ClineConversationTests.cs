using System.Text.Json;
using System.Text.Json.Nodes;
using Providers.Cline;

namespace Providers.Abstractions.Tests.Cline;

public class ClineConversationTests
{
    /// <summary>A conversation as Cline stores it, with a field Cline may add later on a message and on a block.</summary>
    private const string History = """
        [{"role":"user","content":[{"type":"text","text":"<task>\nList src\n</task>"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}],"ts":1764150000000},
         {"role":"assistant","content":[
           {"type":"thinking","thinking":"Need the list.","signature":"EqQB"},
           {"type":"text","text":"Listing.","reasoning_details":[{"type":"reasoning.text","text":"Need the list.","signature":"EqQB","format":"anthropic-claude-v1","index":0}]},
           {"type":"tool_use","id":"fc_01","name":"list_files","input":{"path":"src"},"call_id":"call_01","signature":"gemini-sig"}],
          "id":"gen-1","modelInfo":{"modelId":"anthropic/claude-sonnet-4.5","providerId":"openrouter","mode":"act"},
          "metrics":{"tokens":{"prompt":1520,"completion":64,"cached":1024},"cost":0.005028},"ts":1764150001000,"futureField":{"x":[1,2]}},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"fc_01","content":[{"type":"text","text":"a.cs"}],"is_error":false,"cache_control":{"type":"ephemeral"}},{"type":"text","text":"<environment_details>x</environment_details>"}]},
         {"role":"assistant","content":"Done."}]
        """;

    [Fact]
    public void A_read_then_write_keeps_every_field_including_unknown_ones()
    {
        var messages = ClineConversation.Parse(History);

        var written = ClineConversation.Serialize(messages);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(History), JsonNode.Parse(written)), written);
        Assert.Equal(0.005028m, messages[1].Metrics!.Cost);
        Assert.Equal("act", messages[1].ModelInfo!.Mode);
        Assert.Equal("""{"x":[1,2]}""", messages[1].ExtensionData!["futureField"].GetRawText());
    }

    [Fact]
    public void Converts_to_chat_messages_with_reasoning_state_before_the_block_that_carried_it_and_call_ids_mapped()
    {
        var chat = ClineConversation.ToChatMessages(ClineConversation.Parse(History));

        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.User, ChatRole.Assistant], chat.Select(m => m.Role));
        Assert.Equal<ContentBlock>([new TextBlock("<task>\nList src\n</task>"), new ImageBlock("iVBORw0KGgo=", "image/png")], chat[0].Content);
        var assistant = chat[1].Content;
        Assert.Equal(new ThinkingBlock("Need the list.", "EqQB"), assistant[0]);
        Assert.Equal(
            new ReasoningStateBlock(ReasoningStateFormats.ReasoningDetails, """[{"type":"reasoning.text","text":"Need the list.","signature":"EqQB","format":"anthropic-claude-v1","index":0}]"""),
            assistant[1]);
        Assert.Equal(new TextBlock("Listing."), assistant[2]);
        Assert.Equal(new ReasoningStateBlock(ReasoningStateFormats.ThoughtSignature, "\"gemini-sig\""), assistant[3]);
        var use = Assert.IsType<ToolUseBlock>(assistant[4]);
        Assert.Equal(("call_01", "fc_01", "list_files", """{"path":"src"}"""), (use.Id, use.FunctionId, use.Name, use.Input.GetRawText()));
        var result = Assert.IsType<ToolResultBlock>(chat[2].Content[0]);
        Assert.Equal(("call_01", false), (result.ToolUseId, result.IsError));
        Assert.Equal<ContentBlock>([new TextBlock("a.cs")], result.Content);
        Assert.Equal<ContentBlock>([new TextBlock("Done.")], chat[3].Content);
    }

    [Fact]
    public void Chat_messages_survive_the_trip_through_clines_format()
    {
        var input = JsonDocument.Parse("""{"a":12}""").RootElement.Clone();
        const string Item = """{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Add."}],"encrypted_content":"gAAA"}""";
        var messages = new List<ChatMessage>
        {
            ChatMessage.User("q"),
            new(ChatRole.Assistant,
            [
                new ThinkingBlock("Add."),
                new ReasoningStateBlock(ReasoningStateFormats.OpenAiResponses, Item),
                new ToolUseBlock("call_1", "calc", input) { FunctionId = "fc_1" },
            ]),
            new(ChatRole.User, [new ToolResultBlock("call_1", "12", isError: true)]),
            new(ChatRole.Assistant,
            [
                new ThinkingBlock("signed", "sig"),
                new RedactedThinkingBlock("REDACTED"),
                new ReasoningStateBlock(ReasoningStateFormats.ReasoningDetails, """[{"type":"reasoning.encrypted","data":"x","index":0}]"""),
                new TextBlock("Twelve."),
            ]),
        };

        var cline = ClineConversation.FromChatMessages(messages);
        var back = ClineConversation.ToChatMessages(ClineConversation.Parse(ClineConversation.Serialize(cline)));

        Assert.Equal("fc_1", cline[2].Content.Blocks![0].ToolUseId);
        Assert.Equal(messages.Count, back.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            Assert.Equal(messages[i].Role, back[i].Role);
            Assert.Equal(Describe(messages[i]), Describe(back[i]));
        }
    }

    [Fact]
    public void For_anthropic_the_cline_fields_and_unsigned_thinking_are_stripped_and_for_openrouter_kept()
    {
        var assistant = ClineConversation.Parse(History)[1];
        assistant.Content.Blocks!.Insert(0, new ClineContentBlock { Type = "thinking", Thinking = "unsigned", Signature = "" });

        var forAnthropic = ClineConversation.ForProvider(assistant, "anthropic");
        var forOpenRouter = ClineConversation.ForProvider(assistant, "openrouter");

        Assert.Equal(
            """{"role":"assistant","content":[{"type":"thinking","thinking":"Need the list.","signature":"EqQB"},{"type":"text","text":"Listing."},{"type":"tool_use","id":"fc_01","name":"list_files","input":{"path":"src"}}]}""",
            ClineConversation.Serialize([forAnthropic])[1..^1]);
        Assert.Contains("\"reasoning_details\"", ClineConversation.Serialize([forOpenRouter]), StringComparison.Ordinal);
        Assert.Contains("\"call_id\":\"call_01\"", ClineConversation.Serialize([forOpenRouter]), StringComparison.Ordinal);
        Assert.DoesNotContain("unsigned", ClineConversation.Serialize([forOpenRouter]), StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_atomically_over_the_file_it_read()
    {
        var path = Path.Combine(Path.GetTempPath(), "cline-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, History);
        try
        {
            var messages = ClineConversation.ReadFile(path);
            messages.Add(ClineConversation.FromChatMessage(ChatMessage.User("next")));

            ClineConversation.WriteFile(path, messages);

            Assert.Equal(5, ClineConversation.ReadFile(path).Count);
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!, "*" + Path.GetFileName(path) + "*"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Content_that_is_neither_a_string_nor_blocks_is_a_clear_error()
    {
        var error = Assert.ThrowsAny<JsonException>(() => ClineConversation.Parse("""[{"role":"user","content":42}]"""));

        Assert.Contains("string or an array of content blocks", error.Message, StringComparison.Ordinal);
    }

    private static string Describe(ChatMessage message) => string.Join(" | ", message.Content.Select(b => b switch
    {
        ToolUseBlock use => $"tool_use {use.Id} {use.FunctionId} {use.Name} {use.Input.GetRawText()}",
        ToolResultBlock result => $"tool_result {result.ToolUseId} {result.IsError} {string.Join(",", result.Content)}",
        _ => b.ToString(),
    }));
}

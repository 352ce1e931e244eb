using System.Text.Json.Nodes;
using Providers.Cline;

namespace Providers.Abstractions.Tests.Cline;

public class ClineUiMessagesTests
{
    private const string Conversation = """
        [{"role":"user","content":[{"type":"text","text":"<task>\nList src\n</task>"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}],"ts":1764150000000},
         {"role":"assistant","content":[{"type":"thinking","thinking":"Need the list.","signature":"EqQB"},{"type":"text","text":"Listing."},{"type":"tool_use","id":"toolu_01","name":"list_files","input":{"path":"src"}}],
          "modelInfo":{"modelId":"claude-sonnet-4-5","providerId":"anthropic","mode":"act"},"metrics":{"tokens":{"prompt":1520,"completion":64,"cached":1024},"cost":0.005028},"ts":1764150001000},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"a.cs"},{"type":"text","text":"Thanks"}]},
         {"role":"assistant","content":"Done."}]
        """;

    [Fact]
    public void A_conversation_becomes_the_task_the_requests_with_their_cost_the_reasoning_the_text_and_the_feedback()
    {
        var ui = ClineUiMessages.FromConversation(ClineConversation.Parse(Conversation), firstTs: 1764150000000);

        const string Model = ""","modelInfo":{"modelId":"claude-sonnet-4-5","providerId":"anthropic","mode":"act"}""";
        Assert.Equal(
            JsonNode.Parse($$"""
            [{"ts":1764150000000,"type":"say","say":"task","text":"<task>\nList src\n</task>","images":["data:image/png;base64,iVBORw0KGgo="],"conversationHistoryIndex":0},
             {"ts":1764150001000,"type":"say","say":"api_req_started","text":"{\"tokensIn\":496,\"tokensOut\":64,\"cacheWrites\":0,\"cacheReads\":1024,\"cost\":0.005028}","conversationHistoryIndex":1{{Model}}},
             {"ts":1764150001001,"type":"say","say":"reasoning","text":"Need the list.","partial":false,"conversationHistoryIndex":1{{Model}}},
             {"ts":1764150001002,"type":"say","say":"text","text":"Listing.","partial":false,"conversationHistoryIndex":1{{Model}}},
             {"ts":1764150001003,"type":"say","say":"user_feedback","text":"Thanks","conversationHistoryIndex":2},
             {"ts":1764150001004,"type":"say","say":"api_req_started","text":"{}","conversationHistoryIndex":3},
             {"ts":1764150001005,"type":"say","say":"text","text":"Done.","partial":false,"conversationHistoryIndex":3}]
            """)!.ToJsonString(),
            JsonNode.Parse(ClineUiMessages.Serialize(ui))!.ToJsonString());
    }

    [Fact]
    public void Ui_messages_keep_fields_this_library_does_not_know()
    {
        const string Json = """[{"ts":1,"type":"ask","ask":"followup","text":"Which file?","seq":7,"lastCheckpointHash":"abc"}]""";

        var messages = ClineUiMessages.Parse(Json);

        Assert.Equal(("ask", "followup"), (messages[0].Type, messages[0].Ask));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Json), JsonNode.Parse(ClineUiMessages.Serialize(messages))));
    }
}

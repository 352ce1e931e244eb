using System.Text.Json.Nodes;
using Providers.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAi;

/// <summary>What goes on the wire: URL, headers and the exact JSON body for a representative conversation.</summary>
public class OpenAiRequestTests
{
    public const string Png = "iVBORw0KGgo=";

    /// <summary>System, user text + image, assistant reasoning + text + tool use, tool result + user text, a Responses-API tool id, a tool result with an image.</summary>
    public static readonly IReadOnlyList<ChatMessage> Conversation =
    [
        new(ChatRole.User, [new TextBlock("What is in this image?"), new ImageBlock(Png, "image/png")]),
        new(ChatRole.Assistant, [new ThinkingBlock("hmm", "sig"), new TextBlock("Let me look."), new ToolUseBlock("call_1", "read_file", Json("""{"path":"a.txt"}"""))]),
        new(ChatRole.User, [new TextBlock("Thanks"), new ToolResultBlock("call_1", "file contents")]),
        new(ChatRole.Assistant, [new ToolUseBlock("fc_abc", "list_files", Json("{}"))]),
        new(ChatRole.User, [new ToolResultBlock("fc_abc", [new TextBlock("a.txt"), new ImageBlock(Png, "image/png")])]),
    ];

    public static readonly IReadOnlyList<ToolDefinition> Tools =
        [new ToolDefinition("read_file", "Reads a file", Json("""{"type":"object","properties":{"path":{"type":"string"}}}"""))];

    private const string ToolsJson = """[{"type":"function","function":{"name":"read_file","description":"Reads a file","parameters":{"type":"object","properties":{"path":{"type":"string"}}}}}]""";

    private const string ImageUrl = "data:image/png;base64," + Png;

    internal static void AssertJson(string expected, string actual) =>
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), JsonNode.Parse(actual)!.ToJsonString());

    private static async Task<RecordedRequest> SendAsync(Action<OpenAiOptions> configure, ReplayResponse? response = null)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(response ?? Fixtures.OpenAiChatChunks("openai-chat/mistral-text.chunks.txt"));
        var options = new OpenAiOptions { ApiKey = Key, BaseUrl = new Uri(server.BaseUri, "v1") };
        configure(options);
        await CollectAsync(new OpenAiHandler(options).CreateMessageAsync("You are helpful.", Conversation, Tools));
        return Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Chat_request_has_the_url_headers_and_exact_body()
    {
        var request = await SendAsync(o =>
        {
            o.ModelId = "gpt-4.1";
            o.Headers = new() { ["X-Custom"] = "yes" };
        });

        Assert.Equal(("POST", "/v1/chat/completions"), (request.Method, request.PathAndQuery));
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        Assert.StartsWith("Providers.NET/", request.Headers["User-Agent"], StringComparison.Ordinal);
        Assert.Equal("yes", request.Headers["X-Custom"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        AssertJson(
            $$$"""
            {"model":"gpt-4.1","messages":[
              {"role":"system","content":"You are helpful."},
              {"role":"user","content":[{"type":"text","text":"What is in this image?"},{"type":"image_url","image_url":{"url":"{{{ImageUrl}}}"}}]},
              {"role":"assistant","content":"Let me look.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"a.txt\"}"}}]},
              {"role":"tool","content":"file contents","tool_call_id":"call_1"},
              {"role":"user","content":[{"type":"text","text":"Thanks"}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_abc","type":"function","function":{"name":"list_files","arguments":"{}"}}]},
              {"role":"tool","content":"a.txt\n(see following user message for image)","tool_call_id":"call_abc"},
              {"role":"user","content":[{"type":"image_url","image_url":{"url":"{{{ImageUrl}}}"}}]}
            ],
            "temperature":0,"stream":true,"stream_options":{"include_usage":true},"tools":{{{ToolsJson}}},"tool_choice":"auto"}
            """,
            request.Body);
    }

    /// <summary>
    /// The family's extra fields (Qwen's <c>enable_thinking</c>, OCA's <c>thinking</c>...) come after the others, in the
    /// order they were added, escaped as any other name, and never leave a stray comma.
    /// </summary>
    [Fact]
    public void Extra_fields_are_written_after_the_others_exactly()
    {
        var request = new ChatCompletionsRequest { Model = "m", Messages = [new WireMessage { Role = "user", Content = new WireContent("hi") }], MaxTokens = 7 };
        const string Fields = """{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":7,"stream":true,"stream_options":{"include_usage":true}""";
        Assert.Equal(Fields + "}", System.Text.Encoding.UTF8.GetString(request.ToUtf8Json()));

        request.Extra = [];
        Assert.Equal(Fields + "}", System.Text.Encoding.UTF8.GetString(request.ToUtf8Json()));

        request.Extra["enable_thinking"] = Json("true");
        Assert.Equal(Fields + ""","enable_thinking":true}""", System.Text.Encoding.UTF8.GetString(request.ToUtf8Json()));

        request.Extra["say \"when\""] = Json("""{"budget":[1,2.5,"x"],"none":null}""");
        request.Extra["thinking_budget"] = Json("5");
        Assert.Equal(
            Fields + ""","enable_thinking":true,"say \u0022when\u0022":{"budget":[1,2.5,"x"],"none":null},"thinking_budget":5}""",
            System.Text.Encoding.UTF8.GetString(request.ToUtf8Json()));
    }

    [Fact]
    public async Task Reasoning_models_get_the_developer_role_effort_and_max_completion_tokens_without_temperature()
    {
        var request = await SendAsync(o =>
        {
            o.ModelId = "o3";
            o.ReasoningEffort = "High";
            o.ModelInfo = new ModelInfo { MaxTokens = 5000 };
        });

        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("developer", (string?)body["messages"]![0]!["role"]);
        Assert.Equal("high", (string?)body["reasoning_effort"]);
        Assert.Equal(5000, (int?)body["max_completion_tokens"]);
        Assert.Null(body["temperature"]);
        Assert.Null(body["max_tokens"]);
    }

    [Theory]
    [InlineData("gpt-5", true)]
    [InlineData("gpt-5-mini-2025-08-07", true)]
    [InlineData("gpt-5.1", true)]
    [InlineData("openai/o4-mini", true)]
    [InlineData("o1", true)]
    [InlineData("o3-pro", true)]
    [InlineData("gpt-5-chat-latest", false)]
    [InlineData("gpt-4o", false)]
    [InlineData("o30-something", false)]
    [InlineData("llama-3.3-70b", false)]
    public void Reasoning_models_are_the_o_series_and_gpt_5_except_chat_variants(string modelId, bool reasoning) =>
        Assert.Equal(reasoning, OpenAiModels.IsReasoningModel(modelId));

    [Fact]
    public async Task Deepseek_reasoner_merges_the_system_prompt_and_consecutive_same_role_messages()
    {
        var messages = new List<ChatMessage>
        {
            ChatMessage.User("first"),
            ChatMessage.User("second"),
            new(ChatRole.Assistant, [new ThinkingBlock("thought"), new TextBlock("a1")]),
            ChatMessage.Assistant("a2"),
            ChatMessage.User("third"),
        };

        // DeepSeek ignores the reasoning of a turn without tool calls, so it is not sent back (see the round-trip tests).
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.OpenAiChatChunks("openai-chat/deepseek-reasoning.chunks.txt"));
        var options = new OpenAiOptions { ApiKey = Key, BaseUrl = server.BaseUri, ModelId = "deepseek-reasoner" };
        await CollectAsync(new OpenAiHandler(options).CreateMessageAsync("sys", messages));
        var body = JsonNode.Parse(Assert.Single(server.Requests).Body)!;
        AssertJson(
            """
            [{"role":"user","content":"sys\nfirst\nsecond"},
             {"role":"assistant","content":"a1\na2"},
             {"role":"user","content":"third"}]
            """,
            body["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task Responses_request_has_instructions_input_items_in_order_and_function_tools()
    {
        var request = await SendAsync(
            o =>
            {
                o.ModelId = "gpt-4.1";
                o.UseResponsesApi = true;
            },
            Fixtures.TypedEventChunks("openai-responses/azure-text.1.chunks.txt"));

        Assert.Equal("/v1/responses", request.PathAndQuery);
        AssertJson(
            $$$$"""
            {"model":"gpt-4.1","instructions":"You are helpful.","input":[
              {"role":"user","content":[{"type":"input_text","text":"What is in this image?"},{"type":"input_image","image_url":"{{{{ImageUrl}}}}","detail":"auto"}]},
              {"role":"assistant","content":"Let me look."},
              {"type":"function_call","call_id":"call_1","name":"read_file","arguments":"{\"path\":\"a.txt\"}"},
              {"type":"function_call_output","call_id":"call_1","output":"file contents"},
              {"role":"user","content":[{"type":"input_text","text":"Thanks"}]},
              {"type":"function_call","call_id":"fc_abc","name":"list_files","arguments":"{}"},
              {"type":"function_call_output","call_id":"fc_abc","output":"a.txt\n(see following user message for image)"},
              {"role":"user","content":[{"type":"input_image","image_url":"{{{{ImageUrl}}}}","detail":"auto"}]}
            ],
            "stream":true,"store":false,"temperature":0,
            "tools":[{"type":"function","name":"read_file","description":"Reads a file","parameters":{"type":"object","properties":{"path":{"type":"string"}}},"strict":false}],
            "tool_choice":"auto"}
            """,
            request.Body);
    }

    [Fact]
    public async Task Responses_request_for_a_reasoning_model_asks_for_summaries_and_encrypted_reasoning()
    {
        var request = await SendAsync(
            o =>
            {
                o.ModelId = "gpt-5";
                o.UseResponsesApi = true;
            },
            Fixtures.TypedEventChunks("openai-responses/azure-text.1.chunks.txt"));

        var body = JsonNode.Parse(request.Body)!;
        AssertJson("""{"effort":"medium","summary":"auto"}""", body["reasoning"]!.ToJsonString());
        AssertJson("""["reasoning.encrypted_content"]""", body["include"]!.ToJsonString());
        Assert.Null(body["temperature"]);
    }

    [Theory]
    [InlineData("https://my-res.openai.azure.com", null, "https://my-res.openai.azure.com/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21")]
    [InlineData("https://my-res.openai.azure.com/openai", "2024-12-01-preview", "https://my-res.openai.azure.com/openai/deployments/my-gpt/chat/completions?api-version=2024-12-01-preview")]
    [InlineData("https://my-res.cognitiveservices.azure.com/", null, "https://my-res.cognitiveservices.azure.com/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21")]
    [InlineData("https://proxy.example.com/openai/deployments/other", "2024-10-21", "https://proxy.example.com/openai/deployments/other/chat/completions?api-version=2024-10-21")]
    [InlineData("https://api.groq.com/openai/v1", null, "https://api.groq.com/openai/v1/chat/completions")]
    public void Azure_is_recognised_by_host_or_api_version(string baseUrl, string? apiVersion, string expected)
    {
        var endpoint = OpenAiEndpoint.Resolve(new OpenAiOptions { BaseUrl = new Uri(baseUrl), AzureApiVersion = apiVersion }, "my-gpt", responsesApi: false);
        Assert.Equal(expected, endpoint.Url.ToString());
        Assert.Equal(apiVersion is not null || baseUrl.Contains("azure", StringComparison.Ordinal), endpoint.IsAzure);
    }

    [Fact]
    public void Known_models_have_built_in_info_and_unknown_ids_get_defaults_never_another_model()
    {
        Assert.Equal(1.25m, new OpenAiHandler(new OpenAiOptions { ModelId = "gpt-5" }).GetModel().Info.InputPrice);
        Assert.Equal(2m, new OpenAiHandler(new OpenAiOptions { ModelId = "gpt-4.1-2025-04-14" }).GetModel().Info.InputPrice);
        Assert.Equal(0.10m, new OpenAiHandler(new OpenAiOptions { ModelId = "gpt-4.1-nano" }).GetModel().Info.InputPrice);
        var unknown = new OpenAiHandler(new OpenAiOptions { ModelId = "my-local-llama" }).GetModel();
        Assert.Equal("my-local-llama", unknown.Id);
        Assert.Null(unknown.Info.InputPrice);
        Assert.Equal(128_000, unknown.Info.ContextWindow);
        Assert.Equal(OpenAiOptions.DefaultModelId, new OpenAiHandler(new OpenAiOptions()).GetModel().Id);
    }
}

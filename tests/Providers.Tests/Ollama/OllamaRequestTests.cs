using System.Text.Json;
using System.Text.Json.Nodes;
using Providers.Ollama;
using Providers.Tests.Replay;
using static Providers.Tests.Ollama.OllamaTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Ollama;

public class OllamaRequestTests
{
    private static readonly ChatMessage[] Conversation =
    [
        new(ChatRole.User, [new TextBlock("What is in this picture, and the weather in Tokyo?"), new ImageBlock("iVBORw0KGgo=", "image/png")]),
        new(ChatRole.Assistant,
        [
            new ThinkingBlock("Need the weather.", "sig"),
            new TextBlock("A cat. Let me check the weather."),
            new ToolUseBlock("call_1", "get_weather", JsonDocument.Parse("""{"city":"Tokyo"}""").RootElement),
        ]),
        new(ChatRole.User, [new ToolResultBlock("call_1", "Sunny, 21 C"), new TextBlock("Thanks!")]),
    ];

    private static readonly ToolDefinition[] Tools =
    [
        new("get_weather", "Current weather for a city", JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement),
    ];

    [Fact]
    public async Task Posts_the_conversation_to_api_chat_with_tools_images_and_tool_names()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("chat-text.ndjson"));
        var handler = Handler(server, clock, o => o.ContextSize = 8192);

        await CollectAsync(handler.CreateMessageAsync("You are terse.", Conversation, Tools));

        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/api/chat"), (request.Method, request.PathAndQuery));
        Assert.Equal("Bearer " + Secret, request.Headers["Authorization"]);
        Assert.StartsWith("Providers.NET/", request.Headers["User-Agent"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);
        var expected = JsonNode.Parse("""
        {
          "model": "llama3.2",
          "messages": [
            { "role": "system", "content": "You are terse." },
            { "role": "user", "content": "What is in this picture, and the weather in Tokyo?", "images": ["iVBORw0KGgo="] },
            { "role": "assistant", "content": "A cat. Let me check the weather.", "thinking": "Need the weather.",
              "tool_calls": [ { "function": { "name": "get_weather", "arguments": { "city": "Tokyo" } } } ] },
            { "role": "tool", "content": "Sunny, 21 C", "tool_name": "get_weather" },
            { "role": "user", "content": "Thanks!" }
          ],
          "tools": [
            { "type": "function", "function": { "name": "get_weather", "description": "Current weather for a city",
              "parameters": { "type": "object", "properties": { "city": { "type": "string" } }, "required": ["city"] } } }
          ],
          "stream": true,
          "options": { "num_ctx": 8192 }
        }
        """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(request.Body)), request.Body);
    }

    [Fact]
    public async Task Sends_think_only_when_set_and_no_authorization_without_a_key()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("chat-thinking.ndjson"), Fixture("chat-text.ndjson"));

        await CollectAsync(Ask(Handler(server, clock, o => { o.Think = true; o.ApiKey = null; })));
        await CollectAsync(Ask(Handler(server, clock)));

        var (thinking, plain) = (JsonNode.Parse(server.Requests[0].Body)!, JsonNode.Parse(server.Requests[1].Body)!);
        Assert.True(thinking["think"]!.GetValue<bool>());
        Assert.False(server.Requests[0].Headers.ContainsKey("Authorization"));
        Assert.Null(plain["think"]);
        Assert.Equal(32768, plain["options"]!["num_ctx"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_failed_tool_result_says_so_in_the_tool_message()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("chat-text.ndjson"));
        ChatMessage[] messages =
        [
            ChatMessage.User("Weather?"),
            new(ChatRole.Assistant, [new ToolUseBlock("c1", "get_weather", JsonDocument.Parse("{}").RootElement)]),
            new(ChatRole.User, [new ToolResultBlock("c1", "city is required", isError: true)]),
        ];

        await CollectAsync(Handler(server, clock).CreateMessageAsync("", messages));

        var sent = JsonNode.Parse(Assert.Single(server.Requests).Body)!["messages"]!.AsArray();
        Assert.Equal("""{"role":"tool","content":"Error: city is required","tool_name":"get_weather"}""", sent[^1]!.ToJsonString());
        Assert.Equal("user", sent[0]!["role"]!.GetValue<string>()); // no system message for an empty prompt
    }

    [Fact]
    public async Task The_registry_binds_the_original_cline_setting_keys()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixture("chat-text.ndjson"));
        var settings = ProviderSettings.Parse($$"""
        {
          "actModeApiProvider": "ollama",
          "ollamaBaseUrl": "{{server.BaseUri}}",
          "ollamaApiKey": "{{Secret}}",
          "planModeOllamaModelId": "qwen3:8b",
          "actModeOllamaModelId": "llama3.2",
          "ollamaApiOptionsCtxNum": 4096,
          "actModeOllamaThink": false,
          "requestTimeoutMs": 1500
        }
        """);

        var act = ProviderRegistry.Create("ollama", settings, Mode.Act);
        var plan = ProviderRegistry.Build(settings.With(ProviderSettings.PlanModeProviderKey, "ollama"), Mode.Plan);

        Assert.IsType<OllamaHandler>(act);
        Assert.Equal("llama3.2", act.GetModel().Id);
        Assert.Equal(4096, act.GetModel().Info.ContextWindow);
        Assert.Equal("qwen3:8b", plan.GetModel().Id);
        var chunks = await CollectAsync(Ask(act));
        Assert.Equal("The sky looks blue because of Rayleigh scattering \u2014 short wavelengths scatter more.\n", Text(chunks));
        var body = JsonNode.Parse(Assert.Single(server.Requests).Body)!;
        Assert.Equal(4096, body["options"]!["num_ctx"]!.GetValue<int>());
        Assert.False(body["think"]!.GetValue<bool>());
        Assert.Equal("Bearer " + Secret, server.Requests[0].Headers["Authorization"]);
    }

    [Fact]
    public void A_missing_model_id_is_reported_with_its_setting_key_before_any_request()
    {
        var settings = ProviderSettings.Parse("""{"ollamaBaseUrl":"http://127.0.0.1:9"}""");

        var ex = Assert.ThrowsAny<ProviderConfigurationException>(() => ProviderRegistry.Create("ollama", settings, Mode.Plan));

        Assert.Contains("planModeOllamaModelId", ex.Keys);
    }

    [Fact]
    public void The_base_url_defaults_to_the_local_server()
    {
        var options = new OllamaOptions { ModelId = "llama3.2" };
        Assert.Equal(new Uri("http://localhost:11434"), options.BaseUrl);
        Assert.Equal(32768, options.ContextSize);
        Assert.Equal(0m, new OllamaHandler(options).GetModel().Info.CostOf(1000, 1000));
    }
}

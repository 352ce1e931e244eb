using System.Text.Json;
using System.Text.Json.Nodes;
using Providers.Gemini;
using Providers.Tests.Replay;
using static Providers.Tests.Gemini.GeminiTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Gemini;

public class GeminiRequestTests
{
    private static readonly ToolDefinition[] Tools =
    [
        new("get_weather", "Current weather for a city", JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"],"additionalProperties":false}""").RootElement),
    ];

    private static async Task<RecordedRequest> SendAsync(
        Action<GeminiOptions>? configure = null, IReadOnlyList<ChatMessage>? messages = null, IReadOnlyList<ToolDefinition>? tools = null, RequestOverrides? overrides = null)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Sse("text.sse"));
        var handler = Handler(server, clock, configure);
        await CollectAsync(handler.CreateMessageAsync("You are terse.", messages ?? [ChatMessage.User("Weather in Paris and London?")], tools, overrides ?? RequestOverrides.None));
        return Assert.Single(server.Requests);
    }

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), actual);

    [Fact]
    public async Task Posts_to_streamGenerateContent_with_the_key_in_a_header_and_never_in_the_url()
    {
        var request = await SendAsync(o => o.ModelId = "gemini-3-pro-preview", tools: Tools);

        Assert.Equal(("POST", "/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse"), (request.Method, request.PathAndQuery));
        Assert.Equal(Secret, request.Headers["x-goog-api-key"]);
        Assert.DoesNotContain(Secret, request.PathAndQuery, StringComparison.Ordinal);
        Assert.DoesNotContain("key=", request.PathAndQuery, StringComparison.Ordinal);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);
        AssertJson("""
        {
          "contents": [ { "role": "user", "parts": [ { "text": "Weather in Paris and London?" } ] } ],
          "systemInstruction": { "parts": [ { "text": "You are terse." } ] },
          "tools": [ { "functionDeclarations": [ { "name": "get_weather", "description": "Current weather for a city",
            "parametersJsonSchema": { "type": "object", "properties": { "city": { "type": "string" }, "unit": { "type": "string", "enum": [ "celsius", "fahrenheit" ] } },
                                      "required": [ "city" ], "additionalProperties": false } } ] } ],
          "generationConfig": { "temperature": 1, "thinkingConfig": { "thinkingLevel": "low", "includeThoughts": true } }
        }
        """, request.Body);
    }

    [Fact]
    public async Task The_second_turn_sends_the_signature_back_on_the_call_it_came_with_and_the_function_responses_by_name()
    {
        // First turn: stream, then keep the assistant message as an agent would.
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Sse("thinking-tool-calls.sse"), Sse("text-signature.sse"), Sse("text.sse"));
        var handler = Handler(server, clock, o => o.ModelId = "gemini-3-pro-preview");
        List<ChatMessage> conversation = [ChatMessage.User("Weather in Paris and London?")];
        var first = await CollectAsync(handler.CreateMessageAsync("You are terse.", conversation, Tools));
        conversation.Add(Assemble(first));
        var calls = ToolCalls(first);
        conversation.Add(new ChatMessage(ChatRole.User, [new ToolResultBlock(calls[0].Id, "18 °C"), new ToolResultBlock(calls[1].Id, "no such city", isError: true)]));

        var second = await CollectAsync(handler.CreateMessageAsync("You are terse.", conversation, Tools));
        conversation.Add(Assemble(second));
        conversation.Add(ChatMessage.User("Thanks"));
        await CollectAsync(handler.CreateMessageAsync("You are terse.", conversation, Tools));

        Assert.Equal(3, server.Requests.Count);
        var secondBody = JsonNode.Parse(server.Requests[1].Body)!;
        AssertJson("""
        [
          { "role": "user", "parts": [ { "text": "Weather in Paris and London?" } ] },
          { "role": "model", "parts": [
            { "thoughtSignature": "CiQBjz1rX5qk0Zk3c2lnbmF0dXJlLW9uZQ==", "functionCall": { "name": "get_weather", "args": { "city": "Paris", "unit": "celsius" } } },
            { "functionCall": { "name": "get_weather", "args": { "city": "London", "unit": "celsius" } } } ] },
          { "role": "user", "parts": [
            { "functionResponse": { "name": "get_weather", "response": { "output": "18 °C" } } },
            { "functionResponse": { "name": "get_weather", "response": { "error": "no such city" } } } ] }
        ]
        """, secondBody["contents"]!.ToJsonString());

        // The text answer's signature came on a last empty text part: it goes back on one.
        var thirdContents = JsonNode.Parse(server.Requests[2].Body)!["contents"]!.AsArray();
        AssertJson("""
        { "role": "model", "parts": [
          { "text": "Paris is 18 °C and London 15 °C." },
          { "text": "", "thoughtSignature": "EpYCCpMCAdHtim9zaWduYXR1cmUtdHdv" } ] }
        """, thirdContents[3]!.ToJsonString());
        AssertJson("""{ "role": "user", "parts": [ { "text": "Thanks" } ] }""", thirdContents[4]!.ToJsonString());
    }

    [Fact]
    public async Task A_signature_that_came_with_a_text_part_goes_back_on_that_part_and_text_before_it_stays_separate()
    {
        var assistant = new ChatMessage(ChatRole.Assistant,
        [
            new TextBlock("Let me check. "),
            new ThinkingBlock("", "sig-text"),
            new TextBlock("Checking now."),
            new ToolUseBlock("c1", "get_weather", JsonDocument.Parse("""{"city":"Rome"}""").RootElement),
        ]);

        var request = await SendAsync(messages: [ChatMessage.User("Rome?"), assistant, new ChatMessage(ChatRole.User, [new ToolResultBlock("c1", "20 °C")])]);

        AssertJson("""
        { "role": "model", "parts": [
          { "text": "Let me check. " },
          { "text": "Checking now.", "thoughtSignature": "sig-text" },
          { "functionCall": { "name": "get_weather", "args": { "city": "Rome" } }, "thoughtSignature": "skip_thought_signature_validator" } ] }
        """, JsonNode.Parse(request.Body)!["contents"]![1]!.ToJsonString());
    }

    [Fact]
    public async Task A_call_from_another_provider_gets_the_documented_placeholder_signature_and_images_are_inline_data()
    {
        var messages = new[]
        {
            new ChatMessage(ChatRole.User, [new TextBlock("What is this?"), new ImageBlock("iVBORw0KGgo=", "image/png")]),
            new ChatMessage(ChatRole.Assistant,
            [
                new ThinkingBlock("Unsigned reasoning from another provider."),
                new ToolUseBlock("toolu_1", "get_weather", JsonDocument.Parse("""{"city":"Paris"}""").RootElement),
                new ToolUseBlock("toolu_2", "get_weather", JsonDocument.Parse("""{"city":"Oslo"}""").RootElement),
            ]),
            new ChatMessage(ChatRole.User, [new ToolResultBlock("toolu_2", "5 °C"), new ToolResultBlock("toolu_1", "21 °C"), new TextBlock("Thanks!")]),
        };

        var request = await SendAsync(messages: messages);

        AssertJson("""
        [
          { "role": "user", "parts": [ { "text": "What is this?" }, { "inlineData": { "mimeType": "image/png", "data": "iVBORw0KGgo=" } } ] },
          { "role": "model", "parts": [
            { "functionCall": { "name": "get_weather", "args": { "city": "Paris" } }, "thoughtSignature": "skip_thought_signature_validator" },
            { "functionCall": { "name": "get_weather", "args": { "city": "Oslo" } } } ] },
          { "role": "user", "parts": [
            { "functionResponse": { "name": "get_weather", "response": { "output": "5 °C" } } },
            { "functionResponse": { "name": "get_weather", "response": { "output": "21 °C" } } },
            { "text": "Thanks!" } ] }
        ]
        """, JsonNode.Parse(request.Body)!["contents"]!.ToJsonString());
    }

    [Theory]
    [InlineData("gemini-2.5-flash", 30_000, """{ "thinkingBudget": 24576, "includeThoughts": true }""", 8192)]
    [InlineData("gemini-2.5-flash", 0, """{ "thinkingBudget": 0 }""", 8192)]
    [InlineData("gemini-2.5-pro", 0, null, null)]
    [InlineData("gemini-2.5-pro", 50, """{ "thinkingBudget": 128, "includeThoughts": true }""", null)]
    [InlineData("gemini-2.0-flash-001", 4000, null, 8192)]
    public async Task The_thinking_budget_is_clipped_to_the_model_and_flash_output_is_capped_as_Cline_caps_it(string model, int budget, string? thinking, int? maxOutput)
    {
        var request = await SendAsync(o => (o.ModelId, o.ThinkingBudgetTokens) = (model, budget));

        var config = JsonNode.Parse(request.Body)!["generationConfig"]!;
        Assert.Equal(thinking is null ? null : JsonNode.Parse(thinking)!.ToJsonString(), config["thinkingConfig"]?.ToJsonString());
        Assert.Equal(maxOutput, (int?)config["maxOutputTokens"]);
    }

    [Theory]
    [InlineData(null, "low")]
    [InlineData("none", "low")]
    [InlineData("medium", "low")]
    [InlineData("high", "high")]
    [InlineData("xhigh", "high")]
    public async Task Gemini_3_takes_a_thinking_level_from_the_reasoning_effort(string? effort, string level)
    {
        var request = await SendAsync(o => (o.ModelId, o.ReasoningEffort, o.ThinkingBudgetTokens) = ("gemini-3.1-pro-preview", effort, 8000));

        AssertJson($$"""{ "thinkingLevel": "{{level}}", "includeThoughts": true }""", JsonNode.Parse(request.Body)!["generationConfig"]!["thinkingConfig"]!.ToJsonString());
    }

    [Fact]
    public async Task Overrides_replace_the_model_temperature_output_limit_and_effort()
    {
        var request = await SendAsync(
            o => o.ModelId = "gemini-3-pro-preview",
            overrides: new RequestOverrides { ModelId = "models/gemini-2.5-flash", Temperature = 0.2, MaxOutputTokens = 1000, ReasoningEffort = ReasoningEffort.Medium });

        Assert.Equal("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", request.PathAndQuery);
        AssertJson("""{ "temperature": 0.2, "maxOutputTokens": 1000, "thinkingConfig": { "thinkingBudget": 4096, "includeThoughts": true } }""",
            JsonNode.Parse(request.Body)!["generationConfig"]!.ToJsonString());
    }

    [Fact]
    public void Settings_bind_from_Clines_keys()
    {
        var settings = ProviderSettings.Parse("""
        {
          "actModeApiProvider": "gemini", "planModeApiProvider": "gemini", "geminiApiKey": "AIza-key", "geminiBaseUrl": "http://127.0.0.1:9/",
          "actModeApiModelId": "gemini-2.5-pro", "actModeThinkingBudgetTokens": 2048, "actModeReasoningEffort": "high",
          "planModeApiModelId": "gemini-2.5-flash"
        }
        """);

        var handler = Assert.IsType<GeminiHandler>(ProviderRegistry.Build(settings, Mode.Act));
        Assert.Equal("gemini-2.5-pro", handler.GetModel().Id);
        Assert.Equal(65_536, handler.GetModel().Info.MaxTokens);
        Assert.Equal("gemini-2.5-flash", ProviderRegistry.Build(settings, Mode.Plan).GetModel().Id);

        var missing = Assert.Throws<ProviderConfigurationException>(() => ProviderRegistry.Build(ProviderSettings.Parse("""{ "actModeApiProvider": "gemini" }"""), Mode.Act));
        Assert.Contains("geminiApiKey", missing.Keys);
        var negative = Assert.Throws<ProviderConfigurationException>(() => new GeminiHandler(new GeminiOptions { ApiKey = "k", ThinkingBudgetTokens = -1 }));
        Assert.Equal(["planModeThinkingBudgetTokens/actModeThinkingBudgetTokens"], negative.Keys);
    }
}

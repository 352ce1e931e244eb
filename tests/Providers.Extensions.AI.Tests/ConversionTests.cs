using System.Text.Json;
using Microsoft.Extensions.AI;
using MEAI = Microsoft.Extensions.AI;

namespace Providers.Extensions.AI.Tests;

/// <summary>How M.E.AI messages and options become our system prompt, messages, tools and overrides.</summary>
public sealed class ConversionTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47];

    [Fact]
    public async Task A_full_conversation_converts_to_system_prompt_and_alternating_provider_messages()
    {
        var handler = new RecordingHandler(new TextChunk("ok"));
        List<MEAI.ChatMessage> conversation =
        [
            new(MEAI.ChatRole.System, "You are terse."),
            new(MEAI.ChatRole.User, [new TextContent("What is in this image?"), new DataContent(Png, "image/png")]),
            new(MEAI.ChatRole.Assistant,
            [
                new TextReasoningContent("Look first.") { ProtectedData = "sig-9" },
                new TextContent("Let me check."),
                new FunctionCallContent("call_1", "describe", new Dictionary<string, object?> { ["detail"] = "high", ["max"] = 3, ["tags"] = new[] { "a", "b" } }),
            ]),
            new(MEAI.ChatRole.Tool, [new FunctionResultContent("call_1", "a cat")]),
            new(MEAI.ChatRole.Tool, [new FunctionResultContent("call_2", "boom") { Exception = new InvalidOperationException("boom") }]),
            new(MEAI.ChatRole.User, "Thanks."),
        ];

        await handler.AsChatClient().GetResponseAsync(conversation, new ChatOptions { Instructions = "Answer in English." });

        Assert.Equal("Answer in English.\n\nYou are terse.", handler.SystemPrompt);
        Assert.Equal(
            [
                "user: text(What is in this image?) | image(image/png, iVBORw==)",
                """assistant: thinking(Look first., sig-9) | text(Let me check.) | tool_use(call_1, describe, {"detail":"high","max":3,"tags":["a","b"]})""",
                "user: tool_result(call_1: text(a cat)) | tool_result(call_2, error: text(boom)) | text(Thanks.)",
            ],
            Describe.Messages(handler.Messages!));
    }

    [Fact]
    public async Task Tools_become_definitions_with_their_json_schema_and_tool_mode_none_sends_none()
    {
        var handler = new RecordingHandler(new TextChunk("ok"));
        var function = AIFunctionFactory.Create((string city, int days) => "", "forecast", "The forecast.");

        await handler.AsChatClient().GetResponseAsync("hi", new ChatOptions { Tools = [function] });
        var tool = Assert.Single(handler.Tools!);
        await handler.AsChatClient().GetResponseAsync("hi", new ChatOptions { Tools = [function], ToolMode = ChatToolMode.None });

        Assert.Equal(("forecast", "The forecast."), (tool.Name, tool.Description));
        Assert.Equal("""{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city","days"]}""", tool.InputSchema.GetRawText());
        Assert.Null(handler.Tools);
    }

    [Fact]
    public async Task Options_a_plain_handler_cannot_apply_are_reported_and_the_response_names_the_handlers_model()
    {
        var handler = new RecordingHandler(new TextChunk("ok"));

        var response = await handler.AsChatClient().GetResponseAsync("hi", new ChatOptions
        {
            ModelId = "other-model",
            Temperature = 0.2f,
            MaxOutputTokens = 100,
            Reasoning = new ReasoningOptions { Effort = MEAI.ReasoningEffort.High },
            TopP = 0.9f,
        });

        Assert.Equal("recorded-model", response.ModelId);
        Assert.Equal(["ModelId", "Temperature", "MaxOutputTokens", "Reasoning", "TopP"], (string[])response.AdditionalProperties![ProvidersChatClientExtensions.IgnoredOptionsKey]!);
    }

    [Fact]
    public async Task A_handler_with_overrides_receives_those_it_supports_and_the_response_names_the_requested_model()
    {
        var handler = new OverridableHandler(RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens | RequestOverrideKinds.ReasoningEffort, new TextChunk("ok"));

        var response = await handler.AsChatClient().GetResponseAsync("hi", new ChatOptions
        {
            ModelId = "other-model",
            Temperature = 0.2f,
            MaxOutputTokens = 100,
            Reasoning = new ReasoningOptions { Effort = MEAI.ReasoningEffort.High },
        });

        Assert.Equal(new RequestOverrides { ModelId = "other-model", MaxOutputTokens = 100, ReasoningEffort = ReasoningEffort.High }, handler.Overrides);
        Assert.Equal("other-model", response.ModelId);
        Assert.Equal(["Temperature"], (string[])response.AdditionalProperties![ProvidersChatClientExtensions.IgnoredOptionsKey]!);
    }

    [Fact]
    public async Task Non_image_data_is_refused_rather_than_dropped()
    {
        var handler = new RecordingHandler(new TextChunk("ok"));

        var error = await Assert.ThrowsAsync<NotSupportedException>(() =>
            handler.AsChatClient().GetResponseAsync([new MEAI.ChatMessage(MEAI.ChatRole.User, [new DataContent(Png, "application/pdf")])]));

        Assert.Contains("application/pdf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_json_tool_result_is_sent_as_its_json_text()
    {
        var handler = new RecordingHandler(new TextChunk("ok"));
        using var json = JsonDocument.Parse("""{"temp":21}""");

        await handler.AsChatClient().GetResponseAsync([new MEAI.ChatMessage(MEAI.ChatRole.Tool, [new FunctionResultContent("c1", json.RootElement.Clone())])]);

        Assert.Equal(["""user: tool_result(c1: text({"temp":21}))"""], Describe.Messages(handler.Messages!));
    }
}

using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Providers.Ollama;
using Providers.Tests.Replay;
using MEAI = Microsoft.Extensions.AI;

namespace Providers.Extensions.AI.Tests;

/// <summary>Any IChatClient as our IApiHandler.</summary>
public sealed class ChatClientApiHandlerTests
{
    private static readonly JsonElement CityInput = JsonDocument.Parse("""{"city":"Tokyo"}""").RootElement.Clone();

    [Fact]
    public async Task A_chat_client_over_a_real_ollama_stream_comes_back_as_whole_tool_calls_and_usage()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("ollama/chat-tool-calls.ndjson", Ndjson.ContentType).OneByteAtATime());
        var ollama = new OllamaHandler(new OllamaOptions { BaseUrl = server.BaseUri, ModelId = "llama3.2" });
        var handler = new ChatClientApiHandler(ollama.AsChatClient("ollama"));

        var chunks = new List<ApiStreamChunk>();
        await foreach (var chunk in handler.CreateMessageAsync("You are terse.", [ChatMessage.User("Weather and time in Tokyo?")]))
        {
            chunks.Add(chunk);
        }

        Assert.Equal(3, chunks.Count);
        var weather = Assert.IsType<ToolCallChunk>(chunks[0]);
        Assert.Equal(("get_weather", """{"city":"Tokyo"}"""), (weather.Name, weather.Arguments));
        Assert.Equal(new UsageChunk(169, 15), chunks[1]);
        var time = Assert.IsType<ToolCallChunk>(chunks[2]);
        Assert.Equal(("get_time", """{"timezone":"Asia/Tokyo","format":"24h"}"""), (time.Name, time.Arguments));
        Assert.StartsWith("ollama_call_1_", time.CallId, StringComparison.Ordinal);
        Assert.Equal("llama3.2", handler.GetModel().Id);
    }

    [Fact]
    public async Task Our_conversation_and_overrides_reach_the_chat_client_as_messages_and_options()
    {
        var client = new ScriptedChatClient();
        var handler = new ChatClientApiHandler(client, "configured-model");
        ChatMessage[] conversation =
        [
            new(ChatRole.User, [new TextBlock("Look:"), new ImageBlock("iVBORw==", "image/png")]),
            new(ChatRole.Assistant, [new ThinkingBlock("Hmm.", "sig-1"), new RedactedThinkingBlock("ENC"), new ToolUseBlock("call_1", "get_weather", CityInput)]),
            new(ChatRole.User, [new ToolResultBlock("call_1", "sunny"), new ToolResultBlock("call_2", "failed", isError: true), new TextBlock("So?")]),
        ];
        var tools = new[] { new ToolDefinition("get_weather", "Weather.", JsonDocument.Parse("""{"type":"object"}""").RootElement) };

        await foreach (var _ in handler.CreateMessageAsync("Be brief.", conversation, tools, new RequestOverrides { Temperature = 0.5, MaxOutputTokens = 64, ReasoningEffort = ReasoningEffort.Low }))
        {
        }

        Assert.Equal(
            [
                "system: text(Be brief.)",
                "user: text(Look:) | image/png(4 bytes)",
                "assistant: reasoning(Hmm., sig-1) | reasoning(, ENC, redacted) | call(call_1, get_weather, {\"city\":\"Tokyo\"})",
                "tool: result(call_1, sunny) | result(call_2, failed, error)",
                "user: text(So?)",
            ],
            client.Received!.Select(Describe).ToArray(), StringComparer.Ordinal);
        var options = client.Options!;
        Assert.Equal(("configured-model", 0.5f, 64, MEAI.ReasoningEffort.Low), (options.ModelId, options.Temperature, options.MaxOutputTokens, options.Reasoning?.Effort));
        var declaration = Assert.IsAssignableFrom<AIFunctionDeclaration>(Assert.Single(options.Tools!));
        Assert.Equal(("get_weather", "Weather.", """{"type":"object"}"""), (declaration.Name, declaration.Description, declaration.JsonSchema.GetRawText()));
    }

    [Fact]
    public async Task Updates_map_back_to_reasoning_text_tool_call_and_usage_chunks()
    {
        var client = new ScriptedChatClient(
            new ChatResponseUpdate(MEAI.ChatRole.Assistant, [new TextReasoningContent("Hmm."), new TextReasoningContent("") { ProtectedData = "sig-1" }]),
            new ChatResponseUpdate(MEAI.ChatRole.Assistant, "Hi"),
            new ChatResponseUpdate(MEAI.ChatRole.Assistant, [new FunctionCallContent("call_7", "get_weather", new Dictionary<string, object?> { ["city"] = "Tokyo" })]),
            new ChatResponseUpdate(MEAI.ChatRole.Assistant, [new FunctionCallContent("call_6", "done_already", null) { InformationalOnly = true }]),
            new ChatResponseUpdate(MEAI.ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 130, OutputTokenCount = 5, CachedInputTokenCount = 100, ReasoningTokenCount = 2, AdditionalCounts = new() { [ProvidersChatClientExtensions.CacheWriteInputTokensKey] = 20 } })]));
        var handler = client.AsApiHandler();

        var chunks = new List<ApiStreamChunk>();
        await foreach (var chunk in handler.CreateMessageAsync("", [ChatMessage.User("hi")]))
        {
            chunks.Add(chunk);
        }

        Assert.Equal(
            [
                new ReasoningChunk("Hmm."),
                new ReasoningChunk("", Signature: "sig-1"),
                new TextChunk("Hi"),
                new ToolCallChunk("call_7", "call_7", "get_weather", """{"city":"Tokyo"}"""),
                new UsageChunk(10, 5, CacheReadTokens: 100, CacheWriteTokens: 20, ReasoningTokens: 2),
            ],
            chunks);
        Assert.Equal("scripted-default", handler.GetModel().Id);
    }

    private static readonly JsonSerializerOptions Compact = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private static string Describe(MEAI.ChatMessage message) =>
        message.Role.Value + ": " + string.Join(" | ", message.Contents.Select(c => c switch
        {
            TextContent t => $"text({t.Text})",
            DataContent d => $"{d.MediaType}({d.Data.Length} bytes)",
            TextReasoningContent r => $"reasoning({r.Text}, {r.ProtectedData}{(r.AdditionalProperties?.ContainsKey("providers.redacted_reasoning") == true ? ", redacted" : "")})",
            FunctionCallContent f => $"call({f.CallId}, {f.Name}, {JsonSerializer.Serialize(f.Arguments, Compact)})",
            FunctionResultContent r => $"result({r.CallId}, {r.Result}{(r.Exception is null ? "" : ", error")})",
            _ => c.GetType().Name,
        }));

    private sealed class ScriptedChatClient(params ChatResponseUpdate[] updates) : IChatClient
    {
        public List<MEAI.ChatMessage>? Received { get; private set; }

        public ChatOptions? Options { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<MEAI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<MEAI.ChatMessage> messages,
            ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Received = messages.ToList();
            Options = options;
            foreach (var update in updates)
            {
                await Task.Yield();
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, "scripted-default") : null;

        public void Dispose()
        {
        }
    }
}

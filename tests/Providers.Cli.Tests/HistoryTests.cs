using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Providers.Anthropic;
using Providers.Bedrock;
using Providers.Gemini;
using Providers.OpenAiCompatible;
using Providers.Ollama;
using Providers.OpenAi;
using Providers.OpenRouter;
using Providers.Tests.Replay;

namespace Providers.Cli.Tests;

/// <summary>
/// <c>--history</c> and <c>--save-history</c>: two CLI calls with a tool result appended to the file between them send
/// exactly the second request an agent sends that builds the assistant message with <see cref="AssistantMessageBuilder"/>.
/// </summary>
public sealed class HistoryTests : IDisposable
{
    private const string ToolsJson = """[{"name":"tool","description":"A tool.","input_schema":{"type":"object","properties":{}}}]""";
    private const string ToolResult = "result text";
    private readonly string _dir = Directory.CreateTempSubdirectory("providers-history-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> ProviderCases => ["ollama", "anthropic", "openai-chat", "openai-responses", "openrouter", "gemini", "bedrock", "deepseek"];

    private static (ReplayResponse First, ReplayResponse Second) Streams(string name) => name switch
    {
        "ollama" => (Fixtures.Raw("ollama/chat-tool-calls.ndjson", "application/x-ndjson"), Fixtures.Raw("ollama/chat-text.ndjson", "application/x-ndjson")),
        "anthropic" => (Fixtures.Raw("anthropic/raw-sse/tool_use_response.txt"), Fixtures.TypedEventChunks("anthropic/anthropic-text.chunks.txt")),
        "openai-chat" => (Fixtures.OpenAiChatChunks("openai-chat/xai-tool-call.chunks.txt"), Fixtures.OpenAiChatChunks("openai-chat/openai-text.chunks.txt")),
        "openai-responses" => (FirstResponse(), Fixtures.TypedEventChunks("openai-responses/azure-text.1.chunks.txt")),
        "gemini" => (Fixtures.Raw("gemini/thinking-tool-calls.sse"), Fixtures.Raw("gemini/text-signature.sse")),
        "bedrock" => (BedrockFrames.FromLines(BedrockSignedToolCall), BedrockFrames.FromLines(Fixtures.Lines("bedrock/bedrock-text.chunks.txt"))),
        "deepseek" => (Fixtures.OpenAiChatChunks("openai-chat/deepseek-tool-call.chunks.txt"), Fixtures.OpenAiChatChunks("openai-chat/deepseek-reasoning.chunks.txt")),
        _ => (Fixtures.Raw("openrouter/chat-reasoning-tool-call.sse"), Fixtures.Raw("openrouter/chat-reasoning-tool-call.sse")),
    };

    /// <summary>Signed reasoning, redacted reasoning, then a tool call, as Bedrock's ConverseStream sends them.</summary>
    private static readonly string[] BedrockSignedToolCall =
    [
        """{"messageStart":{"role":"assistant"}}""",
        """{"contentBlockDelta":{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Need the tool."}}}}""",
        """{"contentBlockDelta":{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"EqoBCkgIARABGAIiQSIG=="}}}}""",
        """{"contentBlockStop":{"contentBlockIndex":0}}""",
        """{"contentBlockDelta":{"contentBlockIndex":1,"delta":{"reasoningContent":{"redactedContent":"RVhBTVBMRQ=="}}}}""",
        """{"contentBlockStop":{"contentBlockIndex":1}}""",
        """{"contentBlockStart":{"contentBlockIndex":2,"start":{"toolUse":{"toolUseId":"tooluse_01","name":"tool"}}}}""",
        """{"contentBlockDelta":{"contentBlockIndex":2,"delta":{"toolUse":{"input":"{\"path\":\"src\"}"}}}}""",
        """{"contentBlockStop":{"contentBlockIndex":2}}""",
        """{"messageStop":{"stopReason":"tool_use"}}""",
        """{"metadata":{"usage":{"inputTokens":125,"outputTokens":45,"totalTokens":170},"metrics":{"latencyMs":234}}}""",
    ];

    /// <summary>The first of the four responses of the encrypted-reasoning fixture: reasoning, then a function call.</summary>
    private static ReplayResponse FirstResponse()
    {
        var lines = Fixtures.Lines("openai-responses/openai-reasoning-encrypted-content.1.chunks.txt").ToList();
        return new ReplayResponse
        {
            Parts = lines.Take(lines.FindIndex(l => l.Contains("\"response.completed\"", StringComparison.Ordinal)) + 1)
                .Select(l => Encoding.UTF8.GetBytes($"event: {JsonNode.Parse(l)!["type"]}\ndata: {l}\n\n"))
                .ToArray(),
        };
    }

    private static string[] Options(string name, ReplayServer server) => name switch
    {
        "ollama" => ["chat", "--provider", "ollama", "--model", "llama3.2", "--base-url", CliRunner.Url(server)],
        "anthropic" => ["chat", "--provider", "anthropic", "--base-url", CliRunner.Url(server), "--api-key", CliRunner.SecretKey],
        "openai-chat" => ["chat", "--provider", "openai", "--base-url", CliRunner.Url(server) + "/v1", "--api-key", CliRunner.SecretKey, "--model", "grok-3-mini"],
        "openai-responses" => ["chat", "--provider", "openai", "--base-url", CliRunner.Url(server) + "/v1", "--api-key", CliRunner.SecretKey, "--model", "gpt-5.1-codex-max", "--set", "openAiUseResponsesApi=true"],
        "gemini" => ["chat", "--provider", "gemini", "--base-url", CliRunner.Url(server), "--api-key", CliRunner.SecretKey, "--model", "gemini-3-pro-preview"],
        "bedrock" => ["chat", "--provider", "bedrock", "--base-url", CliRunner.Url(server), "--api-key", CliRunner.SecretKey, "--set", "awsRegion=us-east-1"],
        "deepseek" => ["chat", "--provider", "deepseek", "--base-url", CliRunner.Url(server) + "/v1", "--api-key", CliRunner.SecretKey, "--model", "deepseek-reasoner"],
        _ => ["chat", "--provider", "openrouter", "--base-url", CliRunner.Url(server), "--api-key", CliRunner.SecretKey],
    };

    private static IApiHandler Agent(string name, ReplayServer server) => name switch
    {
        "ollama" => new OllamaHandler(new OllamaOptions { BaseUrl = server.BaseUri, ModelId = "llama3.2" }),
        "anthropic" => new AnthropicHandler(new AnthropicOptions { BaseUrl = server.BaseUri, ApiKey = CliRunner.SecretKey }),
        "openai-chat" => new OpenAiHandler(new OpenAiOptions { BaseUrl = new Uri(server.BaseUri, "v1"), ApiKey = CliRunner.SecretKey, ModelId = "grok-3-mini" }),
        "openai-responses" => new OpenAiHandler(new OpenAiOptions { BaseUrl = new Uri(server.BaseUri, "v1"), ApiKey = CliRunner.SecretKey, ModelId = "gpt-5.1-codex-max", UseResponsesApi = true }),
        "gemini" => new GeminiHandler(new GeminiOptions { BaseUrl = server.BaseUri, ApiKey = CliRunner.SecretKey, ModelId = "gemini-3-pro-preview" }),
        "bedrock" => new BedrockHandler(new BedrockOptions { BaseUrl = server.BaseUri, ApiKey = CliRunner.SecretKey, Region = "us-east-1" }),
        "deepseek" => new DeepSeekHandler(new DeepSeekOptions { BaseUrl = new Uri(server.BaseUri, "v1"), ApiKey = CliRunner.SecretKey, ModelId = "deepseek-reasoner" }),
        _ => new OpenRouterHandler(new OpenRouterOptions { BaseUrl = server.BaseUri, ApiKey = CliRunner.SecretKey }),
    };

    /// <summary>What an agent does: stream turn 1, build the message, answer every call, send turn 2.</summary>
    private static async Task<string> AgentSecondRequestAsync(string name, string question)
    {
        await using var server = await ReplayServer.StartAsync();
        var (first, second) = Streams(name);
        server.Enqueue(first, second);
        var handler = Agent(name, server);
        var tools = new List<ToolDefinition> { new("tool", "A tool.", JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone()) };
        var history = new List<ChatMessage> { ChatMessage.User(question) };
        var builder = new AssistantMessageBuilder();
        await foreach (var chunk in handler.CreateMessageAsync(Chat.ChatCommand.DefaultSystemPrompt, history, tools))
        {
            builder.Add(chunk);
        }

        history.Add(builder.Build()!);
        history.Add(new ChatMessage(ChatRole.User, builder.ToolCalls.Select(c => (ContentBlock)new ToolResultBlock(c.Id, ToolResult)).ToList()));
        await foreach (var _ in handler.CreateMessageAsync(Chat.ChatCommand.DefaultSystemPrompt, history, tools))
        {
        }

        return server.Requests[1].Body;
    }

    [Theory]
    [MemberData(nameof(ProviderCases))]
    public async Task Two_cli_calls_with_a_tool_result_appended_between_them_send_the_agents_second_request(string name)
    {
        const string Question = "Use the tool.";
        var tools = Path.Combine(_dir, "tools.json");
        File.WriteAllText(tools, ToolsJson);
        var history = Path.Combine(_dir, "history.json");
        await using var server = await ReplayServer.StartAsync();
        var (first, second) = Streams(name);
        server.Enqueue(first, second);

        var turn1 = await CliRunner.RunAsync([.. Options(name, server), "--tools", tools, "--save-history", history, Question]);
        Assert.True(turn1.ExitCode == 0, turn1.AllOutput);

        // The agent runs the tools and appends their results in Cline's format, quoting the ids the file holds.
        var saved = JsonNode.Parse(File.ReadAllText(history))!.AsArray();
        Assert.Equal(["user", "assistant"], saved.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal(name is "openai-chat" or "openai-responses" ? "openai" : name, saved[1]!["modelInfo"]!["providerId"]!.GetValue<string>());
        var uses = saved[1]!["content"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "tool_use").ToList();
        Assert.NotEmpty(uses);
        var results = new JsonArray(uses.Select(u => (JsonNode)new JsonObject
        {
            ["type"] = "tool_result",
            ["tool_use_id"] = u!["id"]!.GetValue<string>(),
            ["content"] = ToolResult,
        }).ToArray());
        saved.Add(new JsonObject { ["role"] = "user", ["content"] = results, ["ts"] = 1764150002000, ["agentField"] = "kept" });
        File.WriteAllText(history, saved.ToJsonString());

        var turn2 = await CliRunner.RunAsync([.. Options(name, server), "--tools", tools, "--history", history, "--save-history", history]);
        Assert.True(turn2.ExitCode == 0, turn2.AllOutput);

        Assert.Equal(2, server.Requests.Count);
        var expected = await AgentSecondRequestAsync(name, Question);
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), JsonNode.Parse(server.Requests[1].Body)!.ToJsonString());
        var reasoningState = name switch
        {
            "gemini" => "\"thoughtSignature\":\"CiQBjz1rX5qk0Zk3c2lnbmF0dXJlLW9uZQ==\",\"functionCall\"",
            "bedrock" => "\"signature\":\"EqoBCkgIARABGAIiQSIG==\"}}},{\"reasoningContent\":{\"redactedContent\":\"RVhBTVBMRQ==\"}},{\"toolUse\"",
            "deepseek" => "\"reasoning_content\":",
            _ => null,
        };
        if (reasoningState is not null)
        {
            Assert.Contains(reasoningState, server.Requests[1].Body, StringComparison.Ordinal);
        }

        var final = JsonNode.Parse(File.ReadAllText(history))!.AsArray();
        Assert.Equal(["user", "assistant", "user", "assistant"], final.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("kept", final[2]!["agentField"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(saved[1], final[1]));
    }

    [Fact]
    public async Task Without_a_prompt_the_history_must_end_with_a_user_message()
    {
        var history = Path.Combine(_dir, "history.json");
        File.WriteAllText(history, """[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello."}]""");
        await using var server = await ReplayServer.StartAsync();

        var result = await CliRunner.RunAsync(["chat", "--provider", "ollama", "--model", "llama3.2", "--base-url", CliRunner.Url(server), "--history", history]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ends with a user message", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_prompt_is_appended_to_the_history_as_a_user_message_and_the_file_is_left_alone_without_save_history()
    {
        var history = Path.Combine(_dir, "history.json");
        const string Stored = """[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello."}]""";
        File.WriteAllText(history, Stored);
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("ollama/chat-text.ndjson", "application/x-ndjson"));

        var result = await CliRunner.RunAsync(["chat", "--provider", "ollama", "--model", "llama3.2", "--base-url", CliRunner.Url(server), "--history", history, "And", "now?"]);

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.Equal(
            """[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello."},{"role":"user","content":"And now?"}]""",
            JsonNode.Parse(Assert.Single(server.Requests).Body)!["messages"]!.ToJsonString());
        Assert.Equal(Stored, File.ReadAllText(history));
    }

    [Fact]
    public async Task A_history_file_that_is_not_clines_format_is_a_usage_error_naming_the_file()
    {
        var history = Path.Combine(_dir, "history.json");
        File.WriteAllText(history, """{"messages":[]}""");

        var result = await CliRunner.RunAsync(["chat", "--provider", "ollama", "--model", "llama3.2", "--history", history, "Hi"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"the history file '{history}' is not a conversation in Cline's api_conversation_history.json format", result.Stderr, StringComparison.Ordinal);
    }
}

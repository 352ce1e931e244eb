using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Responses;
using Providers.OpenAi;
using Providers.Tests.Replay;
using OurMessage = Providers.ChatMessage;
using OurRole = Providers.ChatRole;

namespace Providers.Differential.Tests;

/// <summary>
/// The same multi-turn conversation (system, user, assistant text with a tool call, the tool result, user text with an
/// image) built with OpenAI's .NET SDK and sent by our <c>openai</c> provider, both to one loopback server; the two
/// bodies it receives are compared field by field, and every difference is listed with its reason.
/// </summary>
public sealed class OpenAiRequestDifferentialTests : IAsyncLifetime
{
    private const string Model = "gpt-4.1";
    private const string System = "You are a careful coding assistant.";
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
    private const string ToolParameters = """{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}""";

    private ReplayServer _server = null!;

    /// <summary>Our side of the conversation; tool results travel in the user message, as in Anthropic's format.</summary>
    private static readonly IReadOnlyList<OurMessage> Conversation =
    [
        OurMessage.User("What does a.txt say?"),
        new(OurRole.Assistant,
        [
            new TextBlock("Let me read it."),
            new ToolUseBlock("call_a1", "read_file", Parse("""{"path":"a.txt"}""")),
        ]),
        new(OurRole.User,
        [
            new ToolResultBlock("call_a1", "alpha"),
            new TextBlock("And what is in this picture?"),
            new ImageBlock(Png, "image/png"),
        ]),
    ];

    private static readonly IReadOnlyList<ToolDefinition> Tools = [new("read_file", "Reads a file.", Parse(ToolParameters))];

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Uri BaseUrl => new(_server.BaseUri, "v1");

    [Fact]
    public async Task Chat_completions_request_matches_the_OpenAI_SDK_field_by_field()
    {
        var chat = Fixtures.OpenAiChatChunks("openai-chat/mistral-text.chunks.txt");
        _server.Enqueue(chat, chat);

        var client = new ChatClient(Model, new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = BaseUrl, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) });
        var assistant = new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_a1", "read_file", BinaryData.FromString("""{"path":"a.txt"}"""))]);
        assistant.Content.Add(ChatMessageContentPart.CreateTextPart("Let me read it."));
        OpenAI.Chat.ChatMessage[] messages =
        [
            new SystemChatMessage(System),
            new UserChatMessage("What does a.txt say?"),
            assistant,
            new ToolChatMessage("call_a1", "alpha"),
            new UserChatMessage(
                ChatMessageContentPart.CreateTextPart("And what is in this picture?"),
                ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(Convert.FromBase64String(Png)), "image/png")),
        ];
        var options = new ChatCompletionOptions
        {
            Temperature = 0,
            ToolChoice = ChatToolChoice.CreateAutoChoice(),
            Tools = { ChatTool.CreateFunctionTool("read_file", "Reads a file.", BinaryData.FromString(ToolParameters)) },
        };
        await foreach (var _ in client.CompleteChatStreamingAsync(messages, options))
        {
        }

        await DrainAsync(new OpenAiHandler(new OpenAiOptions { BaseUrl = BaseUrl, ApiKey = "sk-test", ModelId = Model }).CreateMessageAsync(System, Conversation, Tools));

        var (sdk, ours) = (_server.Requests[0], _server.Requests[1]);
        Assert.Equal(sdk.PathAndQuery, ours.PathAndQuery);
        RequestDiff.AssertOnly(
            [
                // The SDK writes a text-only user message built from a string as a string; we always send user content
                // as parts (the same text), so that images and cache breakpoints can join it. The API takes both.
                """/messages/1/content: sdk="What does a.txt say?" ours=[{"type":"text","text":"What does a.txt say?"}]""",
            ],
            sdk.Body,
            ours.Body);
    }

    /// <summary>A reasoning model: the system prompt as a developer message, the effort and the output limit under the names the SDK uses.</summary>
    [Fact]
    public async Task Reasoning_model_chat_request_matches_the_OpenAI_SDK_field_by_field()
    {
        var chat = Fixtures.OpenAiChatChunks("openai-chat/mistral-text.chunks.txt");
        _server.Enqueue(chat, chat);

        var client = new ChatClient("o3", new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = BaseUrl, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) });
        OpenAI.Chat.ChatMessage[] messages =
        [
            new DeveloperChatMessage(System),
            new UserChatMessage(ChatMessageContentPart.CreateTextPart("What does a.txt say?")),
            new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_a1", "read_file", BinaryData.FromString("""{"path":"a.txt"}"""))]),
            new ToolChatMessage("call_a1", "alpha"),
        ];
        var options = new ChatCompletionOptions { ReasoningEffortLevel = ChatReasoningEffortLevel.High, MaxOutputTokenCount = 4096 };
        await foreach (var _ in client.CompleteChatStreamingAsync(messages, options))
        {
        }

        IReadOnlyList<OurMessage> conversation =
        [
            OurMessage.User("What does a.txt say?"),
            new(OurRole.Assistant, [new ToolUseBlock("call_a1", "read_file", Parse("""{"path":"a.txt"}"""))]),
            new(OurRole.User, [new ToolResultBlock("call_a1", "alpha")]),
        ];
        var handler = new OpenAiHandler(new OpenAiOptions { BaseUrl = BaseUrl, ApiKey = "sk-test", ModelId = "o3", ReasoningEffort = "high" });
        await DrainAsync(handler.CreateMessageAsync(System, conversation, null, new RequestOverrides { MaxOutputTokens = 4096 }));

        var (sdk, ours) = (_server.Requests[0], _server.Requests[1]);
        RequestDiff.AssertOnly(
            [
                // User content as parts, as in the first test (the SDK writes a single text part as a string).
                """/messages/1/content: sdk="What does a.txt say?" ours=[{"type":"text","text":"What does a.txt say?"}]""",

                // An assistant turn of tool calls only: we write "content": null (the spec allows it, and some
                // OpenAI-compatible servers want the key); the SDK leaves the key out.
                "/messages/2/content: sdk=(absent) ours=null",
            ],
            sdk.Body,
            ours.Body);
    }

    [Fact]
    public async Task Responses_request_matches_the_OpenAI_SDK_field_by_field()
    {
        var events = Fixtures.TypedEventChunks("openai-responses/azure-text.1.chunks.txt");
        _server.Enqueue(events, events);

        var client = new ResponsesClient(new ApiKeyCredential("sk-test"), new ResponsesClientOptions { Endpoint = BaseUrl, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) });
        var options = new CreateResponseOptions(Model,
        [
            ResponseItem.CreateUserMessageItem([ResponseContentPart.CreateInputTextPart("What does a.txt say?")]),
            ResponseItem.CreateAssistantMessageItem([ResponseContentPart.CreateOutputTextPart("Let me read it.", [])]),
            ResponseItem.CreateFunctionCallItem("call_a1", "read_file", BinaryData.FromString("""{"path":"a.txt"}""")),
            ResponseItem.CreateFunctionCallOutputItem("call_a1", "alpha"),
            ResponseItem.CreateUserMessageItem(
            [
                ResponseContentPart.CreateInputTextPart("And what is in this picture?"),
                ResponseContentPart.CreateInputImagePart(new BinaryData(Convert.FromBase64String(Png), "image/png"), ResponseImageDetailLevel.Auto),
            ]),
        ])
        {
            Instructions = System,
            StreamingEnabled = true,
            StoredOutputEnabled = false,
            Temperature = 0,
            ToolChoice = ResponseToolChoice.CreateAutoChoice(),
            Tools = { ResponseTool.CreateFunctionTool("read_file", BinaryData.FromString(ToolParameters), strictModeEnabled: false, functionDescription: "Reads a file.") },
        };
        await foreach (var _ in await client.CreateResponseStreamingAsync(options, CancellationToken.None))
        {
        }

        await DrainAsync(new OpenAiHandler(new OpenAiOptions { BaseUrl = BaseUrl, ApiKey = "sk-test", ModelId = Model, UseResponsesApi = true }).CreateMessageAsync(System, Conversation, Tools));

        var (sdk, ours) = (_server.Requests[0], _server.Requests[1]);
        Assert.Equal(sdk.PathAndQuery, ours.PathAndQuery);
        RequestDiff.AssertOnly(
            [
                // "type": "message" is optional on an input message (EasyInputMessage in the OpenAPI spec); we leave it out.
                """/input/0/type: sdk="message" ours=(absent)""",

                // The assistant turn: the SDK sends output_text parts (with their empty annotations), which match no
                // input item of the spec without an id and status; we send the text as a string, which EasyInputMessage takes.
                "/input/1/content: sdk=[{\"type\":\"output_text\",\"text\":\"Let me read it.\",\"annotations\":[]}] ours=\"Let me read it.\"",
                """/input/1/type: sdk="message" ours=(absent)""",
                """/input/4/type: sdk="message" ours=(absent)""",
            ],
            sdk.Body,
            ours.Body);
    }

    private static async Task DrainAsync(IAsyncEnumerable<ApiStreamChunk> stream)
    {
        await foreach (var _ in stream)
        {
        }
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

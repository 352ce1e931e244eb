using System.Text.Json;
using Anthropic;
using Anthropic.Models.Messages;
using Providers.Anthropic;
using Providers.Tests.Replay;
using OurMessage = Providers.ChatMessage;
using OurRole = Providers.ChatRole;
using OurTextBlock = Providers.TextBlock;

namespace Providers.Differential.Tests;

/// <summary>
/// The same multi-turn conversation (system, user, assistant text with a tool call, the tool result with the user's
/// text and image) built with Anthropic's .NET SDK and sent by our <c>anthropic</c> provider, both to one loopback
/// server; the two bodies are compared field by field, and every difference is listed with its reason.
/// </summary>
public sealed class AnthropicRequestDifferentialTests : IAsyncLifetime
{
    private const string Model = "claude-sonnet-4-5-20250929";
    private const string System = "You are a careful coding assistant.";
    private const int MaxTokens = 4096;
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    private ReplayServer _server = null!;

    private static readonly IReadOnlyList<OurMessage> Conversation =
    [
        OurMessage.User("What does a.txt say?"),
        new(OurRole.Assistant,
        [
            new OurTextBlock("Let me read it."),
            new Providers.ToolUseBlock("toolu_a1", "read_file", Parse("""{"path":"a.txt"}""")),
        ]),
        new(OurRole.User,
        [
            new Providers.ToolResultBlock("toolu_a1", "alpha"),
            new OurTextBlock("And what is in this picture?"),
            new ImageBlock(Png, "image/png"),
        ]),
    ];

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Messages_request_matches_the_Anthropic_SDK_field_by_field()
    {
        var events = Fixtures.TypedEventChunks("anthropic/anthropic-text.chunks.txt");
        _server.Enqueue(events, events);

        var client = new AnthropicClient { BaseUrl = _server.BaseUri.ToString().TrimEnd('/'), ApiKey = "sk-ant-test", MaxRetries = 0 };
        var parameters = new MessageCreateParams
        {
            Model = Model,
            MaxTokens = MaxTokens,
            System = System,
            Messages =
            [
                new UserMessageParam("What does a.txt say?"),
                new AssistantMessageParam(new List<ContentBlockParam>
                {
                    new TextBlockParam("Let me read it."),
                    new ToolUseBlockParam { ID = "toolu_a1", Name = "read_file", Input = new Dictionary<string, JsonElement> { ["path"] = Parse("\"a.txt\"") } },
                }),
                new UserMessageParam(new List<ContentBlockParam>
                {
                    new ToolResultBlockParam("toolu_a1") { Content = "alpha" },
                    new TextBlockParam("And what is in this picture?"),
                    new ImageBlockParam(new Base64ImageSource { Data = Png, MediaType = MediaType.ImagePng }),
                }),
            ],
            Tools =
            [
                new Tool
                {
                    Name = "read_file",
                    Description = "Reads a file.",
                    InputSchema = new InputSchema { Properties = new Dictionary<string, JsonElement> { ["path"] = Parse("""{"type":"string"}""") }, Required = ["path"] },
                },
            ],
        };
        await foreach (var _ in client.Messages.CreateStreaming(parameters))
        {
        }

        var handler = new AnthropicHandler(new AnthropicOptions { BaseUrl = _server.BaseUri, ApiKey = "sk-ant-test", ModelId = Model });
        await foreach (var _ in handler.CreateMessageAsync(
            System, Conversation, [new ToolDefinition("read_file", "Reads a file.", Parse("""{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}"""))],
            new RequestOverrides { MaxOutputTokens = MaxTokens }))
        {
        }

        var (sdk, ours) = (_server.Requests[0], _server.Requests[1]);
        Assert.Equal(sdk.PathAndQuery, ours.PathAndQuery);
        RequestDiff.AssertOnly(
            [
                // Prompt caching, as Cline does it: a breakpoint on the last block of each of the last two user turns
                // (text needs the block form to carry one) and on the system prompt. The SDK adds none by itself.
                """/messages/0/content: sdk="What does a.txt say?" ours=[{"type":"text","text":"What does a.txt say?","cache_control":{"type":"ephemeral"}}]""",

                // A tool result's text is sent as text blocks (images can join them); the API takes a string or blocks alike.
                """/messages/2/content/0/content: sdk="alpha" ours=[{"type":"text","text":"alpha"}]""",
                """/messages/2/content/2/cache_control: sdk=(absent) ours={"type":"ephemeral"}""",
                """/system: sdk="You are a careful coding assistant." ours=[{"type":"text","text":"You are a careful coding assistant.","cache_control":{"type":"ephemeral"}}]""",

                // Without thinking the request is deterministic, as in Cline (temperature 0); SDK 13.14 has no
                // temperature parameter, so its request leaves the API's default.
                "/temperature: sdk=(absent) ours=0",
            ],
            sdk.Body,
            ours.Body);
    }

    /// <summary>
    /// Earlier reasoning goes back as the API requires: the signed thinking block and the redacted one, in their
    /// places before the text and the tool call they preceded; the failed tool result keeps <c>is_error</c>.
    /// </summary>
    [Fact]
    public async Task Thinking_round_trip_matches_the_Anthropic_SDK_field_by_field()
    {
        var events = Fixtures.TypedEventChunks("anthropic/anthropic-text.chunks.txt");
        _server.Enqueue(events, events);

        var client = new AnthropicClient { BaseUrl = _server.BaseUri.ToString().TrimEnd('/'), ApiKey = "sk-ant-test", MaxRetries = 0 };
        var parameters = new MessageCreateParams
        {
            Model = Model,
            MaxTokens = MaxTokens,
            System = System,
            Thinking = new ThinkingConfigEnabled(2048),
            Messages =
            [
                new UserMessageParam("Why does the build fail?"),
                new AssistantMessageParam(new List<ContentBlockParam>
                {
                    new ThinkingBlockParam { Thinking = "Check the project file.", Signature = "c2lnbmF0dXJlLTE=" },
                    new RedactedThinkingBlockParam("ZW5jcnlwdGVk"),
                    new TextBlockParam("Let me look."),
                    new ToolUseBlockParam { ID = "toolu_p1", Name = "read_file", Input = new Dictionary<string, JsonElement> { ["path"] = Parse("\"app.csproj\"") } },
                }),
                new UserMessageParam(new List<ContentBlockParam>
                {
                    new ToolResultBlockParam("toolu_p1") { Content = "permission denied", IsError = true },
                    new TextBlockParam("Try again."),
                }),
            ],
        };
        await foreach (var _ in client.Messages.CreateStreaming(parameters))
        {
        }

        IReadOnlyList<OurMessage> conversation =
        [
            OurMessage.User("Why does the build fail?"),
            new(OurRole.Assistant,
            [
                new Providers.ThinkingBlock("Check the project file.", "c2lnbmF0dXJlLTE="),
                new Providers.RedactedThinkingBlock("ZW5jcnlwdGVk"),
                new OurTextBlock("Let me look."),
                new Providers.ToolUseBlock("toolu_p1", "read_file", Parse("""{"path":"app.csproj"}""")),
            ]),
            new(OurRole.User, [new Providers.ToolResultBlock("toolu_p1", "permission denied", isError: true), new OurTextBlock("Try again.")]),
        ];
        var handler = new AnthropicHandler(new AnthropicOptions { BaseUrl = _server.BaseUri, ApiKey = "sk-ant-test", ModelId = Model, ThinkingBudgetTokens = 2048 });
        await foreach (var _ in handler.CreateMessageAsync(System, conversation, null, new RequestOverrides { MaxOutputTokens = MaxTokens }))
        {
        }

        var (sdk, ours) = (_server.Requests[0], _server.Requests[1]);
        RequestDiff.AssertOnly(
            [
                // Only the cache breakpoints and the tool result's block form differ (see the first test): the
                // thinking blocks, their signatures, the redacted block, their order and is_error are the SDK's.
                """/messages/0/content: sdk="Why does the build fail?" ours=[{"type":"text","text":"Why does the build fail?","cache_control":{"type":"ephemeral"}}]""",
                """/messages/2/content/0/content: sdk="permission denied" ours=[{"type":"text","text":"permission denied"}]""",
                """/messages/2/content/1/cache_control: sdk=(absent) ours={"type":"ephemeral"}""",
                """/system: sdk="You are a careful coding assistant." ours=[{"type":"text","text":"You are a careful coding assistant.","cache_control":{"type":"ephemeral"}}]""",
            ],
            sdk.Body,
            ours.Body);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

using System.Text.Json;
using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;
using Providers.Ollama;
using Providers.Tests.Replay;
using OurMessage = Providers.ChatMessage;
using OurRole = Providers.ChatRole;

namespace Providers.Differential.Tests;

/// <summary>
/// The same multi-turn conversation (system, user, assistant text with a tool call, the tool result, user text with an
/// image) built with OllamaSharp and sent by our <c>ollama</c> provider, both to one loopback server; the two bodies
/// are compared field by field, and every difference is listed with its reason.
/// </summary>
public sealed class OllamaRequestDifferentialTests : IAsyncLifetime
{
    private const string Model = "llama3.2";
    private const string System = "You are a careful coding assistant.";
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    private ReplayServer _server = null!;

    private static readonly IReadOnlyList<OurMessage> Conversation =
    [
        OurMessage.User("What does a.txt say?"),
        new(OurRole.Assistant,
        [
            new Providers.TextBlock("Let me read it."),
            new Providers.ToolUseBlock("call_a1", "read_file", Parse("""{"path":"a.txt"}""")),
        ]),
        new(OurRole.User,
        [
            new Providers.ToolResultBlock("call_a1", "alpha"),
            new Providers.TextBlock("And what is in this picture?"),
            new ImageBlock(Png, "image/png"),
        ]),
    ];

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Chat_request_matches_OllamaSharp_field_by_field()
    {
        var response = Fixtures.Raw("ollama/chat-text.ndjson", "application/x-ndjson");
        _server.Enqueue(response, response);

        var client = new OllamaApiClient(_server.BaseUri, Model);
        var request = new ChatRequest
        {
            Model = Model,
            Stream = true,
            Options = new RequestOptions { NumCtx = new OllamaOptions().ContextSize },
            Messages =
            [
                new Message(OllamaSharp.Models.Chat.ChatRole.System, System),
                new Message(OllamaSharp.Models.Chat.ChatRole.User, "What does a.txt say?"),
                new Message(OllamaSharp.Models.Chat.ChatRole.Assistant, "Let me read it.")
                {
                    ToolCalls = [new Message.ToolCall { Function = new Message.Function { Name = "read_file", Arguments = new Dictionary<string, object?> { ["path"] = "a.txt" } } }],
                },
                new Message(OllamaSharp.Models.Chat.ChatRole.Tool, "alpha") { ToolName = "read_file" },
                new Message(OllamaSharp.Models.Chat.ChatRole.User, "And what is in this picture?", [Png]),
            ],
            Tools =
            [
                new Tool
                {
                    Function = new Function
                    {
                        Name = "read_file",
                        Description = "Reads a file.",
                        Parameters = new Parameters { Properties = new() { ["path"] = new Property { Type = "string" } }, Required = ["path"] },
                    },
                },
            ],
        };
        await foreach (var _ in client.ChatAsync(request))
        {
        }

        var handler = new OllamaHandler(new OllamaOptions { BaseUrl = _server.BaseUri, ModelId = Model });
        await foreach (var _ in handler.CreateMessageAsync(
            System, Conversation, [new ToolDefinition("read_file", "Reads a file.", Parse("""{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}"""))]))
        {
        }

        var (sdk, ours) = (_server.Requests[0], _server.Requests[1]);
        Assert.Equal(sdk.PathAndQuery, ours.PathAndQuery);
        RequestDiff.AssertOnly(
            [
                // OllamaSharp serialises its own bookkeeping and unset fields: a "CustomHeaders" member and nulls
                // for a tool call's index and id and a property's description and enum. Ollama ignores them; we send
                // only what is set. Everything the conversation says is the same on both sides.
                "/CustomHeaders: sdk={} ours=(absent)",
                "/messages/2/tool_calls/0/function/index: sdk=null ours=(absent)",
                "/messages/2/tool_calls/0/id: sdk=null ours=(absent)",
                "/tools/0/function/parameters/properties/path/description: sdk=null ours=(absent)",
                "/tools/0/function/parameters/properties/path/enum: sdk=null ours=(absent)",
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

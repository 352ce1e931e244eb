using System.Text.Json;

namespace Providers.Tests.Schemas;

/// <summary>
/// Multi-turn conversations as a coding agent sends them on its later turns: images, tool calls (parallel ones and
/// ones with Responses API ids), tool results with images and errors, and earlier reasoning, for the schema
/// conformance tests.
/// </summary>
public static class RequestConversations
{
    public const string SystemPrompt = "You are a careful coding assistant.";

    /// <summary>A 1x1 transparent PNG.</summary>
    public const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    /// <summary>The first bytes of a JPEG; the shape of the request is what matters, not the picture.</summary>
    public const string Jpeg = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAP==";

    public static readonly IReadOnlyList<ToolDefinition> Tools =
    [
        new("read_file", "Reads a file of the workspace.", Json("""{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}""")),
        new("run_command", "Runs a shell command.", Json("""{"type":"object","properties":{"command":{"type":"string"}},"required":["command"]}""")),
        new("screenshot", "Takes a screenshot of the browser.", Json("""{"type":"object","properties":{}}""")),
    ];

    /// <summary>Text turns only.</summary>
    public static readonly IReadOnlyList<ChatMessage> Text =
    [
        ChatMessage.User("Hello"),
        ChatMessage.Assistant("Hi! What are we working on?"),
        ChatMessage.User("Rename the variable x to count in main.py."),
    ];

    /// <summary>User images (PNG with text, JPEG alone) around an assistant answer.</summary>
    public static readonly IReadOnlyList<ChatMessage> Images =
    [
        new(ChatRole.User, [new TextBlock("What does this diagram show?"), new ImageBlock(Png, "image/png")]),
        ChatMessage.Assistant("A single transparent pixel."),
        new(ChatRole.User, [new ImageBlock(Jpeg, "image/jpeg")]),
    ];

    /// <summary>Parallel tool calls after text, their results before the user's next words, then a final answer.</summary>
    public static readonly IReadOnlyList<ChatMessage> ToolCalls =
    [
        ChatMessage.User("Compare a.txt and b.txt."),
        new(ChatRole.Assistant,
        [
            new TextBlock("I will read both files."),
            new ToolUseBlock("call_a1", "read_file", Json("""{"path":"a.txt"}""")),
            new ToolUseBlock("call_b2", "read_file", Json("""{"path":"b.txt"}""")),
        ]),
        new(ChatRole.User,
        [
            new ToolResultBlock("call_a1", "alpha"),
            new ToolResultBlock("call_b2", "beta"),
            new TextBlock("Be brief."),
        ]),
        ChatMessage.Assistant("a.txt says alpha, b.txt says beta."),
        ChatMessage.User("Thanks."),
    ];

    /// <summary>Assistant turns made only of tool calls (one with a Responses API <c>fc_</c> id), answered by text results.</summary>
    public static readonly IReadOnlyList<ChatMessage> ToolCallsOnly =
    [
        ChatMessage.User("List the files, then read the first one."),
        new(ChatRole.Assistant, [new ToolUseBlock("fc_68a1b2c3d4e5f60718293a4b5c6d7e8f", "run_command", Json("""{"command":"ls"}"""))]),
        new(ChatRole.User, [new ToolResultBlock("fc_68a1b2c3d4e5f60718293a4b5c6d7e8f", "a.txt\nb.txt")]),
        new(ChatRole.Assistant, [new ToolUseBlock("call_r1", "read_file", Json("""{"path":"a.txt"}"""))]),
        new(ChatRole.User, [new ToolResultBlock("call_r1", "alpha")]),
    ];

    /// <summary>Tool results holding an image, an error, text and an image together, and nothing at all.</summary>
    public static readonly IReadOnlyList<ChatMessage> ToolResultsWithImagesAndErrors =
    [
        ChatMessage.User("Open the page, take a screenshot and run the tests."),
        new(ChatRole.Assistant,
        [
            new ToolUseBlock("call_s1", "screenshot", Json("{}")),
            new ToolUseBlock("call_t2", "run_command", Json("""{"command":"dotnet test"}""")),
            new ToolUseBlock("call_e3", "run_command", Json("""{"command":"true"}""")),
        ]),
        new(ChatRole.User,
        [
            new ToolResultBlock("call_s1", [new TextBlock("Screenshot of http://localhost:3000"), new ImageBlock(Png, "image/png")]),
            new ToolResultBlock("call_t2", "error: 2 tests failed", isError: true),
            new ToolResultBlock("call_e3", []),
        ]),
        new(ChatRole.Assistant, [new ToolUseBlock("call_s4", "screenshot", Json("{}"))]),
        new(ChatRole.User, [new ToolResultBlock("call_s4", [new ImageBlock(Jpeg, "image/jpeg")])]),
    ];

    /// <summary>Earlier reasoning (signed, redacted) before text and a tool call, then reasoning before a final answer.</summary>
    public static readonly IReadOnlyList<ChatMessage> Reasoning =
    [
        ChatMessage.User("Why does the build fail?"),
        new(ChatRole.Assistant,
        [
            new ThinkingBlock("The error mentions a missing package; check the project file.", "c2lnbmF0dXJlLTE="),
            new RedactedThinkingBlock("ZW5jcnlwdGVkLXJlYXNvbmluZw=="),
            new TextBlock("Let me look at the project file."),
            new ToolUseBlock("call_p1", "read_file", Json("""{"path":"app.csproj"}""")),
        ]),
        new(ChatRole.User, [new ToolResultBlock("call_p1", "<Project Sdk=\"Microsoft.NET.Sdk\" />")]),
        new(ChatRole.Assistant,
        [
            new ThinkingBlock("No package references at all.", "c2lnbmF0dXJlLTI="),
            new TextBlock("The project references no packages; add Newtonsoft.Json."),
        ]),
        ChatMessage.User("Do it."),
    ];

    /// <summary>Opaque reasoning state as the providers return it: a Responses reasoning item before the function call it preceded, OpenRouter's reasoning_details.</summary>
    public static readonly IReadOnlyList<ChatMessage> ReasoningState =
    [
        ChatMessage.User("Why does the build fail?"),
        new(ChatRole.Assistant,
        [
            new ReasoningStateBlock(ReasoningStateFormats.OpenAiResponses, """{"type":"reasoning","id":"rs_68a1","summary":[{"type":"summary_text","text":"Check the project file."}],"encrypted_content":"gAAAAABo"}"""),
            new ReasoningStateBlock(ReasoningStateFormats.ReasoningDetails, """[{"type":"reasoning.encrypted","data":"gAAAAABo","id":"rs_68a1","format":"openai-responses-v1","index":0}]"""),
            new ToolUseBlock("fc_68a2", "read_file", Json("""{"path":"app.csproj"}""")),
        ]),
        new(ChatRole.User, [new ToolResultBlock("fc_68a2", "<Project />")]),
    ];

    /// <summary>Every conversation above, by name.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<ChatMessage>> All = new Dictionary<string, IReadOnlyList<ChatMessage>>
    {
        [nameof(Text)] = Text,
        [nameof(Images)] = Images,
        [nameof(ToolCalls)] = ToolCalls,
        [nameof(ToolCallsOnly)] = ToolCallsOnly,
        [nameof(ToolResultsWithImagesAndErrors)] = ToolResultsWithImagesAndErrors,
        [nameof(Reasoning)] = Reasoning,
        [nameof(ReasoningState)] = ReasoningState,
    };

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

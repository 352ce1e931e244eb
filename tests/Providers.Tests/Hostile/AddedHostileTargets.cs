using System.Text;
using System.Text.RegularExpressions;
using Providers.Bedrock;
using Providers.Cline;
using Providers.Dify;
using Providers.Gemini;
using Providers.OpenAiCompatible;
using Providers.SapAiCore;
using Providers.Tests.Bedrock;
using Providers.Tests.Replay;
using Providers.Tests.SapAiCore;
using Providers.Vertex;

namespace Providers.Tests.Hostile;

/// <summary>
/// The built-in HTTP providers that landed after the hostile suite: Gemini (key in <c>x-goog-api-key</c>), Vertex (an
/// explicit access token), Bedrock (SigV4 with a session token, AWS event-stream framing) and the OpenAI-compatible
/// family (deepseek, a think-tags member, openai-native's Responses path, and the OAuth-signed qwen-code and openai-codex).
/// </summary>
public static partial class AddedHostileTargets
{
    private static readonly IReadOnlyList<string> GeminiMinimal =
    [
        """{"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":3,"totalTokenCount":3},"modelVersion":"gemini-2.5-flash"}""",
        """{"candidates":[{"content":{"parts":[{"text":"!"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"totalTokenCount":5},"modelVersion":"gemini-2.5-flash"}""",
    ];

    public static readonly HostileTarget Gemini = new(
        "gemini",
        (uri, clock, configure) => Build(new GeminiOptions { BaseUrl = uri, ApiKey = HostileTargets.Key, ModelId = "gemini-2.5-flash" }, clock, configure, o => new GeminiHandler(o)),
        "text/event-stream",
        DataOnly,
        GeminiMinimal,
        "gemini");

    public static readonly HostileTarget Vertex = new(
        "vertex",
        (uri, clock, configure) => Build(new VertexOptions { BaseUrl = uri, AccessToken = HostileTargets.Key, ProjectId = "hostile-project", Region = "us-central1", ModelId = "gemini-2.5-flash" }, clock, configure, o => new VertexHandler(o)),
        "text/event-stream",
        DataOnly,
        GeminiMinimal,
        "gemini");

    /// <summary>Vertex serving a Claude model: Anthropic's stream through Vertex's endpoint and token.</summary>
    public static readonly HostileTarget VertexClaude = new(
        "vertex-claude",
        (uri, clock, configure) => Build(new VertexOptions { BaseUrl = uri, AccessToken = HostileTargets.Key, ProjectId = "hostile-project", Region = "us-east5", ModelId = "claude-sonnet-4-5@20250929" }, clock, configure, o => new VertexHandler(o)),
        "text/event-stream",
        HostileTargets.TypedEvents,
        HostileTargets.Anthropic.MinimalStream,
        "anthropic");

    /// <summary>Bedrock with long-term keys and a session token: the secret key is <see cref="HostileTargets.Key"/>, the token <see cref="HostileTargets.HeaderSecret"/>.</summary>
    public static readonly HostileTarget Bedrock = new(
        "bedrock",
        (uri, clock, configure) => Build(
            new BedrockOptions { BaseUrl = uri, AccessKey = "AKIDHOSTILEEXAMPLE", SecretKey = HostileTargets.Key, SessionToken = HostileTargets.HeaderSecret, Region = "us-east-1" },
            clock,
            configure,
            o => new BedrockHandler(o)),
        BedrockTestKit.ContentType,
        EventStream,
        [
            """{"messageStart":{"role":"assistant"}}""",
            """{"contentBlockDelta":{"contentBlockIndex":0,"delta":{"text":"Hi"}}}""",
            """{"contentBlockStop":{"contentBlockIndex":0}}""",
            """{"messageStop":{"stopReason":"end_turn"}}""",
            """{"metadata":{"usage":{"inputTokens":3,"outputTokens":1,"totalTokens":4},"metrics":{"latencyMs":12}}}""",
        ],
        "bedrock");

    private static readonly IReadOnlyList<string> ChatMinimal = HostileTargets.OpenAiChat.MinimalStream;

    public static readonly HostileTarget DeepSeek = new(
        "deepseek",
        (uri, clock, configure) => Build(new DeepSeekOptions { BaseUrl = new Uri(uri, "v1"), ApiKey = HostileTargets.Key, ModelId = "deepseek-chat" }, clock, configure, o => new DeepSeekHandler(o)),
        "text/event-stream",
        HostileTargets.DataEvents,
        ChatMinimal,
        "openai-compatible");

    /// <summary>A member that reads <c>&lt;think&gt;</c> tags out of the text.</summary>
    public static readonly HostileTarget Cerebras = new(
        "cerebras",
        (uri, clock, configure) => Build(new CerebrasOptions { BaseUrl = new Uri(uri, "v1"), ApiKey = HostileTargets.Key }, clock, configure, o => new CerebrasHandler(o)),
        "text/event-stream",
        HostileTargets.DataEvents,
        ChatMinimal,
        "openai-compatible");

    public static readonly HostileTarget OpenAiNative = new(
        "openai-native",
        (uri, clock, configure) => Build(new OpenAiNativeOptions { BaseUrl = new Uri(uri, "v1"), ApiKey = HostileTargets.Key, ModelId = "gpt-4.1" }, clock, configure, o => new OpenAiNativeHandler(o)),
        "text/event-stream",
        HostileTargets.TypedEvents,
        HostileTargets.OpenAiResponses.MinimalStream,
        "openai-responses");

    /// <summary>Cline's account API on the OpenRouter core: the token as bearer, the task id header, the host's /api/v1 path.</summary>
    public static readonly HostileTarget Cline = new(
        "cline",
        (uri, clock, configure) => Build(new ClineOptions { BaseUrl = uri, ApiKey = HostileTargets.Key, ModelId = "openai/gpt-4.1", TaskId = "01HOSTILETASK" }, clock, configure, o => new ClineHandler(o)),
        "text/event-stream",
        HostileTargets.DataEvents,
        ChatMinimal,
        "cline");

    /// <summary>Oracle Code Assist: the access token as bearer, OCA's client headers and opc-request-id.</summary>
    public static readonly HostileTarget Oca = new(
        "oca",
        (uri, clock, configure) => Build(new OcaOptions { BaseUrl = uri, ApiKey = HostileTargets.Key, TaskId = "01HOSTILETASK" }, clock, configure, o => new OcaHandler(o)),
        "text/event-stream",
        HostileTargets.DataEvents,
        ChatMinimal,
        "oca");

    /// <summary>Dify's chat-messages stream: <c>data:</c> events named by their <c>event</c> field.</summary>
    public static readonly HostileTarget Dify = new(
        "dify",
        (uri, clock, configure) => Build(new DifyOptions { BaseUrl = new Uri(uri, "v1"), ApiKey = HostileTargets.Key }, clock, configure, o => new DifyHandler(o)),
        "text/event-stream",
        DataOnly,
        [
            """{"event":"message","conversation_id":"c1","message_id":"m1","answer":"Hi"}""",
            """{"event":"message_end","conversation_id":"c1","message_id":"m1","metadata":{"usage":{"prompt_tokens":3,"completion_tokens":1,"total_price":"0.001","currency":"USD"}}}""",
        ],
        "dify");

    /// <summary>
    /// SAP AI Core's converse-stream (ConverseStream events as SSE unions) at a configured deployment; the client secret is
    /// <see cref="HostileTargets.Key"/>, the token comes from a separate local token server, so only inference reaches the hostile one.
    /// </summary>
    public static readonly HostileTarget SapAiCore = new(
        "sapaicore",
        (uri, clock, configure) => Build(SapAiCoreTests.Options(SharedTokenServer.BaseUri, uri, "anthropic--claude-4-sonnet", "dep-hostile", HostileTargets.Key), clock, configure, o => new SapAiCoreHandler(o)),
        "text/event-stream",
        DataOnly,
        [
            """{"messageStart":{"role":"assistant"}}""",
            """{"contentBlockDelta":{"contentBlockIndex":0,"delta":{"text":"Hi"}}}""",
            """{"contentBlockStop":{"contentBlockIndex":0}}""",
            """{"messageStop":{"stopReason":"end_turn"}}""",
            """{"metadata":{"usage":{"inputTokens":3,"outputTokens":1,"totalTokens":4},"metrics":{"latencyMs":12}}}""",
        ],
        "sapaicore");

    /// <summary>Signed in with OAuth: the access token is <see cref="HostileTargets.Key"/>, the refresh token <see cref="HostileTargets.HeaderSecret"/>; the token endpoint is the hostile server too.</summary>
    public static readonly HostileTarget QwenCode = new(
        "qwen-code",
        (uri, clock, configure) => Build(
            new QwenCodeOptions { OauthPath = QwenCodeCredentialsFile(HostileTargets.Key), BaseUrl = new Uri(uri, "v1"), TokenUrl = new Uri(uri, "oauth/token") },
            clock,
            configure,
            o => new QwenCodeHandler(o)),
        "text/event-stream",
        HostileTargets.DataEvents,
        ChatMinimal,
        "qwen-code");

    public static readonly HostileTarget OpenAiCodex = new(
        "openai-codex",
        (uri, clock, configure) => Build(
            new OpenAiCodexOptions { Credentials = OpenAiCodexCredentials(HostileTargets.Key), BaseUrl = new Uri(uri, "backend-api/codex"), TokenUrl = new Uri(uri, "oauth/token") },
            clock,
            configure,
            o => new OpenAiCodexHandler(o)),
        "text/event-stream",
        HostileTargets.TypedEvents,
        HostileTargets.OpenAiResponses.MinimalStream,
        "openai-codex");

    public static IReadOnlyList<HostileTarget> All { get; } = [Gemini, Vertex, VertexClaude, Bedrock, DeepSeek, Cerebras, OpenAiNative, Cline, Oca, Dify, SapAiCore, QwenCode, OpenAiCodex];

    /// <summary>A Qwen Code credentials file (in a folder of this process's) whose token is valid for a day.</summary>
    public static string QwenCodeCredentialsFile(string accessToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "providers-hostile-qwen-code");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, new System.Text.Json.Nodes.JsonObject
        {
            ["access_token"] = accessToken,
            ["refresh_token"] = HostileTargets.HeaderSecret,
            ["token_type"] = "Bearer",
            ["expiry_date"] = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds(),
        }.ToJsonString());
        return path;
    }

    /// <summary>The <c>openai-codex-oauth-credentials</c> JSON with a token valid for a day.</summary>
    public static string OpenAiCodexCredentials(string accessToken) => new System.Text.Json.Nodes.JsonObject
    {
        ["type"] = "openai-codex",
        ["access_token"] = accessToken,
        ["refresh_token"] = HostileTargets.HeaderSecret,
        ["expires"] = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds(),
        ["accountId"] = "acct-hostile",
    }.ToJsonString();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var target in All)
        {
            data.Add(target.Name);
        }

        return data;
    }

    /// <summary>A target of either list.</summary>
    public static HostileTarget Named(string name) => HostileTargets.All.Concat(All).Single(t => t.Name == name);

    /// <summary>Gemini's SSE: <c>data:</c> events and no <c>[DONE]</c>.</summary>
    public static byte[] DataOnly(IReadOnlyList<string> lines) => Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => $"data: {l}\n\n")));

    /// <summary>
    /// Each line <c>{"member": payload}</c> as one event-stream message (members ending in <c>Exception</c> as exception
    /// messages); a line of another shape, as mutations make, becomes the payload of a <c>contentBlockDelta</c> event.
    /// </summary>
    public static byte[] EventStream(IReadOnlyList<string> lines)
    {
        using var output = new MemoryStream();
        foreach (var line in lines)
        {
            var match = UnionMember().Match(line);
            if (!match.Success)
            {
                output.Write(EventStreamEncoder.Event("contentBlockDelta", line));
                continue;
            }

            var (name, payload) = (match.Groups[1].Value, Encoding.UTF8.GetBytes(match.Groups[2].Value));
            output.Write(name.EndsWith("Exception", StringComparison.Ordinal)
                ? EventStreamEncoder.Message([(":exception-type", name), (":content-type", "application/json"), (":message-type", "exception")], payload)
                : EventStreamEncoder.Message([(":event-type", name), (":content-type", "application/json"), (":message-type", "event")], payload));
        }

        return output.ToArray();
    }

    private static IApiHandler Build<T>(T options, FastRetryClock clock, Action<ProviderOptions>? configure, Func<T, IApiHandler> create)
        where T : ProviderOptions => HostileTargets.Build(options, clock, configure, create);

    [GeneratedRegex(@"^\{""(\w+)"":(.*)\}$", RegexOptions.Singleline)]
    private static partial Regex UnionMember();
}

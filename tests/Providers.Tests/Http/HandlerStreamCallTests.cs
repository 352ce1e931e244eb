using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Providers.AskSage;
using Providers.Dify;
using Providers.Http;
using Providers.Ollama;
using Providers.SapAiCore;
using Providers.Tests.OpenAiCompatible;
using Providers.Tests.Replay;
using Providers.Tests.SapAiCore;
using Providers.Vertex;

namespace Providers.Tests.Http;

/// <summary>
/// The handlers whose Core method returns an <see cref="HttpStreamCall"/> (openai-native, openai-codex, qwen-code,
/// Vertex's Claude and Gemini sides, every SAP AI Core route, Dify, AskSage), and Ollama, whose own enumerator starts the
/// call with <see cref="HttpStreamExchange"/> as <see cref="HttpStreamCall"/> would: an early break, <see cref="IApiHandler.Abort"/>,
/// cancellation while the response is awaited, an error status and a failure while the request is prepared each end the
/// call with the right outcome and release its registration and connection. Over real sockets on 127.0.0.1. The checks
/// are <see cref="StreamCallKit"/>'s, shared with <see cref="HttpStreamCallTests"/> and Bedrock's call tests.
/// </summary>
public class HandlerStreamCallTests
{
    private static readonly IReadOnlyList<ChatMessage> Hello = [ChatMessage.User("Hello")];

    private static readonly string[] All =
    [
        "openai-native", "openai-codex", "qwen-code", "vertex/gemini", "vertex/claude",
        "sapaicore/chat", "sapaicore/converse", "sapaicore/invoke", "sapaicore/gemini", "sapaicore/orchestration",
        "dify", "asksage", "ollama",
    ];

    public static TheoryData<string> Providers => [.. All];

    /// <summary>Those that stream (AskSage answers with one JSON body).</summary>
    public static TheoryData<string> Streaming => [.. All.Where(p => p != "asksage")];

    /// <summary>Those that do not retry a failure while preparing (Ollama retries every error: <c>RetryAllErrors</c>).</summary>
    public static TheoryData<string> PreparedOnce => [.. All.Where(p => p != "ollama")];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Nothing_is_registered_or_sent_before_the_first_MoveNextAsync(string provider)
    {
        await using var rig = await Rig.StartAsync(provider);
        await StreamCallKit.NothingIsSentBeforeTheFirstMoveNextAsync(rig);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Early_break_after_the_first_text_releases_the_registration_and_the_connection(string provider)
    {
        await using var rig = await Rig.StartAsync(provider);
        await StreamCallKit.EarlyBreakReleasesTheRegistrationAndTheConnectionAsync(rig);
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task Abort_while_the_reader_waits_mid_stream_ends_with_cancellation_and_releases_everything(string provider)
    {
        await using var rig = await Rig.StartAsync(provider);
        await StreamCallKit.StoppingWhileTheReaderWaitsEndsWithCancellationAndReleasesEverythingAsync(rig, byCaller: false);
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task Caller_cancellation_while_the_reader_waits_mid_stream_ends_with_cancellation_and_releases_everything(string provider)
    {
        await using var rig = await Rig.StartAsync(provider);
        await StreamCallKit.StoppingWhileTheReaderWaitsEndsWithCancellationAndReleasesEverythingAsync(rig, byCaller: true);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Abort_while_waiting_for_the_response_cancels_without_a_retry(string provider)
    {
        await using var rig = await Rig.StartAsync(provider);
        await StreamCallKit.StoppingWhileWaitingForTheResponseCancelsWithoutARetryAsync(rig, byCaller: false);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Caller_cancellation_while_waiting_for_the_response_cancels_without_a_retry(string provider)
    {
        await using var rig = await Rig.StartAsync(provider);
        await StreamCallKit.StoppingWhileWaitingForTheResponseCancelsWithoutARetryAsync(rig, byCaller: true);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_error_status_surfaces_from_the_first_MoveNextAsync_as_the_provider_s_error(string provider)
    {
        await using var rig = await Rig.StartAsync(provider);
        var ex = await StreamCallKit.ErrorStatusSurfacesFromTheFirstMoveNextAsync(
            rig, ReplayResponse.Json(400, """{"error":{"message":"the request was refused","type":"invalid_request_error","code":400}}"""));

        Assert.False(ex.IsRetryable);
        Assert.Equal(rig.ProviderId, ex.ProviderId);
    }

    [Theory]
    [MemberData(nameof(PreparedOnce))]
    public async Task A_failure_while_preparing_surfaces_from_the_first_MoveNextAsync_and_sends_nothing(string provider)
    {
        await using var rig = await Rig.StartAsync(provider);
        var ex = await StreamCallKit.FailureWhilePreparingSurfacesFromTheFirstMoveNextAsync<ArgumentException>(
            rig, rig.Handler.CreateMessageAsync("sys", new UnreadableConversation()));

        Assert.Equal("messages", ex.ParamName);
        Assert.StartsWith(UnreadableConversation.Message, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A conversation the handler cannot read: a caller's list that fails, as anything the request is built from may.</summary>
    private sealed class UnreadableConversation : IReadOnlyList<ChatMessage>
    {
        public const string Message = "the conversation could not be read";

        public int Count => throw new ArgumentException(Message, "messages");

        public ChatMessage this[int index] => throw new ArgumentException(Message, "messages");

        public IEnumerator<ChatMessage> GetEnumerator() => throw new ArgumentException(Message, "messages");

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>A handler of one provider with its servers: the API (and the token endpoint, for those that sign in).</summary>
    private sealed class Rig : IStreamCallRig
    {
        private const string SapKey = "sap-client-secret-0123456789";
        private SignInKit? _kit;

        private Rig(string provider, ReplayServer api)
        {
            Provider = provider;
            Api = api;
        }

        public string Provider { get; }

        public ReplayServer Api { get; }

        public ReplayServer? Tokens { get; private set; }

        public IEnumerable<ReplayServer> Servers => Tokens is null ? [Api] : [Api, Tokens];

        public bool Streams => Provider != "asksage";

        public bool ReleasedWhenStartFails => true;

        public IReadOnlyCollection<(int Attempt, TimeSpan Delay, Exception Error)> Retries => Clock.Retries;

        public IReadOnlyList<string> Texts => ["Hi"];

        public FastRetryClock Clock { get; } = new();

        public IApiHandler Handler { get; private set; } = null!;

        /// <summary>How many requests the API gets before the streaming one (SAP AI Core's deployment list).</summary>
        public int Prelude => Provider == "sapaicore/orchestration" ? 1 : 0;

        public string ProviderId => Provider.Split('/')[0];

        /// <summary>The registrations of the handler's calls in flight (its <see cref="InFlightRequests"/>).</summary>
        public int InFlight
        {
            get
            {
                for (var type = Handler.GetType(); type is not null; type = type.BaseType)
                {
                    foreach (var member in type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        if (member.FieldType == typeof(InFlightRequests))
                        {
                            return ((InFlightRequests)member.GetValue(Handler)!).Count;
                        }
                    }
                }

                throw new Xunit.Sdk.XunitException($"{Handler.GetType()} holds no InFlightRequests.");
            }
        }

        public static async Task<Rig> StartAsync(string provider)
        {
            if (provider is "openai-codex" or "qwen-code")
            {
                var kit = await SignInKit.StartAsync();
                var signedIn = new Rig(provider, kit.Api) { _kit = kit, Tokens = kit.Tokens };
                signedIn.Handler = provider == "openai-codex" ? signedIn.Codex(kit) : signedIn.Qwen(kit);
                return signedIn;
            }

            var rig = new Rig(provider, await ReplayServer.StartAsync());
            if (provider.StartsWith("sapaicore/", StringComparison.Ordinal))
            {
                rig.Tokens = await ReplayServer.StartAsync();
                rig.Tokens.Enqueue(ReplayResponse.Json(200, Fixtures.Text("sapaicore/token.json")));
            }

            rig.Handler = rig.Create();
            return rig;
        }

        /// <summary>Queues what the API answers before the streaming request, then <paramref name="response"/>.</summary>
        public void Enqueue(ReplayResponse response)
        {
            if (Provider == "sapaicore/orchestration")
            {
                Api.Enqueue(ReplayResponse.Json(200, Fixtures.Text("sapaicore/deployments-orchestration.json")));
            }

            Api.Enqueue(response);
        }

        public IAsyncEnumerable<ApiStreamChunk> Call(CancellationToken cancellationToken = default) =>
            Handler.CreateMessageAsync("sys", Hello, cancellationToken: cancellationToken);

        public void Abort() => Handler.Abort();

        /// <summary>The provider's first text, "Hi", in its wire format, then silence (AskSage: its whole answer).</summary>
        public ReplayResponse TextsThenSilence => Provider == "asksage"
            ? ReplayResponse.Json(200, """{"message":"Hi","response":"OK","status":200,"usage":{"model_tokens":{"prompt_tokens":3,"completion_tokens":1}}}""")
            : new ReplayResponse
            {
                HangAfterParts = true,
                Parts = [Encoding.UTF8.GetBytes(Provider switch
                {
                    "openai-native" or "openai-codex" =>
                        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\",\"sequence_number\":1}\n\n",
                    "vertex/gemini" or "sapaicore/gemini" =>
                        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n",
                    "vertex/claude" or "sapaicore/invoke" =>
                        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n"
                        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"Hi\"}}\n\n",
                    "sapaicore/converse" =>
                        "data: {\"messageStart\":{\"role\":\"assistant\"}}\n\ndata: {\"contentBlockDelta\":{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}}\n\n",
                    "sapaicore/orchestration" =>
                        "data: {\"final_result\":{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}}\n\n",
                    "dify" =>
                        "event: message\ndata: {\"event\":\"message\",\"conversation_id\":\"c1\",\"message_id\":\"m1\",\"answer\":\"Hi\"}\n\n",
                    "ollama" =>
                        "{\"model\":\"llama3.2\",\"created_at\":\"2026-11-20T09:14:02Z\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n",
                    _ => "data: {\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\n\n",
                })],
            };

        private IApiHandler Create() => Provider switch
        {
            "openai-native" => ProviderRegistry.Create(
                "openai-native",
                ProviderSettings.Parse($$"""{"openAiNativeApiKey":"sk-test","openAiNativeBaseUrl":"{{new Uri(Api.BaseUri, "v1")}}"}"""),
                Mode.Act,
                o => Clock.Attach(o)),
            "vertex/gemini" or "vertex/claude" => new VertexHandler(Clock.Attach(new VertexOptions
            {
                BaseUrl = Api.BaseUri,
                ProjectId = "my-project",
                Region = "us-east5",
                AccessToken = "ya29.test",
                ModelId = Provider == "vertex/claude" ? "claude-sonnet-4-5@20250929" : VertexOptions.DefaultModelId,
            })),
            "dify" => new DifyHandler(Clock.Attach(new DifyOptions { ApiKey = "app-test-key", BaseUrl = new Uri(Api.BaseUri, "v1") })),
            "ollama" => new OllamaHandler(Clock.Attach(new OllamaOptions { BaseUrl = Api.BaseUri, ModelId = "llama3.2" })),
            "asksage" => new AskSageHandler(Clock.Attach(new AskSageOptions { ApiKey = "asksage-test-key", BaseUrl = new Uri(Api.BaseUri, "server"), ModelId = "gpt-5" })),
            _ => new SapAiCoreHandler(Clock.Attach(Sap())),
        };

        private SapAiCoreOptions Sap()
        {
            var (model, deployment) = Provider switch
            {
                "sapaicore/converse" => ("anthropic--claude-4-sonnet", "d-converse"),
                "sapaicore/invoke" => ("anthropic--claude-3.5-sonnet", "d-invoke"),
                "sapaicore/gemini" => ("gemini-2.5-pro", "d-gemini"),
                "sapaicore/orchestration" => ("gpt-4o", null),
                _ => ("gpt-4o", "d-chat"),
            };
            var options = SapAiCoreTests.Options(Tokens!.BaseUri, Api.BaseUri, model, deployment, SapKey);
            options.UseOrchestrationMode = Provider == "sapaicore/orchestration";
            return options;
        }

        private IApiHandler Codex(SignInKit kit)
        {
            var credentials = new JsonObject
            {
                ["type"] = "openai-codex",
                ["access_token"] = "codex-access-0123456789",
                ["refresh_token"] = "rt_codex-refresh-0123456789",
                ["expires"] = SignInKit.UnixMsFromNow(TimeSpan.FromHours(1)),
                ["accountId"] = "acct_1",
            };
            var settings = new JsonObject
            {
                ["actModeApiProvider"] = "openai-codex",
                ["openai-codex-oauth-credentials"] = credentials.ToJsonString(),
                ["openAiCodexBaseUrl"] = new Uri(kit.Api.BaseUri, "backend-api/codex").ToString(),
                ["openAiCodexTokenUrl"] = kit.TokenUrl.ToString(),
            };
            return ProviderRegistry.Build(ProviderSettings.Parse(settings.ToJsonString()), Mode.Act, o => Clock.Attach(o));
        }

        private IApiHandler Qwen(SignInKit kit)
        {
            var credentials = JsonNode.Parse(Fixtures.Text("qwen-code/oauth_creds.json"))!.AsObject();
            credentials["expiry_date"] = SignInKit.UnixMsFromNow(TimeSpan.FromHours(1));
            credentials["resource_url"] = kit.Api.BaseUri.ToString().TrimEnd('/');
            var settings = new JsonObject
            {
                ["actModeApiProvider"] = "qwen-code",
                ["qwenCodeOauthPath"] = kit.Write("oauth_creds.json", credentials.ToJsonString()),
                ["qwenCodeTokenUrl"] = kit.TokenUrl.ToString(),
            };
            return ProviderRegistry.Build(ProviderSettings.Parse(settings.ToJsonString()), Mode.Act, o => Clock.Attach(o));
        }

        public async ValueTask DisposeAsync()
        {
            Clock.Dispose();
            if (_kit is not null)
            {
                await _kit.DisposeAsync();
                return;
            }

            await Api.DisposeAsync();
            if (Tokens is not null)
            {
                await Tokens.DisposeAsync();
            }
        }
    }
}

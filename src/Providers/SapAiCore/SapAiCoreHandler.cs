using System.Net;
using System.Text.Json;
using Providers.Anthropic;
using Providers.Bedrock;
using Providers.Gemini;
using Providers.Http;
using Providers.OpenAi;
using Providers.OpenAiCompatible;

namespace Providers.SapAiCore;

/// <summary>
/// Streams from models deployed on SAP AI Core (the generative AI hub), as Cline's deployment mode does: an OAuth 2.0
/// client-credentials token from the service key, the <c>AI-Resource-Group</c> header, the deployment that serves the
/// model (configured, or found in <c>/v2/lm/deployments</c>), then the wire format of the model's family under
/// <c>{sapAiCoreBaseUrl}/v2/inference/deployments/{id}/</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Claude 3.7 and 4.x and Amazon Nova: <c>converse-stream</c>, Bedrock's Converse body (with <c>cachePoint</c>
/// blocks for models that cache prompts), answered as Server-Sent Events of ConverseStream events, read by the Bedrock
/// decoder (<see cref="ConverseSse"/>).</item>
/// <item>Claude 3 and 3.5: <c>invoke-with-response-stream</c>, Anthropic's Messages body with
/// <c>anthropic_version: "bedrock-2023-05-31"</c>, read by the Anthropic decoder.</item>
/// <item>OpenAI models: <c>chat/completions?api-version=2024-12-01-preview</c> (reasoning models without
/// <c>max_tokens</c> and temperature, with the configured <c>reasoning_effort</c>); Perplexity and Mistral models:
/// <c>chat/completions</c>; all read by the shared Chat Completions reader.</item>
/// <item>Gemini models: <c>models/{model}:streamGenerateContent</c>, read by the Gemini reader, without thinking
/// (Cline notes SAP's Gemini deployments refuse <c>thinkingConfig</c>).</item>
/// </list>
/// Not served in deployment mode: Cohere models (their own chat stream), which fail with an error that says so.
/// <para>
/// Orchestration mode (<c>sapAiCoreUseOrchestrationMode</c>; unset means Cline's default, see <see cref="SapAiCoreOptions.UseOrchestrationMode"/>): every model goes
/// through the orchestration service, as Cline's SDK calls it: the running deployment of scenario <c>orchestration</c>
/// (found in <c>/v2/lm/deployments</c>), then <c>POST {sapAiCoreBaseUrl}/v2/inference/deployments/{id}/v2/completion</c>
/// with the model by name, the system prompt as the template, the tools in the template and the conversation as
/// <c>messages_history</c>; the stream's <c>final_result</c> chunks give text, tool calls and usage
/// (<see cref="OrchestrationStream"/>). The configured deployment id is not used in this mode.
/// </para>
/// </remarks>
[Provider("sapaicore", DisplayName = "SAP AI Core")]
[WithRetry]
public sealed partial class SapAiCoreHandler : IApiHandler
{
    private const string ProviderId = "sapaicore";
    private const string OpenAiApiVersion = "2024-12-01-preview";

    /// <summary>Cline's OpenAI reasoning models: no <c>max_tokens</c>, no temperature, a reasoning effort.</summary>
    private static readonly HashSet<string> OpenAiReasoningModels = new(StringComparer.OrdinalIgnoreCase)
    {
        "o1", "o3-mini", "o3", "o4-mini", "gpt-5", "gpt-5.2", "gpt-5.4", "gpt-5.4-nano", "gpt-5.5", "gpt-5-nano", "gpt-5-mini",
    };

    /// <summary>Cline's Claude models that go through <c>invoke-with-response-stream</c>; later ones use <c>converse-stream</c>.</summary>
    private static readonly HashSet<string> InvokeModels = new(StringComparer.OrdinalIgnoreCase)
    {
        "anthropic--claude-3.5-sonnet", "anthropic--claude-3-sonnet", "anthropic--claude-3-haiku", "anthropic--claude-3-opus",
    };

    private readonly SapAiCoreOptions _options;
    private readonly SapAiCoreSession _session;
    private readonly string _modelId;
    private readonly ModelInfo _info;
    private readonly AnthropicHandler _claude;
    private readonly InFlightRequests _inFlight = new();
    private string? _deploymentId;

    /// <summary>Creates the handler.</summary>
    /// <exception cref="ProviderConfigurationException">A credential or URL is missing; each key is named.</exception>
    public SapAiCoreHandler(SapAiCoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<SettingProblem>();
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            problems.Add(new SettingProblem("sapAiCoreClientId", "missing: set the 'clientid' of your SAP AI Core service key"));
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            problems.Add(new SettingProblem("sapAiCoreClientSecret", "missing: set the 'clientsecret' of your SAP AI Core service key"));
        }

        if (options.TokenUrl is null)
        {
            problems.Add(new SettingProblem("sapAiCoreTokenUrl", "missing: set the 'url' of your SAP AI Core service key (https://<subdomain>.authentication.<region>.hana.ondemand.com)"));
        }

        if (options.BaseUrl is null)
        {
            problems.Add(new SettingProblem("sapAiCoreBaseUrl", "missing: set 'serviceurls.AI_API_URL' of your SAP AI Core service key"));
        }

        if (problems.Count > 0)
        {
            throw new ProviderConfigurationException(ProviderId, problems);
        }

        _options = options;
        options.Secrets.Add(options.ClientSecret);
        options.Secrets.Add(options.ClientSecret.Trim()); // what the token request sends
        _session = new SapAiCoreSession(options, ProviderId);
        _modelId = string.IsNullOrWhiteSpace(options.ModelId) ? SapAiCoreOptions.DefaultModelId : options.ModelId.Trim();
        _info = ModelTable.Embedded("sapaicore").Find(_modelId) ?? OpenAiModels.SaneDefaults(_modelId);
        var claudeOptions = AnthropicOptions.For(options, thinkingBudgetTokens: 0);
        claudeOptions.Secrets.Add(options.ClientSecret);
        claudeOptions.Secrets.Add(options.ClientSecret.Trim());
        _claude = new AnthropicHandler(claudeOptions, new InvokeEndpoint(this), _modelId);
    }

    /// <summary>The wire format a model is reached with.</summary>
    internal enum Route
    {
        Converse,
        Invoke,
        OpenAi,
        ChatCompletions,
        Gemini,
        Orchestration,
        Unsupported,
    }

    /// <inheritdoc />
    public ApiHandlerModel GetModel() => new(_modelId, _info);

    /// <summary>Cancels the requests in flight: their streams end with <see cref="OperationCanceledException"/>, without a retry.</summary>
    public void Abort() => _inFlight.AbortAll();

    /// <summary>The route of <paramref name="modelId"/>: Cline's lists, and the vendor prefix for ids they do not name.</summary>
    internal static Route RouteOf(string modelId)
    {
        var id = modelId.ToLowerInvariant();
        return id switch
        {
            _ when InvokeModels.Contains(id) => Route.Invoke,
            _ when id.StartsWith("anthropic--", StringComparison.Ordinal) || id.StartsWith("amazon--", StringComparison.Ordinal) => Route.Converse,
            _ when id.StartsWith("gpt-", StringComparison.Ordinal) || OpenAiReasoningModels.Contains(id) => Route.OpenAi,
            _ when id.StartsWith("sonar", StringComparison.Ordinal) || id.StartsWith("mistralai--", StringComparison.Ordinal) => Route.ChatCompletions,
            _ when id.StartsWith("gemini-", StringComparison.Ordinal) => Route.Gemini,
            _ => Route.Unsupported,
        };
    }

    /// <summary>The Converse body. Internal for request-shape tests.</summary>
    internal ConverseStreamRequest ConverseBody(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools)
    {
        var cache = _info.SupportsPromptCache;
        return new ConverseStreamRequest
        {
            Messages = BedrockMessageConverter.Messages(messages, cache),
            System = BedrockMessageConverter.System(systemPrompt, cache),
            // Claude Opus 4.7 takes no temperature (Cline leaves it out); the others get 0, as in Cline.
            InferenceConfig = new InferenceConfig
            {
                MaxTokens = _info.MaxTokens,
                Temperature = _modelId.Equals("anthropic--claude-4.7-opus", StringComparison.OrdinalIgnoreCase) ? null : 0,
            },
            ToolConfig = BedrockMessageConverter.Tools(tools),
        };
    }

    /// <summary>The Chat Completions body. Internal for request-shape tests.</summary>
    internal ChatCompletionsRequest ChatBody(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools)
    {
        var reasoning = OpenAiReasoningModels.Contains(_modelId);
        var perplexity = _modelId.StartsWith("sonar", StringComparison.OrdinalIgnoreCase);
        return new ChatCompletionsRequest
        {
            Model = _modelId,
            Messages = OpenAiMessageConverter.ToChatMessages(systemPrompt, "system", messages),
            Tools = OpenAiHandler.ToWireTools(tools),
            ToolChoice = tools is { Count: > 0 } ? "auto" : null,
            Temperature = reasoning ? null : 0,
            MaxTokens = reasoning || perplexity ? null : _info.MaxTokens,
            ReasoningEffort = reasoning && !string.IsNullOrWhiteSpace(_options.ReasoningEffort) ? _options.ReasoningEffort.Trim().ToLowerInvariant() : null,
        };
    }

    /// <remarks>
    /// Not an iterator: at the first <c>MoveNextAsync</c>, under the in-flight registration, the call finds the deployment
    /// (and whether orchestration serves), then sends the route's request; from then on the route's stream is handed
    /// straight through. A 401 from that first step makes the session forget its token, so the next attempt fetches one.
    /// </remarks>
    private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        CancellationToken cancellationToken) =>
        HttpStreamCall.Defer(_inFlight, token => OpenAsync(systemPrompt, messages, tools, token), ForgetRefusedToken, cancellationToken);

    private void ForgetRefusedToken(ProviderException ex)
    {
        if (ex.StatusCode == HttpStatusCode.Unauthorized)
        {
            // A token revoked before its time: the next attempt fetches a new one.
            _session.ForgetToken();
        }
    }

    private async ValueTask<IAsyncEnumerable<ApiStreamChunk>> OpenAsync(
        string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, CancellationToken cancellationToken)
    {
        var (orchestration, listed) = _options.UseOrchestrationMode switch
        {
            true => (await _session.OrchestrationDeploymentAsync(cancellationToken).ConfigureAwait(false), null),
            false => (null, null),
            null => await _session.DefaultOrchestrationDeploymentAsync(cancellationToken).ConfigureAwait(false),
        };
        var route = orchestration is not null ? Route.Orchestration : RouteOf(_modelId);
        if (route == Route.Unsupported)
        {
            throw new ProviderException(
                ProviderId,
                $"The model '{_modelId}' is not served by this provider's SAP AI Core routes (Claude, Amazon Nova, OpenAI, Gemini, Perplexity and Mistral models are). Choose one of those in 'planModeApiModelId' / 'actModeApiModelId'.",
                isRetryable: false)
            { ErrorType = "unsupported_model" };
        }

        _deploymentId = orchestration ?? await _session.DeploymentForAsync(_modelId, cancellationToken, listed).ConfigureAwait(false);
        if (route == Route.Invoke)
        {
            return _claude.StreamOnceAsync(systemPrompt, messages, tools, RequestOverrides.None, cancellationToken);
        }

        var request = route switch
        {
            Route.Orchestration => ProviderHttp.JsonStreamPost(
                InferenceUri("v2/completion"),
                JsonSerializer.SerializeToUtf8Bytes(OrchestrationBody(systemPrompt, messages, tools), SapOrchestrationJsonContext.Default.OrchestrationRequest)),
            Route.Converse => ProviderHttp.JsonStreamPost(
                InferenceUri("converse-stream"),
                JsonSerializer.SerializeToUtf8Bytes(ConverseBody(systemPrompt, messages, tools), BedrockJsonContext.Default.ConverseStreamRequest)),
            Route.Gemini => GeminiCore.Request(InferenceUri($"models/{Uri.EscapeDataString(_modelId)}:streamGenerateContent"), GeminiBody(systemPrompt, messages, tools)),
            _ => ProviderHttp.JsonStreamPost(
                InferenceUri(route == Route.OpenAi ? "chat/completions?api-version=" + OpenAiApiVersion : "chat/completions"),
                ChatBody(systemPrompt, messages, tools).ToUtf8Json()),
        };
        return await AuthorizedRequest.SendAsync(request, _session.AuthorizeAsync, (r, token) => Describe(route, r, token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The call of a route's request: its secrets, its error reader, and the reader of its body.</summary>
    private HttpStreamRequest Describe(Route route, HttpRequestMessage request, string token)
    {
        IReadOnlyList<string?> secrets = [token, _options.ClientSecret];
        return route switch
        {
            Route.Orchestration => ChatCompletionsCall.Request(
                request, ProviderId, _options, secrets, (stream, ct) => OrchestrationStream.ReadAsync(stream, ProviderId, _options, _info, ct)),
            Route.Converse => new HttpStreamRequest(request, ProviderId, _options, secrets, ReadConverse) { ParseError = BedrockErrors.Parse },
            Route.Gemini => GeminiCore.StreamRequest(request, GeminiModel, ProviderId, _options, secrets),
            _ => ChatCompletionsCall.Request(
                request, ProviderId, _options, secrets, (stream, ct) => ChatCompletionsStream.ReadAsync(stream, ProviderId, _options, _info, new ChatStreamState(), ct)),
        };
    }

    private IAsyncEnumerable<ApiStreamChunk> ReadConverse(Stream body, CancellationToken cancellationToken) =>
        BedrockStreamDecoder.DecodeAllAsync(
            StreamReaders.ReadSseAsync(body, ConverseSse.Parse, ProviderId, _options, cancellationToken),
            new BedrockModel(_info, SupportsGlobalEndpoint: false),
            ProviderId,
            cancellationToken);

    private Uri InferenceUri(string path) =>
        new($"{_session.Root}/v2/inference/deployments/{Uri.EscapeDataString(_deploymentId!)}/{path}");

    /// <summary>The orchestration body. Internal for request-shape tests.</summary>
    internal OrchestrationRequest OrchestrationBody(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools) =>
        OrchestrationStream.Body(_modelId, systemPrompt, messages, tools);

    /// <summary>A Gemini deployment's model: SAP's Gemini deployments refuse <c>thinkingConfig</c>, so it never thinks.</summary>
    private GeminiModel GeminiModel => new(_modelId, _info, GeminiThinking.None);

    /// <summary>The Gemini body: temperature 0 and the model's output limit, as Cline sends.</summary>
    private GenerateContentRequest GeminiBody(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools) =>
        GeminiCore.Body(
            GeminiModel, systemPrompt, messages, tools, new RequestOverrides { Temperature = 0, MaxOutputTokens = _info.MaxTokens }, thinkingBudget: 0, reasoningEffort: null);

    /// <summary>Anthropic's Messages API behind a deployment's <c>invoke-with-response-stream</c>.</summary>
    private sealed class InvokeEndpoint(SapAiCoreHandler owner) : AnthropicEndpoint
    {
        public override string ProviderId => SapAiCoreHandler.ProviderId;

        public override string BodyVersion => "bedrock-2023-05-31";

        public override AnthropicModel Resolve(string modelId) =>
            new(modelId, owner._info, OneMillionContext: false, ClaudeThinking.None, TakesExtraHighEffort: false);

        // Before the first request the deployment is not known yet; each request asks again once it is.
        public override Uri UriFor(AnthropicModel model) => owner._deploymentId is null
            ? new Uri(owner._session.Root + "/v2/inference/deployments")
            : owner.InferenceUri("invoke-with-response-stream");

        public override ValueTask<string> AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            owner._session.AuthorizeAsync(request, cancellationToken);
    }
}

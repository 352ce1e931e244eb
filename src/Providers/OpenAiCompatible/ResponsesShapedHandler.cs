using System.Text.Json;
using Providers.Http;
using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>
/// The settings a provider backed by OpenAI's Responses API (<c>openai-native</c>, <c>openai-codex</c>) has in common,
/// each under its provider's own Cline keys; <see cref="ResponsesShapedHandler{TOptions}"/> reads them through this interface.
/// </summary>
public interface IResponsesShapedOptions
{
    /// <summary>Replaces the provider's API base; <c>/responses</c> is appended.</summary>
    Uri? BaseUrl { get; }

    /// <summary>The configured model id; the provider's default when unset.</summary>
    string? ModelId { get; }

    /// <summary>The reasoning effort of reasoning models; the <c>openai</c> provider's default when unset.</summary>
    string? ReasoningEffort { get; }
}

/// <summary>
/// The shared core of the providers that speak OpenAI's Responses API (<c>POST {base}/responses</c>) with a model table
/// of their own: the configured model and its info, the per-request overrides, the in-flight registry behind
/// <see cref="Abort"/>, and the request and stream of the <c>openai</c> provider's Responses path. A member declares its
/// default model and base URL, how it finds a model's info, which overrides it takes, and how it sends (credentials
/// and headers).
/// </summary>
/// <typeparam name="TOptions">The member's options.</typeparam>
public abstract class ResponsesShapedHandler<TOptions>
    where TOptions : ProviderOptions, IResponsesShapedOptions
{
    private readonly InFlightRequests _inFlight = new();
    private readonly string _defaultModelId;
    private readonly Uri _defaultBaseUrl;

    private protected ResponsesShapedHandler(string providerId, string defaultModelId, Uri defaultBaseUrl, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ProviderId = providerId;
        _defaultModelId = defaultModelId;
        _defaultBaseUrl = defaultBaseUrl;
        Options = options;
        Responses = new OpenAiHandler(new OpenAiOptions { ApiKey = "", ModelId = options.ModelId, ReasoningEffort = options.ReasoningEffort, UseResponsesApi = true });
    }

    /// <summary>The options the registry bound (the member keeps them in its own field too, for its generated retry).</summary>
    private protected TOptions Options { get; }

    private protected string ProviderId { get; }

    /// <summary>The <c>openai</c> provider's Responses request builder, configured with the member's model and effort (it sends nothing itself).</summary>
    private protected OpenAiHandler Responses { get; }

    /// <summary>The configured model (else the member's default) with the member's info for it.</summary>
    public ApiHandlerModel GetModel()
    {
        var id = string.IsNullOrWhiteSpace(Options.ModelId) ? _defaultModelId : Options.ModelId.Trim();
        return new ApiHandlerModel(id, InfoOf(id));
    }

    /// <summary>The per-request overrides this configuration takes; the others are dropped.</summary>
    public abstract RequestOverrideKinds SupportedOverrides { get; }

    /// <summary>Cancels the requests in flight: their streams end with <see cref="OperationCanceledException"/>, without a retry.</summary>
    public void Abort() => _inFlight.AbortAll();

    /// <summary>Seam: the info of a model id, from the member's table and the <c>openai</c> table.</summary>
    private protected abstract ModelInfo InfoOf(string modelId);

    /// <summary>Seam: the request body; by default the <c>openai</c> provider's Responses body.</summary>
    private protected virtual ResponsesRequest BuildRequest(
        ApiHandlerModel model, string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides) =>
        Responses.BuildResponsesRequest(model, systemPrompt, messages, tools, overrides);

    /// <summary>Seam: sends <paramref name="body"/> to <paramref name="url"/> with the member's credentials, usually through <see cref="Post"/>.</summary>
    private protected abstract IAsyncEnumerable<ApiStreamChunk> SendAsync(Uri url, byte[] body, ApiHandlerModel model, CancellationToken cancellationToken);

    /// <summary>
    /// Streams one request: the Core a member's generated <c>CreateMessageAsync</c> calls and retries, inherited, so a
    /// member declares no forward. Not an iterator: the body is built at the first <c>MoveNextAsync</c>, under the
    /// in-flight registration, and the member's stream is handed straight through.
    /// </summary>
    private protected IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        CancellationToken cancellationToken) =>
        HttpStreamCall.Hold(_inFlight, token => Open(systemPrompt, messages, tools, overrides, token), cancellationToken);

    private IAsyncEnumerable<ApiStreamChunk> Open(
        string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        overrides = overrides.Only(SupportedOverrides);
        var model = ModelSelection.For(GetModel(), overrides, InfoOf);
        var body = JsonSerializer.SerializeToUtf8Bytes(BuildRequest(model, systemPrompt, messages, tools, overrides), OpenAiJsonContext.Default.ResponsesRequest);
        var url = new Uri((Options.BaseUrl ?? _defaultBaseUrl).GetLeftPart(UriPartial.Path).TrimEnd('/') + "/responses");
        return SendAsync(url, body, model, cancellationToken);
    }

    /// <summary>
    /// Posts <paramref name="body"/> with <paramref name="bearer"/> (kept out of errors) and the member's extra headers,
    /// and reads the Responses stream.
    /// </summary>
    private protected IAsyncEnumerable<ApiStreamChunk> Post(
        Uri url, byte[] body, string bearer, ApiHandlerModel model, Action<HttpRequestMessage>? addHeaders, CancellationToken cancellationToken)
    {
        var request = ProviderHttp.JsonStreamPost(url, body);
        ProviderHttp.SetBearer(request, bearer);
        addHeaders?.Invoke(request);
        var info = model.Info;
        return HttpStreamCall.Send(
            ChatCompletionsCall.Request(request, ProviderId, Options, [bearer], (stream, token) => ResponsesStream.ReadAsync(stream, ProviderId, Options, info, token)),
            cancellationToken);
    }
}

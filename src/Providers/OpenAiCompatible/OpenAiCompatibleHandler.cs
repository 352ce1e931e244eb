using System.Runtime.CompilerServices;
using System.Text.Json;
using Providers.Http;
using Providers.OAuth;
using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>
/// The shared core of the OpenAI-compatible family: Chat Completions at <c>{base}/chat/completions</c> with a bearer
/// key, streamed and read by the same reader as the <c>openai</c> provider. A member is a short declaration: its
/// options (its Cline keys), a <see cref="OpenAiCompatibleProfile"/> (id, base URL, default model, model table,
/// request defaults) and an override of a seam for each true quirk of its API.
/// </summary>
/// <typeparam name="TOptions">The member's options.</typeparam>
/// <remarks>
/// Per-request overrides: <see cref="RequestOverrides.ModelId"/> (its info from the table, or neutral defaults),
/// <see cref="RequestOverrides.MaxOutputTokens"/> as <c>max_tokens</c>, <see cref="RequestOverrides.Temperature"/>;
/// a member whose API takes a reasoning effort adds <see cref="RequestOverrideKinds.ReasoningEffort"/>.
/// </remarks>
public abstract class OpenAiCompatibleHandler<TOptions>
    where TOptions : ProviderOptions, IOpenAiCompatibleOptions
{
    private readonly InFlightRequests _inFlight = new();

    private protected OpenAiCompatibleHandler(OpenAiCompatibleProfile profile) => DeclaredProfile = profile;

    /// <summary>The options the registry bound; the member holds them, so its generated retry reads them too.</summary>
    protected abstract TOptions Options { get; }

    /// <summary>What this member declares; a member whose profile depends on the options (a regional API line) overrides it.</summary>
    private protected virtual OpenAiCompatibleProfile Profile => DeclaredProfile;

    private protected OpenAiCompatibleProfile DeclaredProfile { get; }

    /// <summary>The configured model (or the default) with the configured info, else the table's, else neutral defaults without prices.</summary>
    public ApiHandlerModel GetModel()
    {
        var id = string.IsNullOrWhiteSpace(Options.ModelId) ? Profile.DefaultModelId ?? "" : Options.ModelId.Trim();
        return new ApiHandlerModel(id, Options.ModelInfo ?? InfoOf(id));
    }

    /// <summary>The model, the output limit and the temperature; see the class remarks.</summary>
    public virtual RequestOverrideKinds SupportedOverrides =>
        RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens | RequestOverrideKinds.Temperature;

    /// <summary>The base URL requests go to: the configured override, else the profile's; without a trailing slash.</summary>
    internal string BaseUrl() => (Options.BaseUrl ?? Profile.BaseUrl).GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>Cancels the requests in flight: their streams end with <see cref="OperationCanceledException"/>, without a retry.</summary>
    public void Abort() => _inFlight.AbortAll();

    /// <summary>
    /// Streams one Chat Completions request: the Core a member's generated <c>CreateMessageAsync</c> calls and retries,
    /// inherited as a user's handler inherits a Core from its own base class, so a member declares no forward. Not an
    /// iterator: the call runs under the in-flight registration and hands the reader's chunks straight through.
    /// </summary>
    private protected IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        CancellationToken cancellationToken) =>
        RefreshesOnUnauthorized
            ? HttpStreamCall.Defer(_inFlight, token => SignedInStreamAsync(systemPrompt, messages, tools, overrides, token), startFailed: null, cancellationToken)
            : HttpStreamCall.Run(_inFlight, token => PrepareAsync(systemPrompt, messages, tools, overrides, token), cancellationToken);

    private async ValueTask<HttpStreamRequest> PrepareAsync(
        string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, CancellationToken cancellationToken)
    {
        var (model, body) = await BodyAsync(systemPrompt, messages, tools, overrides, cancellationToken).ConfigureAwait(false);
        return Request(body, model, await AuthorizeAsync(null, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The body, then the request signed in by <see cref="SignedInRequest"/> (sent again once after a 401, with a refreshed token).</summary>
    private async ValueTask<IAsyncEnumerable<ApiStreamChunk>> SignedInStreamAsync(
        string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, CancellationToken cancellationToken)
    {
        var (model, body) = await BodyAsync(systemPrompt, messages, tools, overrides, cancellationToken).ConfigureAwait(false);
        return SignedInRequest.StreamAsync<Access>(
            AuthorizeAsync, access => HttpStreamCall.Send(Request(body, model, access), cancellationToken), cancellationToken);
    }

    private async ValueTask<(ApiHandlerModel Model, byte[] Body)> BodyAsync(
        string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        overrides = overrides.Only(SupportedOverrides);
        var model = await DescribeAsync(ModelSelection.For(GetModel(), overrides, InfoOf), cancellationToken).ConfigureAwait(false);
        return (model, BuildRequest(model, systemPrompt, messages, tools, overrides).ToUtf8Json());
    }

    /// <summary>The request body. Seams: <see cref="ToMessages"/> and <see cref="Customize"/>.</summary>
    internal ChatCompletionsRequest BuildRequest(
        ApiHandlerModel model, string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides)
    {
        var request = new ChatCompletionsRequest
        {
            Model = WireModelId(model),
            Messages = ToMessages(systemPrompt, messages, model),
            Tools = OpenAiHandler.ToWireTools(tools),
            ToolChoice = tools is { Count: > 0 } ? "auto" : null,
            Temperature = overrides.Temperature ?? Profile.Temperature,
            MaxTokens = overrides.MaxOutputTokens
                ?? (Options.ModelInfo?.MaxTokens is > 0 and var configured && model.Id == GetModel().Id ? configured : Profile.MaxTokens),
        };
        Customize(request, model, overrides);
        return request;
    }

    /// <summary>Seam: the model id the server is sent (a member whose ids carry a client-side suffix).</summary>
    private protected virtual string WireModelId(ApiHandlerModel model) => model.Id;

    /// <summary>Seam: the wire messages (a member whose models want merged roles or earlier reasoning sent back).</summary>
    private protected virtual List<WireMessage> ToMessages(string systemPrompt, IReadOnlyList<ChatMessage> messages, ApiHandlerModel model) =>
        OpenAiMessageConverter.ToChatMessages(systemPrompt, "system", messages);

    /// <summary>Seam: the member's additions to the body (reasoning effort, thinking switches).</summary>
    private protected virtual void Customize(ChatCompletionsRequest request, ApiHandlerModel model, RequestOverrides overrides)
    {
    }

    /// <summary>Seam: headers beyond the bearer key and the profile's fixed ones.</summary>
    private protected virtual void AddHeaders(HttpRequestMessage request)
    {
    }

    /// <summary>Where a request goes (base URL without a trailing slash) and the bearer token it carries.</summary>
    private protected readonly record struct Access(string BaseUrl, string? BearerToken);

    /// <summary>
    /// Seam: the base URL and bearer token of a request; by default the configured ones. A member signed in with OAuth
    /// reads them from its credentials; <paramref name="rejected"/> (after a 401) is the access the server refused.
    /// </summary>
    private protected virtual ValueTask<Access> AuthorizeAsync(Access? rejected, CancellationToken cancellationToken) => ValueTask.FromResult(new Access(BaseUrl(), Options.ApiKey));

    /// <summary>Seam: whether a 401 before any output is answered by one <see cref="AuthorizeAsync"/> with a refresh, and the request sent again.</summary>
    private protected virtual bool RefreshesOnUnauthorized => false;

    /// <summary>Seam: usage as the member's API reports it.</summary>
    private protected virtual UsageChunk ToUsage(ChatUsage usage, ModelInfo modelInfo) => ChatCompletionsStream.ToUsage(usage, modelInfo);

    /// <summary>Seam: what is known about the model before the request (a member that can ask its server for prices).</summary>
    private protected virtual ValueTask<ApiHandlerModel> DescribeAsync(ApiHandlerModel model, CancellationToken cancellationToken) => ValueTask.FromResult(model);

    /// <summary>Seam: whether a reasoning delta of <paramref name="model"/> is shown (some models stream only a placeholder).</summary>
    private protected virtual bool ShowsReasoning(ApiHandlerModel model) => true;

    private ModelInfo InfoOf(string modelId) => Profile.Models.Find(modelId) ?? OpenAiModels.SaneDefaults(modelId);

    private HttpStreamRequest Request(byte[] body, ApiHandlerModel model, Access access)
    {
        var profile = Profile;
        var request = ProviderHttp.JsonStreamPost(new Uri(access.BaseUrl + "/chat/completions"), body);
        ProviderHttp.SetBearer(request, access.BearerToken);
        ProviderHttp.AddHeaders(request, profile.Headers);
        AddHeaders(request);
        var showsReasoning = ShowsReasoning(model);
        return ChatCompletionsCall.Request(request, profile.Id, Options, [access.BearerToken], (stream, token) =>
        {
            var chunks = ChatCompletionsStream.ReadAsync(stream, profile.Id, Options, model.Info, new ChatStreamState(), token, ToUsage);
            if (profile.ThinkTags)
            {
                chunks = ThinkTags.SplitAsync(chunks, token);
            }

            return showsReasoning ? chunks : WithoutReasoning(chunks);
        });
    }

    private static async IAsyncEnumerable<ApiStreamChunk> WithoutReasoning(IAsyncEnumerable<ApiStreamChunk> chunks)
    {
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            if (chunk is not ReasoningChunk)
            {
                yield return chunk;
            }
        }
    }
}

using System.Net.Http.Headers;
using Providers.Anthropic;
using Providers.Gemini;

namespace Providers.Vertex;

/// <summary>
/// Streams from Google Cloud Vertex AI: Claude through Anthropic's publisher endpoint
/// (<c>publishers/anthropic/models/{model}:streamRawPredict</c>, Anthropic's body with <c>anthropic_version:
/// vertex-2023-10-16</c> and no <c>model</c>), and Gemini through Google's
/// (<c>publishers/google/models/{model}:streamGenerateContent?alt=sse</c>). The Claude side is the <c>anthropic</c>
/// provider's request and stream code, the Gemini side the <c>gemini</c> provider's; only URLs, credentials and model
/// tables are Vertex's own.
/// </summary>
/// <remarks>
/// A model id that names Claude goes to Anthropic's endpoint, any other to Google's (Cline's rule). Credentials: an
/// OAuth access token (<see cref="VertexOptions.AccessToken"/>) or a token provider
/// (<see cref="VertexOptions.AccessTokenProvider"/>), sent as <c>Authorization: Bearer</c>.
/// </remarks>
[Provider("vertex", DisplayName = "Google Vertex AI")]
[WithRetry]
public sealed partial class VertexHandler : IApiHandlerWithOverrides
{
    private const string ProviderId = "vertex";
    private const string DefaultClaudeModelId = "claude-sonnet-4-5@20250929";
    private readonly VertexOptions _options;
    private readonly string _modelId;
    private readonly string _root;
    private readonly GeminiModel? _gemini;
    private readonly AnthropicHandler _claude;
    private readonly Http.InFlightRequests _inFlight = new();

    /// <summary>Creates the handler.</summary>
    /// <exception cref="ProviderConfigurationException">The project, the region or the credentials are missing or invalid.</exception>
    public VertexHandler(VertexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<SettingProblem>();
        if (string.IsNullOrWhiteSpace(options.ProjectId) || !IsName(options.ProjectId.Trim(), allowDotsAndColons: true))
        {
            problems.Add(new SettingProblem("vertexProjectId", string.IsNullOrWhiteSpace(options.ProjectId)
                ? "missing: set the Google Cloud project id (console.cloud.google.com, the project picker)"
                : "must be a Google Cloud project id: lower-case letters, digits, hyphens (and a domain prefix with ':')"));
        }

        if (string.IsNullOrWhiteSpace(options.Region) || !IsName(options.Region.Trim(), allowDotsAndColons: false))
        {
            problems.Add(new SettingProblem("vertexRegion", string.IsNullOrWhiteSpace(options.Region)
                ? "missing: set the Vertex AI region, for example us-east5, europe-west1 or global"
                : "must be a region name such as us-east5 or global: lower-case letters, digits and hyphens"));
        }

        if (string.IsNullOrWhiteSpace(options.AccessToken) && options.AccessTokenProvider is null)
        {
            problems.Add(new SettingProblem("vertexAccessToken", "missing: set an OAuth access token (gcloud auth print-access-token), or set VertexOptions.AccessTokenProvider in code (Providers.Vertex.GoogleAuth reads application default credentials and service-account key files)"));
        }

        GeminiCore.CheckThinkingBudget(options.ThinkingBudgetTokens, problems);

        if (problems.Count > 0)
        {
            throw new ProviderConfigurationException(ProviderId, problems);
        }

        _options = options;
        var region = options.Region.Trim();
        _root = (options.BaseUrl ?? DefaultRoot(region)).GetLeftPart(UriPartial.Path).TrimEnd('/');
        _modelId = string.IsNullOrWhiteSpace(options.ModelId) ? VertexOptions.DefaultModelId : options.ModelId.Trim();
        _gemini = VertexClaudeModels.IsClaude(_modelId) ? null : GeminiModels.ResolveVertex(_modelId);
        var claudeOptions = AnthropicOptions.For(options, options.ThinkingBudgetTokens);
        _claude = new AnthropicHandler(claudeOptions, new ClaudeEndpoint(this), _gemini is null ? _modelId : DefaultClaudeModelId);
    }

    /// <inheritdoc />
    public ApiHandlerModel GetModel() => _gemini is null ? _claude.GetModel() : new(_gemini.Id, _gemini.Info);

    /// <summary>Those of the <c>anthropic</c> provider for a Claude model, those of the <c>gemini</c> provider for a Gemini one.</summary>
    public RequestOverrideKinds SupportedOverrides => _gemini is null
        ? _claude.SupportedOverrides
        : RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens | RequestOverrideKinds.Temperature
          | (_gemini.Thinking.Kind == GeminiThinkingKind.None ? RequestOverrideKinds.None : RequestOverrideKinds.ReasoningEffort);

    /// <summary>Cancels the requests in flight: their streams end with <see cref="OperationCanceledException"/>, without a retry.</summary>
    public void Abort() => _inFlight.AbortAll();

    /// <remarks>
    /// Not an iterator: the call registers, chooses the endpoint and (for Gemini) fetches the token at the first
    /// <c>MoveNextAsync</c>, then hands the stream's chunks straight through. Claude goes through the inner
    /// <c>anthropic</c> handler, whose own call runs on this call's token, so <see cref="Abort"/> reaches it.
    /// </remarks>
    private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        CancellationToken cancellationToken) =>
        Http.HttpStreamCall.Defer(_inFlight, token => OpenAsync(systemPrompt, messages, tools, overrides, token), startFailed: null, cancellationToken);

    private async ValueTask<IAsyncEnumerable<ApiStreamChunk>> OpenAsync(
        string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        overrides = overrides.Only(SupportedOverrides);
        var modelId = string.IsNullOrWhiteSpace(overrides.ModelId) ? _modelId : overrides.ModelId.Trim();
        if (VertexClaudeModels.IsClaude(modelId))
        {
            return _claude.StreamOnceAsync(systemPrompt, messages, tools, overrides with { ModelId = modelId }, cancellationToken);
        }

        var model = string.IsNullOrWhiteSpace(overrides.ModelId) && _gemini is not null ? _gemini : GeminiModels.ResolveVertex(modelId);
        var body = GeminiCore.Body(model, systemPrompt, messages, tools, overrides, _options.ThinkingBudgetTokens, _options.ReasoningEffort);
        var request = GeminiCore.Request(PublisherUri("google", model.Id, "streamGenerateContent?alt=sse"), body);
        return await Http.AuthorizedRequest.SendAsync(
            request, AuthorizeAsync, (r, token) => GeminiCore.StreamRequest(r, model, ProviderId, _options, [token]), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The API root of <paramref name="region"/>: regional hosts, and one host without a region prefix for <c>global</c>.</summary>
    internal static Uri DefaultRoot(string region) =>
        new(region == "global" ? "https://aiplatform.googleapis.com" : $"https://{region}-aiplatform.googleapis.com");

    /// <summary><c>{root}/v1/projects/{project}/locations/{region}/publishers/{publisher}/models/{model}:{method}</c>.</summary>
    private Uri PublisherUri(string publisher, string modelId, string method) => new(
        $"{_root}/v1/projects/{Segment(_options.ProjectId.Trim())}/locations/{Segment(_options.Region.Trim())}"
        + $"/publishers/{publisher}/models/{Segment(modelId)}:{method}");

    private async ValueTask<string> AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = !string.IsNullOrWhiteSpace(_options.AccessToken)
            ? _options.AccessToken.Trim()
            : await _options.AccessTokenProvider!(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ProviderException(ProviderId, "The Vertex AI access token provider returned no token; check the Google credentials.", isRetryable: false)
            { ErrorType = "no_access_token" };
        }

        // A line break would inject headers (and makes the header parser throw): a settings error, before anything is sent.
        if (token.Any(char.IsControl))
        {
            throw new ProviderConfigurationException(
                ProviderId,
                [new SettingProblem("vertexAccessToken", "the token contains a line break or another control character, which would let it inject headers; copy the token again")]);
        }

        // Claude models send through the inner Anthropic handler's options: record the token here too, for what this handler reports.
        _options.Secrets.Add(token);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return token;
    }

    // Vertex ids carry '@' (claude-sonnet-4-5@20250929), which a path may hold as is.
    private static string Segment(string value) => Uri.EscapeDataString(value).Replace("%40", "@", StringComparison.Ordinal);

    private static bool IsName(string value, bool allowDotsAndColons) =>
        value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-' || (allowDotsAndColons && c is '.' or ':'));

    /// <summary>Anthropic's Messages API as Vertex AI serves it.</summary>
    private sealed class ClaudeEndpoint(VertexHandler owner) : AnthropicEndpoint
    {
        public override string ProviderId => VertexHandler.ProviderId;

        public override string BodyVersion => "vertex-2023-10-16";

        public override AnthropicModel Resolve(string modelId) => VertexClaudeModels.Resolve(modelId);

        public override Uri UriFor(AnthropicModel model) => owner.PublisherUri("anthropic", model.WireId, "streamRawPredict");

        public override ValueTask<string> AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            owner.AuthorizeAsync(request, cancellationToken);
    }
}

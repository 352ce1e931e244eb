using Providers.Http;
using Providers.OAuth;
using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>openai-codex</c> provider, under Cline's keys.</summary>
public sealed class OpenAiCodexOptions : ProviderOptions, IResponsesShapedOptions
{
    /// <summary>
    /// The ChatGPT sign-in as Cline stores it (secret <c>openai-codex-oauth-credentials</c>): the JSON
    /// <c>{"type":"openai-codex","access_token","refresh_token","expires","accountId"}</c>. Unset: read from Cline's
    /// secrets file (<see cref="SecretsPath"/>).
    /// </summary>
    [Secret, SettingKey(OpenAiCodexCredentials.SecretKey)] public string? Credentials { get; set; }

    /// <summary>
    /// Cline's secrets file, read when <see cref="Credentials"/> is unset and written back after a refresh (setting
    /// <c>openAiCodexSecretsPath</c>); <c>~/</c> is the home folder. Default <c>~/.cline/data/secrets.json</c>.
    /// </summary>
    [SettingKey("openAiCodexSecretsPath")] public string? SecretsPath { get; set; }

    /// <summary>Replaces <c>https://chatgpt.com/backend-api/codex</c> (setting <c>openAiCodexBaseUrl</c>).</summary>
    [SettingKey("openAiCodexBaseUrl")] public Uri? BaseUrl { get; set; }

    /// <summary>Replaces OpenAI's OAuth token endpoint <c>https://auth.openai.com/oauth/token</c> (setting <c>openAiCodexTokenUrl</c>).</summary>
    [SettingKey("openAiCodexTokenUrl")] public Uri? TokenUrl { get; set; }

    /// <summary>The model (settings <c>planModeApiModelId</c> / <c>actModeApiModelId</c>), default <c>gpt-5.3-codex</c>.</summary>
    [PerMode, SettingKey("apiModelId")] public string? ModelId { get; set; }

    /// <summary>
    /// The reasoning effort: <c>none</c>, <c>low</c>, <c>medium</c>, <c>high</c> or <c>xhigh</c> (settings
    /// <c>planModeReasoningEffort</c> / <c>actModeReasoningEffort</c>), default <c>medium</c>; <c>none</c> sends no reasoning.
    /// </summary>
    [PerMode, SettingKey("reasoningEffort")] public string? ReasoningEffort { get; set; }
}

/// <summary>
/// The <c>openai-codex</c> provider: OpenAI's Codex models through a ChatGPT subscription, as Cline uses it. The
/// Responses API at ChatGPT's Codex backend, with the sign-in's access token, <c>ChatGPT-Account-Id</c>,
/// <c>originator: cline</c> and a <c>session_id</c> per handler; no per-token cost. Requests and streams are the
/// <c>openai</c> provider's Responses path, without the temperature and output limit the backend refuses. An expired
/// token, or one refused with 401 (once), is refreshed (see <see cref="OpenAiCodexCredentials"/>).
/// </summary>
[Provider("openai-codex", DisplayName = "OpenAI Codex (ChatGPT)")]
[WithRetry]
public sealed partial class OpenAiCodexHandler : ResponsesShapedHandler<OpenAiCodexOptions>, IApiHandlerWithOverrides
{
    private static readonly ModelTable Models = ModelTable.Embedded("openai-codex");

    private readonly OpenAiCodexOptions _options;
    private readonly OpenAiCodexCredentials _credentials;

    /// <summary>The <c>session_id</c> header: one per handler, as Cline keeps one per handler.</summary>
    private readonly string _sessionId = Guid.CreateVersion7().ToString();

    /// <summary>Creates the handler; the registry binds <paramref name="options"/> from settings.</summary>
    public OpenAiCodexHandler(OpenAiCodexOptions options)
        : base("openai-codex", "gpt-5.3-codex", new Uri("https://chatgpt.com/backend-api/codex"), options)
    {
        var problems = new OptionsProblems(Generated.ProvidersProviderFactories.OpenaiCodexDescriptor);
        if (!string.IsNullOrWhiteSpace(options.Credentials) && !OpenAiCodexCredentials.IsWellFormed(options.Credentials))
        {
            problems.Add(
                nameof(options.Credentials),
                "not the credentials JSON Cline stores ({\"type\",\"access_token\",\"refresh_token\",\"expires\",...}): copy the whole secret, or leave the setting unset to read Cline's secrets file");
        }

        problems.ThrowIfAny();
        _options = options;
        _credentials = new OpenAiCodexCredentials(options);
    }

    /// <summary>The model and the reasoning effort; the Codex backend takes no temperature or output limit.</summary>
    public override RequestOverrideKinds SupportedOverrides => RequestOverrideKinds.ModelId | RequestOverrideKinds.ReasoningEffort;

    /// <summary>The <c>openai</c> provider's Responses body, less what the Codex backend refuses; effort <c>none</c> sends no reasoning, as Cline does.</summary>
    private protected override ResponsesRequest BuildRequest(
        ApiHandlerModel model, string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides)
    {
        var request = base.BuildRequest(model, systemPrompt, messages, tools, overrides);
        request.Temperature = null;
        request.MaxOutputTokens = null;
        if (request.Reasoning?.Effort is "none")
        {
            request.Reasoning = null;
            request.Include = null;
        }

        return request;
    }

    /// <summary>With the sign-in's access token, refreshed when expired or refused once (see <see cref="SignedInRequest"/>).</summary>
    private protected override IAsyncEnumerable<ApiStreamChunk> SendAsync(Uri url, byte[] body, ApiHandlerModel model, CancellationToken cancellationToken) =>
        SignedInRequest.StreamAsync<(string Token, string? AccountId)>(
            (rejected, ct) => _credentials.GetAsync(rejected?.Token, ct),
            access => Post(url, body, access.Token, model, request => AddCodexHeaders(request, access.AccountId), cancellationToken),
            cancellationToken);

    private void AddCodexHeaders(HttpRequestMessage request, string? accountId)
    {
        request.Headers.TryAddWithoutValidation("originator", "cline");
        request.Headers.TryAddWithoutValidation("session_id", _sessionId);
        if (accountId is not null)
        {
            ProviderHttp.AddHeaders(request, [new("ChatGPT-Account-Id", accountId)]);
        }
    }

    /// <summary>Cline's table, else what the <c>openai</c> table knows; a subscription costs nothing per token either way.</summary>
    private protected override ModelInfo InfoOf(string modelId) =>
        Models.Find(modelId) ?? (OpenAiModels.Find(modelId) ?? OpenAiModels.SaneDefaults(modelId)) with
        {
            InputPrice = 0, OutputPrice = 0, CacheReadsPrice = 0, CacheWritesPrice = 0, Tiers = null,
        };
}

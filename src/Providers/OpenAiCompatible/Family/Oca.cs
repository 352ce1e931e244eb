using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Providers.Http;
using Providers.OpenAi;
using Providers.OpenRouter;

namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>oca</c> provider, under Cline's keys.</summary>
public sealed class OcaOptions : ProviderOptions, IOpenAiCompatibleOptions
{
    /// <summary>
    /// The Oracle Code Assist access token (setting <c>ocaApiKey</c>, where Cline keeps the token its Oracle IDCS sign-in
    /// obtained), sent as <c>Authorization: Bearer …</c>. This library does not run the interactive sign-in: paste a
    /// current access token. Required.
    /// </summary>
    [SettingKey("ocaApiKey")] public string? ApiKey { get; set; }

    /// <summary>Replaces the LiteLLM endpoint that <see cref="OcaMode"/> picks (setting <c>ocaBaseUrl</c>).</summary>
    [SettingKey("ocaBaseUrl")] public Uri? BaseUrl { get; set; }

    /// <summary>
    /// <c>internal</c> (the default, as in Cline) for Oracle's internal endpoint, <c>external</c> for the public one
    /// (setting <c>ocaMode</c>).
    /// </summary>
    [SettingKey("ocaMode")] public string? OcaMode { get; set; }

    /// <summary>The model (settings <c>planModeOcaModelId</c> / <c>actModeOcaModelId</c>), default <c>anthropic/claude-3-7-sonnet-20250219</c>.</summary>
    [PerMode, SettingKey("ocaModelId")] public string? ModelId { get; set; }

    /// <summary>
    /// What the OCA model list says of the model (settings <c>planModeOcaModelInfo</c> / <c>actModeOcaModelInfo</c>): its
    /// <c>maxTokens</c>, <c>temperature</c>, <c>supportsPromptCache</c> (cache breakpoints) and
    /// <c>supportsReasoningEffort</c> shape the request.
    /// </summary>
    [PerMode, SettingKey("ocaModelInfo")] public ModelInfo? ModelInfo { get; set; }

    /// <summary>The reasoning effort of models that take one (settings <c>planModeOcaReasoningEffort</c> / <c>actModeOcaReasoningEffort</c>), default <c>medium</c>.</summary>
    [PerMode, SettingKey("ocaReasoningEffort")] public string? ReasoningEffort { get; set; }

    /// <summary>The extended-thinking budget (settings <c>planModeThinkingBudgetTokens</c> / <c>actModeThinkingBudgetTokens</c>), sent as <c>thinking</c>; 0 or unset turns it off.</summary>
    [PerMode, SettingKey("thinkingBudgetTokens")] public int? ThinkingBudgetTokens { get; set; }

    /// <summary>The task id (Cline's <c>ulid</c>): LiteLLM's <c>litellm_session_id</c> is <c>cline-{ulid}</c>, and it seeds <c>opc-request-id</c>.</summary>
    [SettingKey("ulid")] public string? TaskId { get; set; }
}

/// <summary>
/// The <c>oca</c> provider: Oracle Code Assist, an OpenAI-compatible LiteLLM endpoint on Oracle Cloud. Quirks, as Cline
/// sends them: OCA's client headers (<c>client</c>, <c>client-version</c>, <c>client-ide</c>,
/// <c>client-ide-version</c>) and a fresh <c>opc-request-id</c> per request, both output-limit fields, LiteLLM's
/// <c>litellm_session_id</c>, Anthropic-style <c>thinking</c>, <c>reasoning_effort</c> and cache breakpoints where the
/// configured model info asks for them. Chat Completions only: the Responses and Anthropic Messages formats that an OCA
/// model list can name are not spoken.
/// </summary>
[Provider("oca", DisplayName = "Oracle Code Assist"), WithRetry]
public sealed partial class OcaHandler : OpenAiCompatibleHandler<OcaOptions>, IApiHandlerWithOverrides
{
    private const string DefaultModelId = "anthropic/claude-3-7-sonnet-20250219";

    private static readonly OpenAiCompatibleProfile Internal =
        new("oca", "https://code-internal.aiservice.us-chicago-1.oci.oraclecloud.com/20250206/app/litellm", DefaultModelId, "oca");

    private static readonly OpenAiCompatibleProfile External =
        Internal with { BaseUrl = new Uri("https://code.aiservice.us-chicago-1.oci.oraclecloud.com/20250206/app/litellm") };

    private static readonly string ClientVersion = ProviderHttp.UserAgent[(ProviderHttp.UserAgent.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private readonly OcaOptions _options;

    /// <summary>Creates the handler; the registry binds <paramref name="options"/> from settings.</summary>
    /// <exception cref="ProviderConfigurationException">The access token is missing.</exception>
    public OcaHandler(OcaOptions options)
        : base(Internal)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new OptionsProblems(Generated.ProvidersProviderFactories.OcaDescriptor);
        problems.AddIfBlank(
            nameof(options.ApiKey),
            options.ApiKey,
            "set it to an Oracle Code Assist access token; Cline gets one by its Oracle IDCS sign-in, which this library does not run");
        problems.ThrowIfAny();
        _options = options;
    }

    /// <inheritdoc/>
    protected override OcaOptions Options => _options;

    private protected override OpenAiCompatibleProfile Profile =>
        string.Equals(_options.OcaMode?.Trim(), "external", StringComparison.OrdinalIgnoreCase) ? External : Internal;

    private protected override List<WireMessage> ToMessages(string systemPrompt, IReadOnlyList<ChatMessage> messages, ApiHandlerModel model)
    {
        var wire = base.ToMessages(systemPrompt, messages, model);
        if (ConfiguredInfo(model)?.SupportsPromptCache == true)
        {
            CacheBreakpoints.Add(wire);
        }

        return wire;
    }

    private protected override void Customize(ChatCompletionsRequest request, ApiHandlerModel model, RequestOverrides overrides)
    {
        var info = ConfiguredInfo(model);
        var budget = _options.ThinkingBudgetTokens ?? 0;
        if (overrides.Temperature is null && info?.Temperature is { } temperature)
        {
            request.Temperature = temperature;
        }

        if (budget > 0 && IsOMini(model.Id))
        {
            // Thinking o-series models take no temperature.
            request.Temperature = null;
        }

        request.MaxCompletionTokens = request.MaxTokens;
        if (info?.SupportsReasoningEffort == true)
        {
            request.ReasoningEffort = string.IsNullOrWhiteSpace(_options.ReasoningEffort) ? "medium" : _options.ReasoningEffort.Trim().ToLowerInvariant();
        }

        request.Extra = [];
        if (budget > 0)
        {
            request.Extra["thinking"] = JsonSerializer.SerializeToElement(new OcaThinking { BudgetTokens = budget }, OcaJsonContext.Default.OcaThinking);
        }

        if (!string.IsNullOrWhiteSpace(_options.TaskId))
        {
            request.Extra["litellm_session_id"] = JsonSerializer.SerializeToElement("cline-" + _options.TaskId.Trim(), OcaJsonContext.Default.String);
        }
    }

    private protected override void AddHeaders(HttpRequestMessage request)
    {
        request.Headers.TryAddWithoutValidation("client", "Cline");
        request.Headers.TryAddWithoutValidation("client-version", ClientVersion);
        request.Headers.TryAddWithoutValidation("client-ide", "unknown");
        request.Headers.TryAddWithoutValidation("client-ide-version", "unknown");
        request.Headers.TryAddWithoutValidation("opc-request-id", OpcRequestId(_options.ApiKey ?? "", _options.TaskId?.Trim() ?? "", _options.TimeProvider.GetUtcNow()));
    }

    /// <summary>
    /// OCI's customer request id as Cline composes it, 32 hex digits: the first 4 bytes of SHA-256 of the token, the
    /// first 4 of SHA-256 of the task id, the Unix time in seconds, and 4 random bytes. It names the request in
    /// Oracle's logs without revealing the token.
    /// </summary>
    internal static string OpcRequestId(string token, string taskId, DateTimeOffset now)
    {
        var id = new StringBuilder(32);
        id.Append(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)).AsSpan(0, 4)));
        id.Append(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(taskId)).AsSpan(0, 4)));
        id.Append(((uint)now.ToUnixTimeSeconds()).ToString("x8", CultureInfo.InvariantCulture));
        id.Append(RandomNumberGenerator.GetHexString(8, lowercase: true));
        return id.ToString();
    }

    /// <summary>The configured model info, when the request is for the configured model.</summary>
    private ModelInfo? ConfiguredInfo(ApiHandlerModel model) => model.Id == GetModel().Id ? _options.ModelInfo : null;

    private static bool IsOMini(string modelId) =>
        modelId.Contains("o1-mini", StringComparison.Ordinal) || modelId.Contains("o3-mini", StringComparison.Ordinal) || modelId.Contains("o4-mini", StringComparison.Ordinal);
}

/// <summary>Anthropic-style extended thinking, as LiteLLM takes it on Chat Completions.</summary>
internal sealed class OcaThinking
{
    [JsonPropertyName("type")] public string Type { get; init; } = "enabled";

    [JsonPropertyName("budget_tokens")] public int BudgetTokens { get; init; }
}

[JsonSerializable(typeof(OcaThinking))]
[JsonSerializable(typeof(string))]
internal sealed partial class OcaJsonContext : JsonSerializerContext;

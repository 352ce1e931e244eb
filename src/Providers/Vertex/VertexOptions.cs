using System.ComponentModel.DataAnnotations;

namespace Providers.Vertex;

/// <summary>Gets a Google OAuth access token (scope <c>https://www.googleapis.com/auth/cloud-platform</c>) for a Vertex AI request.</summary>
/// <param name="cancellationToken">The request's token.</param>
public delegate ValueTask<string> VertexAccessTokenProvider(CancellationToken cancellationToken);

/// <summary>
/// Settings of the <c>vertex</c> provider (Claude and Gemini on Google Cloud Vertex AI). Cline's keys:
/// <c>vertexProjectId</c>, <c>vertexRegion</c>, <c>planModeApiModelId</c>/<c>actModeApiModelId</c>,
/// <c>planModeThinkingBudgetTokens</c>/<c>actModeThinkingBudgetTokens</c>,
/// <c>planModeReasoningEffort</c>/<c>actModeReasoningEffort</c>; and, in Cline's naming style, <c>vertexAccessToken</c>
/// and <c>vertexBaseUrl</c>.
/// </summary>
/// <remarks>
/// Credentials: <see cref="AccessToken"/> when set (for example the output of <c>gcloud auth print-access-token</c>),
/// else <see cref="AccessTokenProvider"/>. The package <c>Providers.Vertex.GoogleAuth</c> sets the latter from Google's
/// application default credentials or a service-account key file (it uses <c>Google.Apis.Auth</c>, which is not clean
/// under Native AOT, so it is not part of this assembly).
/// </remarks>
public sealed class VertexOptions : ProviderOptions
{
    /// <summary>The default <see cref="ModelId"/>: Cline's default Vertex model.</summary>
    public const string DefaultModelId = Gemini.GeminiModels.VertexDefaultModelId;

    /// <summary>The Google Cloud project id (setting <c>vertexProjectId</c>).</summary>
    [Required]
    [SettingKey("vertexProjectId")]
    public string ProjectId { get; set; } = "";

    /// <summary>The region, for example <c>us-east5</c>, <c>europe-west1</c> or <c>global</c> (setting <c>vertexRegion</c>).</summary>
    [Required]
    [SettingKey("vertexRegion")]
    public string Region { get; set; } = "";

    /// <summary>
    /// The model (settings <c>planModeApiModelId</c>, <c>actModeApiModelId</c>): a Claude id such as
    /// <c>claude-sonnet-4-5@20250929</c> (with <c>:1m</c> for the one-million-token context) goes to Anthropic's publisher
    /// endpoint, any other id (<c>gemini-2.5-pro</c>) to Google's.
    /// </summary>
    [PerMode]
    [SettingKey("apiModelId")]
    public string ModelId { get; set; } = DefaultModelId;

    /// <summary>The thinking budget in tokens (settings <c>planModeThinkingBudgetTokens</c>, <c>actModeThinkingBudgetTokens</c>), for Claude and Gemini 2.5.</summary>
    [PerMode]
    [SettingKey("thinkingBudgetTokens")]
    public int ThinkingBudgetTokens { get; set; }

    /// <summary>The Gemini 3 thinking level (settings <c>planModeReasoningEffort</c>, <c>actModeReasoningEffort</c>), as for the <c>gemini</c> provider.</summary>
    [PerMode]
    [SettingKey("reasoningEffort")]
    public string? ReasoningEffort { get; set; }

    /// <summary>An OAuth access token sent as <c>Authorization: Bearer</c> (setting <c>vertexAccessToken</c>); it expires after about an hour.</summary>
    [Secret]
    [EnvironmentVariable("GOOGLE_OAUTH_ACCESS_TOKEN")]
    [SettingKey("vertexAccessToken")]
    public string? AccessToken { get; set; }

    /// <summary>
    /// The API root (setting <c>vertexBaseUrl</c>), for proxies and tests; by default
    /// <c>https://{region}-aiplatform.googleapis.com</c>, or <c>https://aiplatform.googleapis.com</c> for <c>global</c>.
    /// </summary>
    [SettingKey("vertexBaseUrl")]
    public Uri? BaseUrl { get; set; }

    /// <summary>Gets an access token per request when <see cref="AccessToken"/> is not set; tokens should be cached by the provider.</summary>
    [SettingIgnore]
    public VertexAccessTokenProvider? AccessTokenProvider { get; set; }
}

using System.ComponentModel.DataAnnotations;

namespace Providers.AskSage;

/// <summary>Options of the <c>asksage</c> provider, under Cline's keys.</summary>
public sealed class AskSageOptions : ProviderOptions
{
    /// <summary>The default <see cref="BaseUrl"/>: AskSage's Server API.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.asksage.ai/server");

    /// <summary>The model used when none is set (Cline's <c>askSageDefaultModelId</c>).</summary>
    public const string DefaultModelId = "claude-4-sonnet";

    /// <summary>An AskSage API key or 24-hour access token (setting <c>asksageApiKey</c>), sent in the <c>x-access-tokens</c> header.</summary>
    [Required, SettingKey("asksageApiKey")]
    public string ApiKey { get; set; } = "";

    /// <summary>
    /// The Server API of the tenant (setting <c>asksageApiUrl</c>), default <c>https://api.asksage.ai/server</c>;
    /// requests go to <c>{url}/query</c>. Government and self-hosted tenants have their own.
    /// </summary>
    [SettingKey("asksageApiUrl")]
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The model (settings <c>planModeApiModelId</c> / <c>actModeApiModelId</c>), default <c>claude-4-sonnet</c>.</summary>
    [PerMode, SettingKey("apiModelId")]
    public string? ModelId { get; set; }
}

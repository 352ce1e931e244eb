using System.ComponentModel.DataAnnotations;

namespace Providers.Dify;

/// <summary>Options of the <c>dify</c> provider, under Cline's keys.</summary>
public sealed class DifyOptions : ProviderOptions
{
    /// <summary>Dify's cloud API; a self-hosted Dify serves the same API under its own host (<c>http://host/v1</c>).</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.dify.ai/v1");

    /// <summary>The API key of the Dify app (setting <c>difyApiKey</c>), sent as a bearer token.</summary>
    [Required, SettingKey("difyApiKey")] public string ApiKey { get; set; } = "";

    /// <summary>The API base with its version segment (setting <c>difyBaseUrl</c>), default <c>https://api.dify.ai/v1</c>.</summary>
    [SettingKey("difyBaseUrl")] public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The end-user id Dify scopes conversations to (setting <c>difyUser</c>), default Cline's <c>cline-user</c>.</summary>
    [SettingKey("difyUser")] public string User { get; set; } = "cline-user";
}

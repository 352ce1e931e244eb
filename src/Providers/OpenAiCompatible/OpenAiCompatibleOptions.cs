using System.ComponentModel.DataAnnotations;

namespace Providers.OpenAiCompatible;

/// <summary>
/// The options of a family member whose Cline keys follow the common pattern: <c>{id}ApiKey</c> (required),
/// <c>{id}BaseUrl</c> (replaces the provider's base URL, version segment included) and the shared per-mode
/// <c>planModeApiModelId</c> / <c>actModeApiModelId</c>. The generator derives the first two from the provider id.
/// </summary>
public abstract class OpenAiCompatibleOptions : ProviderOptions, IOpenAiCompatibleOptions
{
    /// <summary>The API key (setting <c>{id}ApiKey</c>, for example <c>xaiApiKey</c>).</summary>
    [Required] public string ApiKey { get; set; } = "";

    /// <summary>Replaces the provider's base URL (setting <c>{id}BaseUrl</c>).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The model (settings <c>planModeApiModelId</c> / <c>actModeApiModelId</c>); the provider's default when unset.</summary>
    [PerMode, SettingKey("apiModelId")] public string? ModelId { get; set; }
}

/// <summary>
/// The options of a family member that routes to many models, with Cline's per-provider model keys:
/// <c>{id}ApiKey</c> (required), <c>{id}BaseUrl</c>, and per mode <c>planMode{Id}ModelId</c> /
/// <c>actMode{Id}ModelId</c> and <c>planMode{Id}ModelInfo</c> / <c>actMode{Id}ModelInfo</c>, all derived from the id.
/// </summary>
public abstract class OpenAiCompatibleRouterOptions : ProviderOptions, IOpenAiCompatibleOptions
{
    /// <summary>The API key (setting <c>{id}ApiKey</c>, for example <c>groqApiKey</c>).</summary>
    [Required] public string ApiKey { get; set; } = "";

    /// <summary>Replaces the provider's base URL (setting <c>{id}BaseUrl</c>).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The model (settings <c>planMode{Id}ModelId</c> / <c>actMode{Id}ModelId</c>); the provider's default when unset.</summary>
    [PerMode] public string? ModelId { get; set; }

    /// <summary>What is known about the model (settings <c>planMode{Id}ModelInfo</c> / <c>actMode{Id}ModelInfo</c>); replaces the built-in entry.</summary>
    [PerMode] public ModelInfo? ModelInfo { get; set; }
}

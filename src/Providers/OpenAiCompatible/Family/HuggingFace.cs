using System.ComponentModel.DataAnnotations;

namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>huggingface</c> provider, under Cline's keys.</summary>
public sealed class HuggingFaceOptions : ProviderOptions, IOpenAiCompatibleOptions
{
    /// <summary>The API key (setting <c>huggingFaceApiKey</c>).</summary>
    [Required, SettingKey("huggingFaceApiKey"), EnvironmentVariable("HF_TOKEN")] public string ApiKey { get; set; } = "";

    /// <summary>Replaces <c>https://router.huggingface.co/v1</c> (setting <c>huggingFaceBaseUrl</c>).</summary>
    [SettingKey("huggingFaceBaseUrl")] public Uri? BaseUrl { get; set; }

    /// <summary>The model (settings <c>planModeHuggingFaceModelId</c> / <c>actModeHuggingFaceModelId</c>), default <c>moonshotai/Kimi-K2-Instruct</c>.</summary>
    [PerMode, SettingKey("huggingFaceModelId")] public string? ModelId { get; set; }

    /// <summary>What is known about the model (settings <c>planModeHuggingFaceModelInfo</c> / <c>actModeHuggingFaceModelInfo</c>); replaces the built-in entry.</summary>
    [PerMode, SettingKey("huggingFaceModelInfo")] public ModelInfo? ModelInfo { get; set; }
}

/// <summary>The <c>huggingface</c> provider: OpenAI-compatible Chat Completions (huggingface.co/docs/inference-providers).</summary>
[Provider("huggingface", DisplayName = "Hugging Face"), WithRetry]
public sealed partial class HuggingFaceHandler(HuggingFaceOptions options)
    : OpenAiCompatibleHandler<HuggingFaceOptions>(new("huggingface", "https://router.huggingface.co/v1", "moonshotai/Kimi-K2-Instruct", "huggingface")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override HuggingFaceOptions Options => options;
}

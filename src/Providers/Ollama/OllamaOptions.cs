using System.ComponentModel.DataAnnotations;

namespace Providers.Ollama;

/// <summary>
/// Settings of the <c>ollama</c> provider. Keys are those of the original Cline settings: <c>ollamaBaseUrl</c>,
/// <c>ollamaApiKey</c>, <c>planModeOllamaModelId</c>/<c>actModeOllamaModelId</c>, <c>ollamaApiOptionsCtxNum</c>,
/// <c>requestTimeoutMs</c>, plus <c>planModeOllamaThink</c>/<c>actModeOllamaThink</c>.
/// </summary>
public sealed class OllamaOptions : ProviderOptions
{
    /// <summary>The default <see cref="BaseUrl"/>: a local Ollama server.</summary>
    public static readonly Uri DefaultBaseUrl = new("http://localhost:11434");

    /// <summary>The default <see cref="ContextSize"/>.</summary>
    public const int DefaultContextSize = 32768;

    /// <summary>The Ollama server's root (setting <c>ollamaBaseUrl</c>); the provider posts to <c>{root}/api/chat</c>.</summary>
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>A key sent as <c>Authorization: Bearer</c> when set, for Ollama behind an authenticating proxy or ollama.com (setting <c>ollamaApiKey</c>).</summary>
    [Secret]
    [EnvironmentVariable("OLLAMA_API_KEY")]
    public string? ApiKey { get; set; }

    /// <summary>
    /// The model, as <c>ollama list</c> names it, for example <c>llama3.2</c> (settings <c>planModeOllamaModelId</c>, <c>actModeOllamaModelId</c>).
    /// Required: a local server has no model every user has, so there is no default to fall back to.
    /// </summary>
    [PerMode]
    [Required]
    public string ModelId { get; set; } = "";

    /// <summary>The context window Ollama allocates, sent as <c>options.num_ctx</c> (setting <c>ollamaApiOptionsCtxNum</c>); must be positive.</summary>
    [SettingKey("ollamaApiOptionsCtxNum")]
    public int ContextSize { get; set; } = DefaultContextSize;

    /// <summary>
    /// Sent as <c>think</c> (settings <c>planModeOllamaThink</c>, <c>actModeOllamaThink</c>): <see langword="true"/> asks a thinking model
    /// to reason, <see langword="false"/> asks it not to. Unset (the default) omits the field and leaves the choice to the model,
    /// because Ollama rejects <c>think: true</c> for models that cannot think. Reasoning in <c>message.thinking</c> is always read.
    /// </summary>
    [PerMode]
    public bool? Think { get; set; }
}

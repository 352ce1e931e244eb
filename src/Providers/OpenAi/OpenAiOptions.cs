namespace Providers.OpenAi;

/// <summary>
/// Options of the <c>openai</c> provider: OpenAI itself, Azure OpenAI, and any OpenAI-compatible server (LM Studio,
/// vLLM, llama.cpp, Groq, DeepSeek, xAI, Mistral...). Setting keys are those of the original Cline settings.
/// </summary>
public sealed class OpenAiOptions : ProviderOptions
{
    /// <summary>The default <see cref="BaseUrl"/>.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.openai.com/v1");

    /// <summary>The model used when no model id is set.</summary>
    public const string DefaultModelId = "gpt-4.1";

    /// <summary>The API key (setting <c>openAiApiKey</c>); sent as a bearer token, or as <c>api-key</c> to Azure. Local servers need none.</summary>
    [SettingKey("openAiApiKey")]
    [EnvironmentVariable("AZURE_OPENAI_API_KEY", WhenSet = nameof(AzureApiVersion))]
    [EnvironmentVariable("OPENAI_API_KEY")]
    public string? ApiKey { get; set; }

    /// <summary>
    /// The base URL including the version segment (setting <c>openAiBaseUrl</c>), default <c>https://api.openai.com/v1</c>.
    /// For Azure, the resource endpoint, for example <c>https://my-resource.openai.azure.com</c>.
    /// </summary>
    [SettingKey("openAiBaseUrl")]
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>Extra HTTP headers sent with every request (setting <c>openAiHeaders</c>, a JSON object).</summary>
    [SettingKey("openAiHeaders")]
    public Dictionary<string, string>? Headers { get; set; }

    /// <summary>
    /// The Azure <c>api-version</c> (setting <c>azureApiVersion</c>). Setting it switches to Azure OpenAI on any host; an
    /// <c>azure.com</c> or <c>azure.us</c> host is Azure without it (except for DeepSeek models, as in Cline), with
    /// <see cref="OpenAiEndpoint.DefaultAzureApiVersion"/>.
    /// </summary>
    [SettingKey("azureApiVersion")]
    public string? AzureApiVersion { get; set; }

    /// <summary>The model id, or the Azure deployment name (settings <c>planModeOpenAiModelId</c> / <c>actModeOpenAiModelId</c>); default <see cref="DefaultModelId"/>.</summary>
    [PerMode, SettingKey("openAiModelId")]
    public string? ModelId { get; set; }

    /// <summary>
    /// What is known about the model (settings <c>planModeOpenAiModelInfo</c> / <c>actModeOpenAiModelInfo</c>); overrides
    /// the built-in table. Honoured as Cline honours them: <c>maxTokens</c> (sent when above 0), <c>temperature</c> (sent;
    /// 0 leaves it to the server), <c>isR1FormatRequired</c> (DeepSeek R1's message format) and
    /// <c>supportsReasoningEffort</c> (a reasoning deployment whose name does not say so: no temperature, an effort).
    /// </summary>
    [PerMode, SettingKey("openAiModelInfo")]
    public ModelInfo? ModelInfo { get; set; }

    /// <summary>
    /// Reasoning effort for reasoning models: <c>none</c>, <c>minimal</c>, <c>low</c>, <c>medium</c>, <c>high</c> or
    /// <c>xhigh</c> (settings <c>planModeReasoningEffort</c> / <c>actModeReasoningEffort</c>); default <c>medium</c>, as is
    /// any other value. Sent as the nearest level the model takes (gpt-5.1 and later take <c>none</c>, gpt-5 <c>minimal</c>,
    /// gpt-5.2 and later <c>xhigh</c>). Ignored for other models.
    /// </summary>
    [PerMode, SettingKey("reasoningEffort")]
    public string? ReasoningEffort { get; set; }

    /// <summary>Use the Responses API (<c>POST /responses</c>) instead of Chat Completions (setting <c>openAiUseResponsesApi</c>).</summary>
    [SettingKey("openAiUseResponsesApi")]
    public bool UseResponsesApi { get; set; }
}

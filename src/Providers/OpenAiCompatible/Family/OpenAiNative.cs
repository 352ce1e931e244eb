using System.ComponentModel.DataAnnotations;
using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>openai-native</c> provider, under Cline's keys.</summary>
public sealed class OpenAiNativeOptions : ProviderOptions, IOpenAiCompatibleOptions, IResponsesShapedOptions
{
    /// <summary>The OpenAI API key (setting <c>openAiNativeApiKey</c>).</summary>
    [EnvironmentVariable("OPENAI_API_KEY")]
    [Required, SettingKey("openAiNativeApiKey")] public string ApiKey { get; set; } = "";

    /// <summary>Replaces <c>https://api.openai.com/v1</c> (setting <c>openAiNativeBaseUrl</c>).</summary>
    [SettingKey("openAiNativeBaseUrl")] public Uri? BaseUrl { get; set; }

    /// <summary>The model (settings <c>planModeApiModelId</c> / <c>actModeApiModelId</c>), default <c>gpt-5.5</c>.</summary>
    [PerMode, SettingKey("apiModelId")] public string? ModelId { get; set; }

    /// <summary>
    /// The reasoning effort of reasoning models: <c>minimal</c>, <c>low</c>, <c>medium</c> or <c>high</c> (settings
    /// <c>planModeReasoningEffort</c> / <c>actModeReasoningEffort</c>), default <c>medium</c>.
    /// </summary>
    [PerMode, SettingKey("reasoningEffort")] public string? ReasoningEffort { get; set; }
}

/// <summary>
/// The <c>openai-native</c> provider: OpenAI's own API through the Responses API (<c>POST /responses</c>), as Cline
/// uses it, with its own key and Cline's OpenAI model table. Requests and streams are the <c>openai</c> provider's
/// Responses path; reasoning models get <c>reasoning.effort</c> and encrypted reasoning.
/// </summary>
[Provider("openai-native", DisplayName = "OpenAI")]
[WithRetry]
public sealed partial class OpenAiNativeHandler : ResponsesShapedHandler<OpenAiNativeOptions>, IApiHandlerWithOverrides
{
    private static readonly ModelTable Models = ModelTable.Embedded("openai-native");

    private readonly OpenAiNativeOptions _options;

    /// <summary>Creates the handler; the registry binds <paramref name="options"/> from settings.</summary>
    public OpenAiNativeHandler(OpenAiNativeOptions options)
        : base("openai-native", "gpt-5.5", new Uri("https://api.openai.com/v1"), options)
    {
        _options = options;
    }

    /// <summary>As the <c>openai</c> provider: the model, the output limit, and the effort of a reasoning model or the temperature of another.</summary>
    public override RequestOverrideKinds SupportedOverrides =>
        RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens
        | (OpenAiModels.IsReasoningModel(GetModel().Id) ? RequestOverrideKinds.ReasoningEffort : RequestOverrideKinds.Temperature);

    private protected override IAsyncEnumerable<ApiStreamChunk> SendAsync(Uri url, byte[] body, ApiHandlerModel model, CancellationToken cancellationToken) =>
        Post(url, body, _options.ApiKey, model, addHeaders: null, cancellationToken);

    /// <summary>Cline's table entry, else the <c>openai</c> table's, else neutral defaults.</summary>
    private protected override ModelInfo InfoOf(string modelId) => Models.Find(modelId) ?? OpenAiModels.Find(modelId) ?? OpenAiModels.SaneDefaults(modelId);
}

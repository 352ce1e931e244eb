using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Providers.Http;
using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>openai-native</c> provider, under Cline's keys.</summary>
public sealed class OpenAiNativeOptions : ProviderOptions, IOpenAiCompatibleOptions
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
public sealed partial class OpenAiNativeHandler : IApiHandlerWithOverrides
{
    private const string ProviderId = "openai-native";
    private const string DefaultModelId = "gpt-5.5";
    private static readonly Uri DefaultBaseUrl = new("https://api.openai.com/v1");
    private static readonly ModelTable Models = ModelTable.Embedded("openai-native");

    private readonly OpenAiNativeOptions _options;
    private readonly OpenAiHandler _responses;
    private readonly InFlightRequests _inFlight = new();

    /// <summary>Creates the handler; the registry binds <paramref name="options"/> from settings.</summary>
    public OpenAiNativeHandler(OpenAiNativeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _responses = new OpenAiHandler(new OpenAiOptions { ApiKey = options.ApiKey, ModelId = options.ModelId, ReasoningEffort = options.ReasoningEffort, UseResponsesApi = true });
    }

    /// <summary>The configured model (default <c>gpt-5.5</c>) with Cline's table entry, else the <c>openai</c> table's, else neutral defaults.</summary>
    public ApiHandlerModel GetModel()
    {
        var id = string.IsNullOrWhiteSpace(_options.ModelId) ? DefaultModelId : _options.ModelId.Trim();
        return new ApiHandlerModel(id, InfoOf(id));
    }

    /// <summary>As the <c>openai</c> provider: the model, the output limit, and the effort of a reasoning model or the temperature of another.</summary>
    public RequestOverrideKinds SupportedOverrides =>
        RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens
        | (OpenAiModels.IsReasoningModel(GetModel().Id) ? RequestOverrideKinds.ReasoningEffort : RequestOverrideKinds.Temperature);

    /// <summary>Cancels the requests in flight: their streams end with <see cref="OperationCanceledException"/>, without a retry.</summary>
    public void Abort() => _inFlight.AbortAll();

    // Not an iterator: the call runs under the in-flight registration and hands the reader's chunks straight through.
    private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        CancellationToken cancellationToken) =>
        HttpStreamCall.Run(_inFlight, _ => new ValueTask<HttpStreamRequest>(Prepare(systemPrompt, messages, tools, overrides)), cancellationToken);

    private HttpStreamRequest Prepare(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        overrides = overrides.Only(SupportedOverrides);
        var model = ModelSelection.For(GetModel(), overrides, InfoOf);
        var body = JsonSerializer.SerializeToUtf8Bytes(
            _responses.BuildResponsesRequest(model, systemPrompt, messages, tools, overrides), OpenAiJsonContext.Default.ResponsesRequest);
        var request = OpenAiHttp.JsonPost(new Uri((_options.BaseUrl ?? DefaultBaseUrl).GetLeftPart(UriPartial.Path).TrimEnd('/') + "/responses"), body);
        ProviderHttp.SetBearer(request, _options.ApiKey);
        return ChatCompletionsCall.Request(
            request, ProviderId, _options, [_options.ApiKey], (stream, token) => ResponsesStream.ReadAsync(stream, ProviderId, _options, model.Info, token));
    }

    private static ModelInfo InfoOf(string modelId) => Models.Find(modelId) ?? OpenAiModels.Find(modelId) ?? OpenAiModels.SaneDefaults(modelId);
}

using System.Text.Json;
using Providers.Http;
using Providers.OpenAiCompatible;

namespace Providers.OpenAi;

/// <summary>
/// The <c>openai</c> provider: OpenAI Chat Completions (default) or the Responses API (<c>openAiUseResponsesApi</c>),
/// Azure OpenAI, and any OpenAI-compatible server through <c>openAiBaseUrl</c>. Reasoning models (o1, o3, o4, gpt-5)
/// get the <c>developer</c> role, <c>reasoning_effort</c> and <c>max_completion_tokens</c>; <c>deepseek-reasoner</c>
/// gets its merged-message format.
/// </summary>
/// <remarks>
/// <para>
/// Per-request overrides (<see cref="SupportedOverrides"/> says which apply to this configuration):
/// <see cref="RequestOverrides.ModelId"/> replaces the model (on Azure, the deployment); its info comes from the
/// built-in table, or neutral defaults without prices for an id the table does not know (the configured
/// <see cref="OpenAiOptions.ModelInfo"/> describes the configured model only);
/// <see cref="RequestOverrides.MaxOutputTokens"/> is sent as <c>max_tokens</c>, as <c>max_completion_tokens</c> to a
/// reasoning model, or as <c>max_output_tokens</c> on the Responses API;
/// <see cref="RequestOverrides.Temperature"/> as <c>temperature</c> (otherwise 0);
/// <see cref="RequestOverrides.ReasoningEffort"/> as <c>reasoning_effort</c> (Responses API: <c>reasoning.effort</c>),
/// in a form the model takes: <see cref="ReasoningEffort.None"/> is <c>none</c> where OpenAI documents it (gpt-5.1 and
/// later), else the least effort the model takes (<c>minimal</c> for gpt-5, <c>low</c> for o-series);
/// <see cref="ReasoningEffort.ExtraHigh"/> is <c>xhigh</c> from gpt-5.2 on and <c>high</c> before; see <see cref="OpenAiReasoningEffort"/>.
/// </para>
/// <para>
/// Reasoning models take no temperature and other models no reasoning effort, so for a configured reasoning model
/// <see cref="RequestOverrideKinds.ReasoningEffort"/> is listed and <see cref="RequestOverrideKinds.Temperature"/> is
/// not, and the other way round for any other model. A request whose model override makes the pair impossible (a
/// temperature for a reasoning model, an effort above <see cref="ReasoningEffort.None"/> for another model) fails with
/// an <see cref="ArgumentException"/> before anything is sent.
/// </para>
/// </remarks>
[Provider("openai", DisplayName = "OpenAI Compatible")]
[WithRetry]
public sealed partial class OpenAiHandler : IApiHandlerWithOverrides
{
    private const string ProviderId = "openai";

    private readonly OpenAiOptions _options;
    private readonly InFlightRequests _inFlight = new();

    // The last request's endpoint, reused while the options and model that decide it stay the same.
    private OpenAiEndpoint.Resolved? _endpoint;

    /// <summary>Creates the handler; the registry binds <paramref name="options"/> from settings.</summary>
    public OpenAiHandler(OpenAiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>
    /// The configured model (default <see cref="OpenAiOptions.DefaultModelId"/>) with the configured model info, else the
    /// built-in info of a known OpenAI model, else neutral defaults without prices.
    /// </summary>
    public ApiHandlerModel GetModel()
    {
        var id = string.IsNullOrWhiteSpace(_options.ModelId) ? OpenAiOptions.DefaultModelId : _options.ModelId.Trim();
        return new ApiHandlerModel(id, _options.ModelInfo ?? OpenAiModels.Find(id) ?? OpenAiModels.SaneDefaults(id));
    }

    /// <summary>
    /// The model and the output limit; for a configured reasoning model the reasoning effort, for any other the
    /// temperature. See the class remarks.
    /// </summary>
    public RequestOverrideKinds SupportedOverrides =>
        RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens
        | (IsReasoning(GetModel()) ? RequestOverrideKinds.ReasoningEffort : RequestOverrideKinds.Temperature);

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
        var model = ModelFor(overrides);
        var endpoint = OpenAiEndpoint.Resolve(ref _endpoint, _options, model.Id, _options.UseResponsesApi);
        var body = _options.UseResponsesApi
            ? JsonSerializer.SerializeToUtf8Bytes(BuildResponsesRequest(model, systemPrompt, messages, tools, overrides), OpenAiJsonContext.Default.ResponsesRequest)
            : BuildChatRequest(model, systemPrompt, messages, tools, overrides).ToUtf8Json();

        var request = ProviderHttp.JsonStreamPost(endpoint.Url, body);
        if (endpoint.IsAzure)
        {
            if (!string.IsNullOrEmpty(_options.ApiKey))
            {
                request.Headers.TryAddWithoutValidation("api-key", _options.ApiKey);
            }
        }
        else
        {
            ProviderHttp.SetBearer(request, _options.ApiKey);
        }

        ProviderHttp.AddHeaders(request, _options.Headers);
        return ChatCompletionsCall.Request(request, ProviderId, _options, [_options.ApiKey], (stream, token) => _options.UseResponsesApi
            ? ResponsesStream.ReadAsync(stream, ProviderId, _options, model.Info, token)
            : ChatCompletionsStream.ReadAsync(stream, ProviderId, _options, model.Info, new ChatStreamState(), token));
    }

    internal ChatCompletionsRequest BuildChatRequest(
        ApiHandlerModel model, string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides)
    {
        var reasoning = IsReasoningModelFor(model, overrides);
        var wireMessages = OpenAiModels.IsDeepSeekReasoner(model.Id) || model.Info.IsR1FormatRequired == true
            ? OpenAiMessageConverter.ToDeepSeekReasonerMessages(systemPrompt, messages)
            : OpenAiMessageConverter.ToChatMessages(
                systemPrompt, reasoning ? "developer" : "system", messages,
                includeReasoning: model.Id.Contains("deepseek", StringComparison.OrdinalIgnoreCase)); // DeepSeek's thinking mode wants it back after tool calls
        var maxTokens = MaxTokens(model, overrides);
        var request = new ChatCompletionsRequest
        {
            Model = model.Id,
            Messages = wireMessages,
            Tools = ToWireTools(tools),
            ToolChoice = tools is { Count: > 0 } ? "auto" : null,
        };

        if (reasoning)
        {
            request.ReasoningEffort = Effort(model, overrides);
            request.MaxCompletionTokens = maxTokens;
        }
        else
        {
            request.Temperature = overrides.Temperature ?? TemperatureOf(model);
            request.MaxTokens = maxTokens;
        }

        return request;
    }

    internal ResponsesRequest BuildResponsesRequest(
        ApiHandlerModel model, string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides)
    {
        var reasoning = IsReasoningModelFor(model, overrides);
        return new ResponsesRequest
        {
            Model = model.Id,
            Instructions = systemPrompt,
            Input = OpenAiMessageConverter.ToResponsesInput(messages),
            Reasoning = reasoning ? new ResponsesReasoning { Effort = Effort(model, overrides), Summary = "auto" } : null,
            Include = reasoning ? ["reasoning.encrypted_content"] : null,
            Temperature = reasoning ? null : overrides.Temperature ?? TemperatureOf(model),
            MaxOutputTokens = MaxTokens(model, overrides),
            Tools = tools is { Count: > 0 }
                ? tools.Select(t => new ResponsesTool { Name = t.Name, Description = t.Description, Parameters = t.InputSchema }).ToList()
                : null,
            ToolChoice = tools is { Count: > 0 } ? "auto" : null,
        };
    }

    internal static List<WireTool>? ToWireTools(IReadOnlyList<ToolDefinition>? tools) =>
        tools is { Count: > 0 }
            ? tools.Select(t => new WireTool { Function = new WireFunction { Name = t.Name, Description = t.Description, Parameters = t.InputSchema } }).ToList()
            : null;

    /// <summary>The configured model, or the overriding one with its built-in info (or neutral defaults), never the configured model's info.</summary>
    private ApiHandlerModel ModelFor(RequestOverrides overrides) =>
        ModelSelection.For(GetModel(), overrides, id => OpenAiModels.Find(id) ?? OpenAiModels.SaneDefaults(id));

    /// <summary>Whether <paramref name="model"/> reasons; refuses the overrides it could not honour.</summary>
    private static bool IsReasoningModelFor(ApiHandlerModel model, RequestOverrides overrides)
    {
        var reasoning = IsReasoning(model);
        if (reasoning && overrides.Temperature is not null)
        {
            throw new ArgumentException(
                $"'{model.Id}' is a reasoning model and takes no temperature; drop the temperature or pick another model.", nameof(overrides));
        }

        if (!reasoning && overrides.ReasoningEffort is not (null or ReasoningEffort.None))
        {
            throw new ArgumentException(
                $"'{model.Id}' is not a reasoning model and takes no reasoning effort; drop the effort or pick a reasoning model.", nameof(overrides));
        }

        return reasoning;
    }

    /// <summary>
    /// An overriding limit, else only a limit the user configured in the configured model's info; servers know their own defaults.
    /// </summary>
    private int? MaxTokens(ApiHandlerModel model, RequestOverrides overrides) =>
        overrides.MaxOutputTokens
        ?? (_options.ModelInfo?.MaxTokens is > 0 and var max && string.Equals(model.Id, GetModel().Id, StringComparison.Ordinal) ? max : null);

    /// <summary>
    /// Whether the model reasons: its id says so (o1, o3, o4, gpt-5), or its configured info does
    /// (<c>supportsReasoningEffort</c>, for an Azure deployment whose name does not tell).
    /// </summary>
    private static bool IsReasoning(ApiHandlerModel model) =>
        OpenAiModels.IsReasoningModel(model.Id) || model.Info.SupportsReasoningEffort == true;

    /// <summary>
    /// The model info's temperature as Cline sends it: 0 when none is known, none at all when the info says 0 (Cline
    /// leaves it to the server then), otherwise the value (the gpt-5 chat models take only 1).
    /// </summary>
    private static double? TemperatureOf(ApiHandlerModel model) => model.Info.Temperature switch
    {
        null => 0,
        0 => null,
        var t => t,
    };

    /// <summary>The configured effort or the override, in a form the model takes (<see cref="OpenAiReasoningEffort"/>).</summary>
    private string Effort(ApiHandlerModel model, RequestOverrides overrides) => overrides.ReasoningEffort is { } effort
        ? OpenAiReasoningEffort.For(model.Id, effort)
        : OpenAiReasoningEffort.For(model.Id, _options.ReasoningEffort);
}

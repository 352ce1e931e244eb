using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Providers.Http;
using Providers.OpenAi;
using Providers.OpenAiCompatible;

namespace Providers.AskSage;

/// <summary>
/// The <c>asksage</c> provider: AskSage's Server API (docs.asksage.ai), <c>POST {url}/query</c> with the key in the
/// <c>x-access-tokens</c> header, as Cline calls it: the system prompt, the conversation as <c>me</c>/<c>gpt</c>
/// messages, the model, no dataset, and token usage. The answer is one JSON body, not a stream: it is read whole
/// (bounded by <c>maxResponseBytes</c>) and given as chunks: the server's tool responses, the text, then the usage.
/// </summary>
/// <remarks>
/// <para>
/// The API takes text messages only, so no tool definitions are sent: an agent describes its tools in the system
/// prompt (as Cline's prompt does) and the model answers in text. Earlier tool calls and their results travel back as
/// text lines, <c>[tool_use {name} id={id}] {arguments}</c> and <c>[tool_result id={id}] {content}</c>
/// (<c>[tool_result id={id} error]</c> for a failure), so a two-turn exchange keeps what happened; images and
/// reasoning are not sent.
/// </para>
/// <para>
/// Per-request overrides: <see cref="RequestOverrides.ModelId"/> (its info from the table, else neutral defaults) and
/// <see cref="RequestOverrides.Temperature"/> (sent as <c>temperature</c>; otherwise none, and AskSage uses 0).
/// Usage carries the model's token counts; AskSage's own <c>asksage_tokens</c> are no price, so the cost comes from
/// the model table (AskSage bills by subscription: the table's prices are 0).
/// </para>
/// </remarks>
[Provider("asksage", DisplayName = "AskSage")]
[WithRetry]
public sealed partial class AskSageHandler : IApiHandlerWithOverrides
{
    private const string ProviderId = "asksage";

    private static readonly ModelTable Models = ModelTable.Embedded("asksage");

    private readonly AskSageOptions _options;
    private readonly InFlightRequests _inFlight = new();

    /// <summary>Creates the handler; the registry binds <paramref name="options"/> from settings.</summary>
    /// <exception cref="ProviderConfigurationException">The API key is missing.</exception>
    public AskSageHandler(AskSageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new OptionsProblems(Generated.ProvidersProviderFactories.AsksageDescriptor);
        problems.AddIfBlank(nameof(options.ApiKey), options.ApiKey, "set your AskSage API key (AskSage, Settings, Account, Manage API Keys)");
        problems.ThrowIfAny();
        _options = options;
    }

    /// <summary>The model and the temperature; see the class remarks.</summary>
    public RequestOverrideKinds SupportedOverrides => RequestOverrideKinds.ModelId | RequestOverrideKinds.Temperature;

    /// <summary>The configured model (default <c>claude-4-sonnet</c>) with its table entry, else neutral defaults without prices.</summary>
    public ApiHandlerModel GetModel()
    {
        var id = string.IsNullOrWhiteSpace(_options.ModelId) ? AskSageOptions.DefaultModelId : _options.ModelId.Trim();
        return new ApiHandlerModel(id, InfoOf(id));
    }

    /// <summary>Cancels the requests in flight: their streams end with <see cref="OperationCanceledException"/>, without a retry.</summary>
    public void Abort() => _inFlight.AbortAll();

    /// <remarks>
    /// Not an iterator: the query is sent and its answer read whole at the first <c>MoveNextAsync</c>, under the
    /// in-flight registration; its chunks are then handed out from a list.
    /// </remarks>
    private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        CancellationToken cancellationToken) =>
        HttpStreamCall.Defer(_inFlight, token => AnswerAsync(systemPrompt, messages, overrides, token), startFailed: null, cancellationToken);

    private async ValueTask<IAsyncEnumerable<ApiStreamChunk>> AnswerAsync(
        string systemPrompt, IReadOnlyList<ChatMessage> messages, RequestOverrides overrides, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        overrides = overrides.Only(SupportedOverrides);
        var model = string.IsNullOrWhiteSpace(overrides.ModelId) ? GetModel() : new ApiHandlerModel(overrides.ModelId.Trim(), InfoOf(overrides.ModelId.Trim()));
        var body = JsonSerializer.SerializeToUtf8Bytes(BuildRequest(model, systemPrompt, messages, overrides), AskSageJsonContext.Default.AskSageRequest);
        var answer = await QueryAsync(body, cancellationToken).ConfigureAwait(false);
        return new ListedChunks(ToChunks(answer, model));
    }

    internal static AskSageRequest BuildRequest(ApiHandlerModel model, string systemPrompt, IReadOnlyList<ChatMessage> messages, RequestOverrides overrides) => new()
    {
        SystemPrompt = systemPrompt,
        Message = [.. messages.Select(m => new AskSageMessage { User = m.Role == ChatRole.Assistant ? "gpt" : "me", Message = TextOf(m) })],
        Model = model.Id,
        Temperature = overrides.Temperature,
    };

    /// <summary>A message as the text AskSage takes: its text, and its tool calls and results as text lines.</summary>
    internal static string TextOf(ChatMessage message)
    {
        var parts = new List<string>(message.Content.Count);
        foreach (var block in message.Content)
        {
            switch (block)
            {
                case TextBlock text:
                    parts.Add(text.Text);
                    break;
                case ToolUseBlock use:
                    parts.Add($"[tool_use {use.Name} id={use.Id}] {use.Input.GetRawText()}");
                    break;
                case ToolResultBlock result:
                    var content = string.Join("\n", result.Content.OfType<TextBlock>().Select(t => t.Text));
                    parts.Add($"[tool_result id={result.ToolUseId}{(result.IsError ? " error" : "")}] {content}");
                    break;
            }
        }

        return string.Join("\n", parts);
    }

    private async Task<AskSageResponse> QueryAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/query"))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.TryAddWithoutValidation("x-access-tokens", _options.ApiKey);
        using var response = await ProviderHttp.SendAsync(
            ProviderHttp.ClientFor(_options), request, ProviderId, _options, secrets: [_options.ApiKey], cancellationToken: cancellationToken).ConfigureAwait(false);
        var bytes = await ProviderHttp.ReadBodyAsync(response, ProviderId, _options, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(bytes, AskSageJsonContext.Default.AskSageResponse)
                ?? throw Malformed("it was JSON null, not an object");
        }
        catch (JsonException ex)
        {
            throw Malformed("it was not the JSON object of a query answer", ex);
        }
        catch (InvalidOperationException ex)
        {
            // System.Text.Json reports invalid UTF-8 inside a string this way.
            throw Malformed("it held text that is not valid UTF-8", ex);
        }
    }

    private static List<ApiStreamChunk> ToChunks(AskSageResponse answer, ApiHandlerModel model)
    {
        if (answer.Status is >= 400 and var status)
        {
            throw new ProviderException(
                ProviderId,
                $"'{ProviderId}' answered with status {status}: {ServerText.Clean(answer.Message ?? answer.Response ?? "no details")}.",
                (System.Net.HttpStatusCode)status,
                RetryClassifier.IsTransientStatus(status))
            { ErrorType = "query_error" };
        }

        if (string.IsNullOrEmpty(answer.Message))
        {
            throw new ProviderException(ProviderId, $"The '{ProviderId}' answer held no text (its 'message' was empty).", isRetryable: false)
            {
                ErrorType = "empty_response",
            };
        }

        var chunks = new List<ApiStreamChunk>((answer.ToolResponses?.Count ?? 0) + 2);
        foreach (var toolResponse in answer.ToolResponses ?? [])
        {
            chunks.Add(new TextChunk($"[Tool Response: {toolResponse.GetRawText()}]\n"));
        }

        chunks.Add(new TextChunk(answer.Message));
        if (answer.Usage?.ModelTokens is { } tokens)
        {
            var input = Math.Max(0, tokens.PromptTokens ?? 0);
            var output = Math.Max(0, tokens.CompletionTokens ?? 0);
            chunks.Add(new UsageChunk(input, output, TotalCost: model.Info.PricesFor(input).CostOf(input, output)));
        }

        return chunks;
    }

    private static ProviderException Malformed(string what, Exception? inner = null) => new(
        ProviderId,
        $"The '{ProviderId}' response was malformed: {ServerText.Clean(what)}. A proxy in between may have altered it; check 'asksageApiUrl'.",
        isRetryable: false,
        innerException: inner)
    { ErrorType = "malformed_stream" };

    private static ModelInfo InfoOf(string modelId) => Models.Find(modelId) ?? OpenAiModels.SaneDefaults(modelId);
}

using System.Globalization;
using System.Net;
using System.Text.Json;
using Providers.Http;
using Providers.OpenAi;

namespace Providers.Dify;

/// <summary>
/// Streams from a Dify chat app (<c>POST {difyBaseUrl}/chat-messages</c>, <c>response_mode: "streaming"</c>): the
/// answer deltas of <c>message</c> and <c>agent_message</c> events as text, the usage and price of
/// <c>message_end</c>, and <c>error</c> events as <see cref="ProviderException"/>s carrying Dify's error code.
/// </summary>
/// <remarks>
/// The model, its tools and its prompt live in the Dify app, so the handler reports Cline's fixed
/// <c>dify-workflow</c> model and sends no tool definitions; Dify keeps the history itself, and
/// <see cref="DifyConversation"/> describes how a conversation continues across requests. Agent steps
/// (<c>agent_thought</c>), workflow and node progress, files and speech events show nothing.
/// </remarks>
[Provider("dify", DisplayName = "Dify")]
[WithRetry]
public sealed partial class DifyHandler : IApiHandler
{
    /// <summary>The <see cref="ReasoningChunk.DetailsFormat"/> of the conversation state: <c>{"conversation_id":"…"}</c>.</summary>
    public const string StateFormat = "dify-conversation";

    private const string ProviderId = "dify";

    private static readonly ModelInfo Info = new()
    {
        MaxTokens = 8192,
        ContextWindow = 128_000,
        SupportsImages = true,
        SupportsPromptCache = false,
        InputPrice = 0,
        OutputPrice = 0,
        Description = "A Dify app: the model is chosen in the app, and Dify reports the price of each answer.",
    };

    private readonly DifyOptions _options;
    private readonly string _root;
    private readonly InFlightRequests _inFlight = new();

    /// <summary>Creates the handler.</summary>
    /// <exception cref="ProviderConfigurationException">The API key or the user id is missing; each is named.</exception>
    public DifyHandler(DifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<SettingProblem>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            problems.Add(new SettingProblem("difyApiKey", "missing: set the API key of your Dify app (the app's API Access page)"));
        }

        if (string.IsNullOrWhiteSpace(options.User))
        {
            problems.Add(new SettingProblem("difyUser", "must not be blank: Dify scopes conversations to this end-user id"));
        }

        if (problems.Count > 0)
        {
            throw new ProviderConfigurationException(ProviderId, problems);
        }

        _options = options;
        _root = options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>Cline's model: the app decides the real one.</summary>
    public ApiHandlerModel GetModel() => new("dify-workflow", Info);

    /// <summary>Cancels the requests in flight: their streams end with <see cref="OperationCanceledException"/>, without a retry.</summary>
    public void Abort() => _inFlight.AbortAll();

    /// <summary>The request body. Internal for request-shape tests.</summary>
    internal ChatMessagesRequest BuildBody(string systemPrompt, IReadOnlyList<ChatMessage> messages)
    {
        var (conversationId, query) = DifyConversation.Prepare(systemPrompt, messages);
        return new ChatMessagesRequest { Query = query, ConversationId = conversationId, User = _options.User.Trim() };
    }

    /// <remarks>
    /// Not an iterator: the body (with the conversation state found in <paramref name="messages"/>) is built and sent at
    /// the first <c>MoveNextAsync</c>, under the in-flight registration, and each event is decoded inside the reader's
    /// <c>MoveNextAsync</c> (<see cref="Decoder"/>); the new conversation state is a chunk of <c>message_end</c>.
    /// </remarks>
    private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        CancellationToken cancellationToken) =>
        HttpStreamCall.Run(_inFlight, _ => new ValueTask<HttpStreamRequest>(Prepare(systemPrompt, messages)), cancellationToken);

    private HttpStreamRequest Prepare(string systemPrompt, IReadOnlyList<ChatMessage> messages)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(BuildBody(systemPrompt, messages), DifyJsonContext.Default.ChatMessagesRequest);
        var request = ProviderHttp.JsonStreamPost(new Uri(_root + "/chat-messages"), body);
        ProviderHttp.SetBearer(request, _options.ApiKey);
        return new HttpStreamRequest(
            request, ProviderId, _options, [_options.ApiKey], (stream, token) => new DecodedSse<DifyEvent?>(stream, Parse, new Decoder(this), ProviderId, _options, token));
    }

    /// <summary>
    /// Answer deltas as text; <c>message_replace</c> before any text as text, after it as an error; at <c>message_end</c>
    /// the conversation state and the usage, and the stream is complete; an <c>error</c> event as its error.
    /// </summary>
    private sealed class Decoder(DifyHandler owner) : IChunkDecoder<DifyEvent?>
    {
        private bool _answered;

        public bool Completed { get; private set; }

        public void Decode(in DifyEvent? item, List<ApiStreamChunk> output)
        {
            var e = item;
            switch (e?.Event)
            {
                case "message" or "agent_message" when !string.IsNullOrEmpty(e.Answer):
                    _answered = true;
                    output.Add(new TextChunk(e.Answer));
                    break;
                case "message_replace" when !string.IsNullOrEmpty(e.Answer):
                    if (_answered)
                    {
                        throw owner.Replaced(e.Answer);
                    }

                    _answered = true;
                    output.Add(new TextChunk(e.Answer));
                    break;
                case "message_end":
                    if (!string.IsNullOrEmpty(e.ConversationId))
                    {
                        output.Add(DifyConversation.StateChunk(e.ConversationId));
                    }

                    if (e.Metadata?.Usage is { } usage)
                    {
                        output.Add(ToUsage(usage));
                    }

                    Completed = true;
                    break;
                case "error":
                    throw owner.StreamError(e);
            }
        }

        public void Complete(List<ApiStreamChunk> output) => throw new ProviderException(
            ProviderId,
            $"The '{ProviderId}' stream was cut off: it ended without 'message_end'. The connection was closed early; retrying usually works.",
            isRetryable: true)
        { ErrorType = "stream_cut_off" };
    }

    private static DifyEvent? Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return null; // "event: ping" with no data keeps the connection alive.
        }

        try
        {
            return JsonSerializer.Deserialize(data, DifyJsonContext.Default.DifyEvent);
        }
        catch (JsonException)
        {
            throw StreamFaults.Malformed(ProviderId, $"an event ('{eventType}') is not a JSON object of Dify's chat stream");
        }
    }

    /// <summary>Usage of <c>message_end</c>; the price only when Dify reports it in US dollars (or names no currency).</summary>
    private static UsageChunk ToUsage(DifyUsage usage)
    {
        var input = Math.Max(0, usage.PromptTokens ?? 0);
        var output = Math.Max(0, usage.CompletionTokens ?? Math.Max(0, (usage.TotalTokens ?? 0) - input));
        decimal? cost = null;
        if (usage.Currency is null || usage.Currency.Equals("USD", StringComparison.OrdinalIgnoreCase))
        {
            cost = usage.TotalPrice.ValueKind switch
            {
                JsonValueKind.String when decimal.TryParse(usage.TotalPrice.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var price) && price >= 0 => price,
                JsonValueKind.Number when usage.TotalPrice.TryGetDecimal(out var price) && price >= 0 => price,
                _ => null,
            };
        }

        return new UsageChunk(input, output, TotalCost: cost);
    }

    /// <summary>An <c>error</c> event: its HTTP <c>status</c>, Dify's <c>code</c> as the error type, its <c>message</c>.</summary>
    private ProviderException StreamError(DifyEvent e)
    {
        int? status = e.Status.ValueKind == JsonValueKind.Number && e.Status.TryGetInt32(out var s) && s is >= 100 and <= 599 ? s : null;
        var code = string.IsNullOrWhiteSpace(e.Code) ? "error" : e.Code;
        var redactor = _options.Secrets;
        return new ProviderException(
            ProviderId,
            $"'{ProviderId}' reported {ServerText.Clean(code, redactor, 100)} in the stream{(status is null ? "" : $" (status {status})")}: {ServerText.Clean(e.Message ?? "no details", redactor)}",
            status is { } known ? (HttpStatusCode)known : null,
            status is { } transient && RetryClassifier.IsTransientStatus(transient))
        { ErrorType = code };
    }

    private ProviderException Replaced(string answer) => new(
        ProviderId,
        $"'{ProviderId}' replaced the answer after it was shown (message_replace, usually content moderation). The replacement: {ServerText.Clean(answer, _options.Secrets)}",
        isRetryable: false)
    { ErrorType = "message_replace" };
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Providers.Http;

namespace Providers.Ollama;

/// <summary>
/// Streams chat from an Ollama server (<c>POST /api/chat</c>, newline-delimited JSON): text, reasoning from
/// <c>message.thinking</c>, whole tool calls, and usage from the final <c>done</c> line.
/// </summary>
/// <remarks>
/// Every <see cref="RequestOverrides"/> member applies, for that request only: <see cref="RequestOverrides.ModelId"/>
/// replaces <c>model</c> (the model info stays the configured context size at no cost, as for any local model);
/// <see cref="RequestOverrides.Temperature"/> is sent as <c>options.temperature</c>;
/// <see cref="RequestOverrides.MaxOutputTokens"/> as <c>options.num_predict</c>; <see cref="RequestOverrides.ReasoningEffort"/>
/// as <c>think</c>: <see langword="false"/> for <see cref="ReasoningEffort.None"/>, <see langword="true"/> for every other
/// level (Ollama's boolean does not grade effort), replacing the configured <see cref="OllamaOptions.Think"/>.
/// </remarks>
[Provider("ollama", DisplayName = "Ollama")]
[WithRetry(RetryAllErrors = true)]
public sealed partial class OllamaHandler : IApiHandlerWithOverrides
{
    internal const string ProviderId = "ollama";
    private readonly OllamaOptions _options;
    private readonly InFlightRequests _inFlight = new();
    private readonly Uri _chatUri;

    /// <summary>Creates the handler.</summary>
    /// <exception cref="ProviderConfigurationException">The model id is missing or the context size is not positive.</exception>
    public OllamaHandler(OllamaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new OptionsProblems(Generated.ProvidersProviderFactories.OllamaDescriptor);
        problems.AddIfBlank(nameof(options.ModelId), options.ModelId, "name an installed model, for example 'llama3.2' (see 'ollama list')");
        if (options.ContextSize <= 0)
        {
            problems.Add(nameof(options.ContextSize), $"must be a positive number of tokens, not {options.ContextSize}");
        }

        problems.ThrowIfAny();

        _options = options;
        _chatUri = new Uri(options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/api/chat");
    }

    /// <inheritdoc />
    public ApiHandlerModel GetModel() => new(_options.ModelId, new ModelInfo
    {
        ContextWindow = _options.ContextSize,
        SupportsImages = true,
        // A local model costs nothing per token.
        InputPrice = 0,
        OutputPrice = 0,
    });

    /// <summary>All of them: the model, <c>options.temperature</c>, <c>options.num_predict</c> and <c>think</c>; see the class remarks.</summary>
    public RequestOverrideKinds SupportedOverrides => RequestOverrideKinds.All;

    /// <summary>Cancels the requests in flight: their streams end with <see cref="OperationCanceledException"/>, without a retry.</summary>
    public void Abort() => _inFlight.AbortAll();

    // Not an iterator: the call runs under the in-flight registration, and its enumerator is the one that maps the lines.
    private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        CancellationToken cancellationToken) =>
        new OllamaChunkStream(this, _inFlight, () => Prepare(systemPrompt, messages, tools, overrides), _options, cancellationToken);

    private (HttpStreamRequest Request, string Model) Prepare(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var model = string.IsNullOrWhiteSpace(overrides.ModelId) ? _options.ModelId : overrides.ModelId.Trim();
        var body = new OllamaChatRequest
        {
            Model = model,
            Messages = OllamaMessageConverter.Convert(systemPrompt, messages),
            Tools = OllamaMessageConverter.ConvertTools(tools),
            Think = overrides.ReasoningEffort is { } effort ? effort != ReasoningEffort.None : _options.Think,
            Options = new OllamaRequestOptions
            {
                NumCtx = _options.ContextSize,
                Temperature = overrides.Temperature,
                NumPredict = overrides.MaxOutputTokens,
            },
        };

        var request = ProviderHttp.JsonStreamPost(_chatUri, JsonSerializer.SerializeToUtf8Bytes(body, OllamaJsonContext.Default.OllamaChatRequest), "application/x-ndjson");
        ProviderHttp.SetBearer(request, _options.ApiKey);

        string?[] secrets = [_options.ApiKey];
        // No reader of the body: OllamaChunkStream sends the request and reads the body itself.
        return (new HttpStreamRequest(request, ProviderId, _options, secrets, read: null) { ParseError = error => ParseError(error, model) }, model);
    }

    /// <summary>The failure of a stream that ended without its final <c>done</c> line.</summary>
    internal static ProviderException CutOff() => new(
        ProviderId,
        $"The '{ProviderId}' stream was cut off: it ended without its final \"done\": true line. The server or a proxy closed the connection early; retrying usually works.",
        isRetryable: true)
    { ErrorType = "stream_cut_off" };

    /// <summary>
    /// Ollama sends tool calls whole and, unlike the other providers, usually without ids. A call keeps the server's id
    /// when there is one; otherwise it gets one derived from the response time, its position and its content, so the
    /// same stream always gives the same ids and different turns give different ones.
    /// </summary>
    internal static ToolCallChunk ToToolCallChunk(OllamaToolCall call, string? createdAt, int position)
    {
        var name = call.Function?.Name ?? "";
        // Some servers send the arguments as a JSON string rather than an object: its text is the arguments.
        var arguments = call.Function?.Arguments switch
        {
            { ValueKind: JsonValueKind.String } text => text.GetString() is { Length: > 0 } json ? json : "{}",
            { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } args => args.GetRawText(),
            _ => "{}",
        };
        var id = string.IsNullOrEmpty(call.Id) ? MakeCallId(createdAt, position, name, arguments) : call.Id;
        return new ToolCallChunk(id, id, name, arguments);
    }

    internal static string MakeCallId(string? createdAt, int position, string name, string arguments)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{createdAt}\n{position}\n{name}\n{arguments}"));
        return $"ollama_call_{position}_{Convert.ToHexStringLower(hash.AsSpan(0, 6))}";
    }

    internal static ProviderException Malformed(string? problem) => new(
        ProviderId,
        $"The '{ProviderId}' stream was malformed: {ServerText.Clean(problem)}. The server or a proxy in between sent something other than Ollama's NDJSON.",
        isRetryable: false)
    { ErrorType = "malformed_stream" };

    internal static ProviderException MidStreamError(JsonElement error, string model, IReadOnlyList<string?> secrets)
    {
        var text = error.ValueKind == JsonValueKind.String
            ? error.GetString()
            : ErrorBody.FromElement(error).Message ?? error.GetRawText();
        return new ProviderException(
            ProviderId,
            $"Ollama reported an error while running model '{model}': {ServerText.Clean(ProviderHttp.Redact(text ?? "no details", secrets))}",
            isRetryable: false)
        { ErrorType = "model_error" };
    }

    private static ErrorBody ParseError(string body, string model)
    {
        var parsed = ErrorBody.Parse(body);
        if (parsed.Message is { } message && message.Contains("not found", StringComparison.OrdinalIgnoreCase)
            && message.Contains("model", StringComparison.OrdinalIgnoreCase))
        {
            return new ErrorBody(
                "model_not_found",
                $"the model '{model}' is not installed on this Ollama server ({message}). Run 'ollama pull {model}' or pick an installed model (see 'ollama list')");
        }

        return parsed;
    }
}

using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Providers.Http;

namespace Providers.Anthropic;

/// <summary>
/// Streams from Anthropic's Messages API (<c>POST /v1/messages</c>, server-sent events): text, extended thinking with
/// signatures, tool calls with streamed arguments, and usage increments priced with the model's cache-aware prices.
/// </summary>
[Provider("anthropic", DisplayName = "Anthropic")]
[WithRetry]
public sealed partial class AnthropicHandler : IApiHandler
{
    private const string ProviderId = "anthropic";
    private const string ApiVersion = "2023-06-01";
    private readonly AnthropicOptions _options;
    private readonly AnthropicModel _model;
    private readonly string _modelId;
    private readonly Uri _messagesUri;

    /// <summary>Creates the handler.</summary>
    /// <exception cref="ProviderConfigurationException">The API key is missing or the thinking budget is negative.</exception>
    public AnthropicHandler(AnthropicOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<SettingProblem>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            problems.Add(new SettingProblem("apiKey", "missing: set your Anthropic API key (console.anthropic.com, Settings > API keys)"));
        }

        if (options.ThinkingBudgetTokens < 0)
        {
            problems.Add(new SettingProblem("planModeThinkingBudgetTokens/actModeThinkingBudgetTokens", $"must be 0 (off) or a positive number of tokens, not {options.ThinkingBudgetTokens}"));
        }

        if (problems.Count > 0)
        {
            throw new ProviderConfigurationException(ProviderId, problems);
        }

        _options = options;
        _modelId = string.IsNullOrWhiteSpace(options.ModelId) ? AnthropicOptions.DefaultModelId : options.ModelId.Trim();
        _model = AnthropicModels.Resolve(_modelId);
        _messagesUri = new Uri(options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/v1/messages");
    }

    /// <inheritdoc />
    public ApiHandlerModel GetModel() => new(_modelId, _model.Info);

    private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = BuildRequest(systemPrompt, messages, tools);
        string?[] secrets = [_options.ApiKey];
        using var response = await ProviderHttp.SendAsync(
            ProviderHttp.ClientFor(_options), request, ProviderId, _options, errorParser: null, secrets, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var decoder = new AnthropicStreamDecoder(_model, ProviderId);
            var chunks = new List<ApiStreamChunk>(2);
            await foreach (var item in StreamReaders.ReadSseAsync(stream, ParseEvent, ProviderId, _options, cancellationToken).ConfigureAwait(false))
            {
                chunks.Clear();
                decoder.Decode(item, chunks);
                foreach (var chunk in chunks)
                {
                    yield return chunk;
                }

                if (decoder.Completed)
                {
                    yield break;
                }
            }
        }

        throw new ProviderException(
            ProviderId,
            $"The '{ProviderId}' stream was cut off: it ended without 'message_stop'. The connection was closed early; retrying usually works.",
            isRetryable: true)
        { ErrorType = "stream_cut_off" };
    }

    private HttpRequestMessage BuildRequest(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools)
    {
        var info = _model.Info;
        var maxTokens = info.MaxTokens ?? 8192;
        var thinking = _options.ThinkingBudgetTokens > 0 && info.SupportsReasoning
            ? new ThinkingParam { BudgetTokens = Math.Min(_options.ThinkingBudgetTokens, maxTokens - 1) }
            : null;
        var cache = info.SupportsPromptCache;
        var body = new MessagesRequest
        {
            Model = _model.WireId,
            MaxTokens = maxTokens,
            System = AnthropicMessageConverter.System(systemPrompt, cache),
            Messages = AnthropicMessageConverter.Messages(messages, cache),
            Tools = AnthropicMessageConverter.Tools(tools),
            Thinking = thinking,
            // Thinking requires the default temperature; otherwise 0, as the original.
            Temperature = thinking is null ? 0 : null,
        };

        var request = new HttpRequestMessage(HttpMethod.Post, _messagesUri)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, AnthropicJsonContext.Default.MessagesRequest)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("x-api-key", _options.ApiKey);
        request.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
        if (_model.OneMillionContext)
        {
            request.Headers.TryAddWithoutValidation("anthropic-beta", AnthropicModels.OneMillionBeta);
        }

        return request;
    }

    private static AnthropicSseItem ParseEvent(string eventType, ReadOnlySpan<byte> data)
    {
        try
        {
            return JsonSerializer.Deserialize(data, AnthropicJsonContext.Default.StreamEvent) is { } e
                ? new AnthropicSseItem(eventType, e, null)
                : new AnthropicSseItem(eventType, null, "JSON null");
        }
        catch (JsonException ex)
        {
            return new AnthropicSseItem(eventType, null, $"byte {ex.BytePositionInLine ?? 0}");
        }
    }
}

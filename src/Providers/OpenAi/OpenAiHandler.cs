using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Providers.Http;

namespace Providers.OpenAi;

/// <summary>
/// The <c>openai</c> provider: OpenAI Chat Completions (default) or the Responses API (<c>openAiUseResponsesApi</c>),
/// Azure OpenAI, and any OpenAI-compatible server through <c>openAiBaseUrl</c>. Reasoning models (o1, o3, o4, gpt-5)
/// get the <c>developer</c> role, <c>reasoning_effort</c> and <c>max_completion_tokens</c>; <c>deepseek-reasoner</c>
/// gets its merged-message format.
/// </summary>
[Provider("openai", DisplayName = "OpenAI Compatible")]
[WithRetry]
public sealed partial class OpenAiHandler : IApiHandler
{
    private const string ProviderId = "openai";
    private const string DefaultReasoningEffort = "medium";

    private readonly OpenAiOptions _options;

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

    private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var model = GetModel();
        var endpoint = OpenAiEndpoint.Resolve(_options, model.Id, _options.UseResponsesApi);
        var body = _options.UseResponsesApi
            ? JsonSerializer.SerializeToUtf8Bytes(BuildResponsesRequest(model, systemPrompt, messages, tools), OpenAiJsonContext.Default.ResponsesRequest)
            : JsonSerializer.SerializeToUtf8Bytes(BuildChatRequest(model, systemPrompt, messages, tools), OpenAiJsonContext.Default.ChatCompletionsRequest);

        using var request = OpenAiHttp.JsonPost(endpoint.Url, body);
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
        using var response = await ProviderHttp.SendAsync(
            ProviderHttp.ClientFor(_options), request, ProviderId, _options, secrets: [_options.ApiKey], cancellationToken: cancellationToken).ConfigureAwait(false);
        var stream = new LastEventCompletingStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        await using (stream.ConfigureAwait(false))
        {
            var chunks = _options.UseResponsesApi
                ? ResponsesStream.ReadAsync(stream, ProviderId, _options, model.Info, cancellationToken)
                : ChatCompletionsStream.ReadAsync(stream, ProviderId, _options, model.Info, new ChatStreamState(), cancellationToken);
            await foreach (var chunk in chunks.ConfigureAwait(false))
            {
                yield return chunk;
            }
        }
    }

    internal ChatCompletionsRequest BuildChatRequest(ApiHandlerModel model, string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools)
    {
        var reasoning = OpenAiModels.IsReasoningModel(model.Id);
        var wireMessages = OpenAiModels.IsDeepSeekReasoner(model.Id)
            ? OpenAiMessageConverter.ToDeepSeekReasonerMessages(systemPrompt, messages)
            : OpenAiMessageConverter.ToChatMessages(systemPrompt, reasoning ? "developer" : "system", messages);
        var maxTokens = ConfiguredMaxTokens();
        var request = new ChatCompletionsRequest
        {
            Model = model.Id,
            Messages = wireMessages,
            Tools = ToWireTools(tools),
            ToolChoice = tools is { Count: > 0 } ? "auto" : null,
        };

        if (reasoning)
        {
            request.ReasoningEffort = Effort();
            request.MaxCompletionTokens = maxTokens;
        }
        else
        {
            request.Temperature = 0;
            request.MaxTokens = maxTokens;
        }

        return request;
    }

    internal ResponsesRequest BuildResponsesRequest(ApiHandlerModel model, string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools)
    {
        var reasoning = OpenAiModels.IsReasoningModel(model.Id);
        return new ResponsesRequest
        {
            Model = model.Id,
            Instructions = systemPrompt,
            Input = OpenAiMessageConverter.ToResponsesInput(messages),
            Reasoning = reasoning ? new ResponsesReasoning { Effort = Effort(), Summary = "auto" } : null,
            Include = reasoning ? ["reasoning.encrypted_content"] : null,
            Temperature = reasoning ? null : 0,
            MaxOutputTokens = ConfiguredMaxTokens(),
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

    /// <summary>Only a limit the user configured in the model info is sent; servers know their own defaults.</summary>
    private int? ConfiguredMaxTokens() => _options.ModelInfo?.MaxTokens is > 0 and var max ? max : null;

    private string Effort() => string.IsNullOrWhiteSpace(_options.ReasoningEffort) ? DefaultReasoningEffort : _options.ReasoningEffort.Trim().ToLowerInvariant();
}

/// <summary>Request plumbing shared by the OpenAI-shaped providers.</summary>
internal static class OpenAiHttp
{
    public static HttpRequestMessage JsonPost(Uri url, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }
}

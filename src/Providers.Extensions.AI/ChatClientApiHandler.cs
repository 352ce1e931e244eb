using System.Runtime.CompilerServices;
using System.Text.Json;
using AI = Microsoft.Extensions.AI;

namespace Providers;

/// <summary>
/// Any <see cref="AI.IChatClient"/> as an <see cref="IApiHandler"/>: text, reasoning (signatures in
/// <see cref="AI.TextReasoningContent.ProtectedData"/>), whole tool calls and usage come back as our chunks. Every
/// <see cref="RequestOverrides"/> member maps onto <see cref="AI.ChatOptions"/>, so all are supported. Register it for a
/// mode with the dependency-injection builder's <c>AddProvider</c>, or use it directly.
/// </summary>
public sealed class ChatClientApiHandler : IApiHandlerWithOverrides
{
    private readonly AI.IChatClient _client;
    private readonly string _modelId;
    private readonly ModelInfo _modelInfo;

    /// <summary>Creates the handler.</summary>
    /// <param name="client">The chat client; it stays owned by the caller.</param>
    /// <param name="modelId">The model to request; <see langword="null"/> uses the client's default (its <see cref="AI.ChatClientMetadata.DefaultModelId"/>).</param>
    /// <param name="modelInfo">What is known about the model (limits, prices); <see langword="null"/> knows nothing.</param>
    public ChatClientApiHandler(AI.IChatClient client, string? modelId = null, ModelInfo? modelInfo = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        ModelIdRequested = modelId;
        _modelId = modelId ?? (client.GetService(typeof(AI.ChatClientMetadata)) as AI.ChatClientMetadata)?.DefaultModelId ?? "";
        _modelInfo = modelInfo ?? new ModelInfo();
    }

    /// <inheritdoc />
    public RequestOverrideKinds SupportedOverrides => RequestOverrideKinds.All;

    private string? ModelIdRequested { get; }

    /// <inheritdoc />
    public ApiHandlerModel GetModel() => new(_modelId, _modelInfo);

    /// <inheritdoc />
    public IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools = null,
        CancellationToken cancellationToken = default) =>
        CreateMessageAsync(systemPrompt, messages, tools, RequestOverrides.None, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(systemPrompt);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(overrides);
        var options = new AI.ChatOptions
        {
            ModelId = overrides.ModelId ?? ModelIdRequested,
            Temperature = overrides.Temperature is { } t ? (float)t : null,
            MaxOutputTokens = overrides.MaxOutputTokens,
            Reasoning = overrides.ReasoningEffort is { } effort ? new AI.ReasoningOptions { Effort = Map(effort) } : null,
            Tools = tools is { Count: > 0 } ? tools.Select(AI.AITool (tool) => AI.AIFunctionFactory.CreateDeclaration(tool.Name, tool.Description, tool.InputSchema)).ToList() : null,
        };

        var updates = _client.GetStreamingResponseAsync(MessageConversion.FromProvider(systemPrompt, messages), options, cancellationToken);
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            foreach (var content in update.Contents)
            {
                if (ToChunk(content) is { } chunk)
                {
                    yield return chunk;
                }
            }
        }
    }

    private static ApiStreamChunk? ToChunk(AI.AIContent content) => content switch
    {
        AI.TextContent { Text.Length: > 0 } text => new TextChunk(text.Text),
        AI.TextReasoningContent reasoning when reasoning.AdditionalProperties?.TryGetValue(MessageConversion.RedactedReasoningKey, out var flag) == true && flag is true
            => new ReasoningChunk(reasoning.Text, RedactedData: reasoning.ProtectedData),
        AI.TextReasoningContent reasoning when reasoning.Text.Length > 0 || reasoning.ProtectedData is not null
            => new ReasoningChunk(reasoning.Text, Signature: reasoning.ProtectedData),
        // A call a function-invoking client already ran is history, not a request to the caller.
        AI.FunctionCallContent { InformationalOnly: false } call => new ToolCallChunk(call.CallId, MessageConversion.FunctionIdOf(call), call.Name, JsonArguments.ToJson(call.Arguments)),
        ReasoningStateContent state => new ReasoningChunk("", Details: state.Json) { DetailsFormat = state.Format },
        AI.UsageContent usage => UsageMapping.FromDetails(usage.Details),
        _ => null,
    };

    private static AI.ReasoningEffort Map(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.None => AI.ReasoningEffort.None,
        ReasoningEffort.Low => AI.ReasoningEffort.Low,
        ReasoningEffort.Medium => AI.ReasoningEffort.Medium,
        ReasoningEffort.High => AI.ReasoningEffort.High,
        _ => AI.ReasoningEffort.ExtraHigh,
    };
}

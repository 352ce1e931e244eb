using System.Runtime.CompilerServices;
using System.Text;
using AI = Microsoft.Extensions.AI;

namespace Providers;

/// <summary>An <see cref="IApiHandler"/> seen as an <see cref="AI.IChatClient"/>; see <see cref="ProvidersChatClientExtensions.AsChatClient"/>.</summary>
internal sealed class ApiHandlerChatClient : AI.IChatClient
{
    private readonly IApiHandler _handler;
    private readonly AI.ChatClientMetadata _metadata;

    public ApiHandlerChatClient(IApiHandler handler, string? providerName)
    {
        _handler = handler;
        _metadata = new AI.ChatClientMetadata(providerName, providerUri: null, defaultModelId: handler.GetModel().Id);
    }

    public async Task<AI.ChatResponse> GetResponseAsync(
        IEnumerable<AI.ChatMessage> messages,
        AI.ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var response = await AI.ChatResponseExtensions.ToChatResponseAsync(
            GetStreamingResponseAsync(messages, options, cancellationToken), cancellationToken).ConfigureAwait(false);

        // Updates carry the ignored options to the message; the response, which a caller reads first, says it too.
        if (response.Messages.Count > 0 && response.Messages[0].AdditionalProperties is { } properties
            && properties.TryGetValue(ProvidersChatClientExtensions.IgnoredOptionsKey, out var ignored))
        {
            (response.AdditionalProperties ??= [])[ProvidersChatClientExtensions.IgnoredOptionsKey] = ignored;
        }

        return response;
    }

    public async IAsyncEnumerable<AI.ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<AI.ChatMessage> messages,
        AI.ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (systemPrompt, conversation) = MessageConversion.ToProvider(messages, options?.Instructions);
        var plan = RequestPlan.For(_handler, options);
        var stream = plan.Overrides is { } overrides && _handler is IApiHandlerWithOverrides withOverrides
            ? withOverrides.CreateMessageAsync(systemPrompt, conversation, plan.Tools, overrides, cancellationToken)
            : _handler.CreateMessageAsync(systemPrompt, conversation, plan.Tools, cancellationToken);

        var ids = new UpdateStamp("chatresp_" + Guid.NewGuid().ToString("N"), plan.ModelId, DateTimeOffset.UtcNow);
        var first = true;
        var toolCalls = 0;
        PendingCall? pending = null;
        await foreach (var chunk in stream.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (chunk is ToolCallChunk call && pending is not null && pending.CallId == call.CallId)
            {
                pending.Arguments.Append(call.Arguments);
                continue;
            }

            // A call is whole once other content arrives; it goes out first, so the contents keep the stream's order
            // (an OpenAI Responses reasoning item must stay right before the call it preceded). Usage is not content.
            if (pending is not null && chunk is not UsageChunk)
            {
                toolCalls++;
                yield return ids.Update(pending.ToContent(), first ? plan.IgnoredProperties() : null);
                first = false;
                pending = null;
            }

            if (chunk is ToolCallChunk started)
            {
                pending = new PendingCall(started);
                continue;
            }

            List<AI.AIContent> contents = chunk switch
            {
                TextChunk text => [new AI.TextContent(text.Text)],
                ReasoningChunk reasoning => MessageConversion.ReasoningContents(reasoning),
                UsageChunk usage => [new AI.UsageContent(UsageMapping.ToDetails(usage))],
                _ => throw new NotSupportedException($"Unknown chunk type {chunk.GetType().Name}."),
            };

            yield return ids.Update(contents, first ? plan.IgnoredProperties() : null);
            first = false;
        }

        if (pending is not null)
        {
            toolCalls++;
            yield return ids.Update(pending.ToContent(), first ? plan.IgnoredProperties() : null);
            first = false;
        }

        // Some providers report usage only out of band, once the stream is over (OpenRouter's generation lookup).
        if (await OutOfBandUsageAsync(cancellationToken).ConfigureAwait(false) is { } lateUsage)
        {
            yield return ids.Update(new AI.UsageContent(UsageMapping.ToDetails(lateUsage)), first ? plan.IgnoredProperties() : null);
            first = false;
        }

        var end = ids.Update((AI.AIContent?)null, first ? plan.IgnoredProperties() : null);
        end.FinishReason = toolCalls > 0 ? AI.ChatFinishReason.ToolCalls : AI.ChatFinishReason.Stop;
        yield return end;
    }

    /// <summary>
    /// <see cref="IApiHandler.GetApiStreamUsageAsync"/> after the stream: the usage a stream did not carry. A failed lookup
    /// leaves the usage out instead of failing an answer that has already arrived.
    /// </summary>
    private async Task<UsageChunk?> OutOfBandUsageAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _handler.GetApiStreamUsageAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException)
        {
            return null;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(AI.ChatClientMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(_handler) ? _handler
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        // The handler belongs to whoever created it.
    }

    /// <summary>The identity every update of one response shares.</summary>
    private sealed record UpdateStamp(string ResponseId, string ModelId, DateTimeOffset CreatedAt)
    {
        public AI.ChatResponseUpdate Update(AI.AIContent? content, AI.AdditionalPropertiesDictionary? properties) =>
            Update(content is null ? [] : [content], properties);

        public AI.ChatResponseUpdate Update(IList<AI.AIContent> contents, AI.AdditionalPropertiesDictionary? properties) => new(AI.ChatRole.Assistant, contents)
        {
            ResponseId = ResponseId,
            MessageId = ResponseId,
            ModelId = ModelId,
            CreatedAt = CreatedAt,
            AdditionalProperties = properties,
        };
    }

    /// <summary>A tool call whose argument fragments are still arriving.</summary>
    private sealed class PendingCall(ToolCallChunk first)
    {
        public string CallId { get; } = first.CallId;

        public StringBuilder Arguments { get; } = new(first.Arguments);

        // A parse failure lands in FunctionCallContent.Exception, which function invocation reports back to the model.
        public AI.FunctionCallContent ToContent()
        {
            var content = AI.FunctionCallContent.CreateFromParsedArguments(Arguments.ToString(), CallId, first.Name, JsonArguments.Parse);
            if (!string.IsNullOrEmpty(first.FunctionId) && first.FunctionId != CallId)
            {
                content.AdditionalProperties = new() { [MessageConversion.FunctionIdKey] = first.FunctionId };
            }

            return content;
        }
    }
}

using AI = Microsoft.Extensions.AI;

namespace Providers;

/// <summary>Bridges between <see cref="IApiHandler"/> and Microsoft.Extensions.AI's <see cref="AI.IChatClient"/>.</summary>
public static class ProvidersChatClientExtensions
{
    /// <summary>
    /// The <c>AdditionalProperties</c> key under which a response lists (as <c>string[]</c>) the <see cref="AI.ChatOptions"/>
    /// members the handler could not apply, for example <c>["Temperature", "TopP"]</c>. Absent when all were applied.
    /// </summary>
    public const string IgnoredOptionsKey = "providers.ignored_options";

    /// <summary>The <see cref="AI.UsageDetails.AdditionalCounts"/> key of input tokens written to the prompt cache.</summary>
    public const string CacheWriteInputTokensKey = "CacheWriteInputTokenCount";

    /// <summary>
    /// <paramref name="handler"/> as an <see cref="AI.IChatClient"/>. Streaming maps text to <see cref="AI.TextContent"/>,
    /// reasoning to <see cref="AI.TextReasoningContent"/> (signature in <see cref="AI.TextReasoningContent.ProtectedData"/>),
    /// provider reasoning state (<see cref="ReasoningChunk.Details"/>) to <see cref="ReasoningStateContent"/>,
    /// tool-call fragments to one <see cref="AI.FunctionCallContent"/> per call once it is complete (other content
    /// arrives or the stream ends; a distinct function item id rides under <c>providers.function_id</c> in its
    /// <c>AdditionalProperties</c>), and usage increments to <see cref="AI.UsageContent"/>. Assistant messages sent back are
    /// rebuilt with <see cref="AssistantMessageBuilder"/>, so a tool loop returns the reasoning state where it arrived.
    /// <see cref="AI.ChatOptions.ModelId"/>, <c>Temperature</c>, <c>MaxOutputTokens</c> and <c>Reasoning</c> apply when the
    /// handler implements <see cref="IApiHandlerWithOverrides"/> and supports them; otherwise the response's
    /// <c>ModelId</c> names the handler's own model and <see cref="IgnoredOptionsKey"/> lists what was not applied.
    /// </summary>
    /// <param name="handler">The handler; it stays owned by the caller.</param>
    /// <param name="providerName">The provider id reported in <see cref="AI.ChatClientMetadata.ProviderName"/>.</param>
    public static AI.IChatClient AsChatClient(this IApiHandler handler, string? providerName = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return new ApiHandlerChatClient(handler, providerName);
    }

    /// <summary><paramref name="client"/> as an <see cref="IApiHandler"/>; see <see cref="ChatClientApiHandler"/>.</summary>
    /// <param name="client">The chat client; it stays owned by the caller.</param>
    /// <param name="modelId">The model to request; <see langword="null"/> uses the client's default.</param>
    /// <param name="modelInfo">What is known about the model.</param>
    public static IApiHandler AsApiHandler(this AI.IChatClient client, string? modelId = null, ModelInfo? modelInfo = null) =>
        new ChatClientApiHandler(client, modelId, modelInfo);
}

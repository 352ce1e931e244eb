using System.Diagnostics;
using Providers.Cli.Rendering;

namespace Providers.Cli.Chat;

/// <summary>Streams one answer through a renderer and collects what the conversation needs from it.</summary>
internal static class TurnRunner
{
    public static async Task<TurnResult> RunAsync(
        IApiHandler handler,
        string systemPrompt,
        IReadOnlyList<ChatMessage> history,
        IReadOnlyList<ToolDefinition>? tools,
        IChunkRenderer renderer,
        CancellationToken cancellationToken,
        Action<string>? warn = null)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? firstToken = null;
        var message = new AssistantMessageBuilder();
        var completed = false;
        try
        {
            await foreach (var chunk in handler.CreateMessageAsync(systemPrompt, history, tools, cancellationToken).ConfigureAwait(false))
            {
                if (chunk is not UsageChunk)
                {
                    firstToken ??= clock.Elapsed;
                }

                message.Add(chunk);

                renderer.Write(chunk);
            }

            var elapsed = clock.Elapsed;
            var usage = message.Usage;

            // Some providers report usage out of band; ask only when the stream carried none. The answer is complete
            // by now, so a lookup that fails costs only the usage figures: a warning, and usage stays unknown.
            if (usage is null && await LateUsageAsync(handler, warn, cancellationToken).ConfigureAwait(false) is { } late)
            {
                usage = late;
                renderer.Write(late);
            }

            renderer.Complete();
            completed = true;
            return new TurnResult(message.Build(), message.ToolCalls, usage, firstToken, elapsed);
        }
        finally
        {
            if (!completed)
            {
                renderer.Abandon();
            }
        }
    }

    private static async Task<UsageChunk?> LateUsageAsync(IApiHandler handler, Action<string>? warn, CancellationToken cancellationToken)
    {
        try
        {
            return await handler.GetApiStreamUsageAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex)
        {
            warn?.Invoke("warning: the usage of this answer could not be looked up, so it is unknown: " + ex.Message);
            return null;
        }
    }
}

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
        CancellationToken cancellationToken)
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

            // Some providers report usage out of band; ask only when the stream carried none.
            if (usage is null && await handler.GetApiStreamUsageAsync(cancellationToken).ConfigureAwait(false) is { } late)
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
}

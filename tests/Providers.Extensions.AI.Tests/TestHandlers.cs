using System.Runtime.CompilerServices;
using System.Text;
using Providers.Tests.Replay;

namespace Providers.Extensions.AI.Tests;

/// <summary>A handler that records what it was asked and yields a fixed chunk sequence.</summary>
internal class RecordingHandler(params ApiStreamChunk[] chunks) : IApiHandler
{
    public string? SystemPrompt { get; private set; }

    public IReadOnlyList<ChatMessage>? Messages { get; private set; }

    public IReadOnlyList<ToolDefinition>? Tools { get; private set; }

    public virtual ApiHandlerModel GetModel() => new("recorded-model", new ModelInfo());

    public IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools = null,
        CancellationToken cancellationToken = default)
    {
        SystemPrompt = systemPrompt;
        Messages = messages;
        Tools = tools;
        return Yield(cancellationToken);
    }

    private async IAsyncEnumerable<ApiStreamChunk> Yield([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var chunk in chunks)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return chunk;
        }
    }
}

/// <summary>A recording handler that supports the given overrides.</summary>
internal sealed class OverridableHandler(RequestOverrideKinds supported, params ApiStreamChunk[] chunks) : RecordingHandler(chunks), IApiHandlerWithOverrides
{
    public RequestOverrides? Overrides { get; private set; }

    public RequestOverrideKinds SupportedOverrides => supported;

    public IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        CancellationToken cancellationToken = default)
    {
        Overrides = overrides;
        return CreateMessageAsync(systemPrompt, messages, tools, cancellationToken);
    }
}

internal static class Ndjson
{
    public const string ContentType = "application/x-ndjson";

    /// <summary>An Ollama <c>/api/chat</c> answer: one line per text piece, then the <c>done</c> line with the token counts.</summary>
    public static ReplayResponse OllamaText(int promptTokens, int outputTokens, params string[] pieces)
    {
        var parts = pieces
            .Select(p => $$"""{"model":"llama3.2","created_at":"2026-11-20T09:32:00Z","message":{"role":"assistant","content":"{{p}}"},"done":false}""" + "\n")
            .Append($$"""{"model":"llama3.2","created_at":"2026-11-20T09:32:01Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"prompt_eval_count":{{promptTokens}},"eval_count":{{outputTokens}}}""" + "\n")
            .Select(Encoding.UTF8.GetBytes)
            .ToArray();
        return new ReplayResponse { ContentType = ContentType, Parts = parts };
    }
}

using System.Net;
using System.Runtime.CompilerServices;

namespace Providers.Abstractions.Tests.Retry;

public sealed class ScriptedOptions : ProviderOptions
{
    /// <summary>One entry per attempt: the chunks to yield, then the failure to throw (or none).</summary>
    [SettingIgnore]
    public Queue<(ApiStreamChunk[] Chunks, Exception? Failure)> Script { get; set; } = new();

    /// <summary>Plays the next scripted attempt: its chunks, then its failure.</summary>
    public async IAsyncEnumerable<ApiStreamChunk> PlayNextAttemptAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (chunks, failure) = Script.Dequeue();
        foreach (var chunk in chunks)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return chunk;
        }

        if (failure is not null)
        {
            throw failure;
        }
    }
}

/// <summary>A provider whose attempts follow a script, behind the generated class-level retry (3 retries, 1 s doubling to 10 s).</summary>
[Provider("scripted")]
[WithRetry(MaxRetries = 3, BaseDelayMs = 1000, MaxDelayMs = 10000)]
public sealed partial class ScriptedHandler(ScriptedOptions options) : IApiHandler
{
    public int Attempts { get; private set; }

    public ApiHandlerModel GetModel() => new("scripted-1", new ModelInfo());

    private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Attempts++;
        await foreach (var chunk in options.PlayNextAttemptAsync(cancellationToken))
        {
            yield return chunk;
        }
    }

    public static ProviderException Status(int status, TimeSpan? retryAfter = null) =>
        new("scripted", $"status {status}", (HttpStatusCode)status, retryAfter: retryAfter);
}

/// <summary>Retries every error but the permanent ones.</summary>
[Provider("scripted-all")]
[WithRetry(MaxRetries = 2, BaseDelayMs = 100, MaxDelayMs = 1000, RetryAllErrors = true)]
public sealed partial class RetryAllHandler(ScriptedOptions options) : IApiHandler
{
    public int Attempts { get; private set; }

    public ApiHandlerModel GetModel() => new("scripted-all-1", new ModelInfo());

    private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Attempts++;
        await foreach (var chunk in options.PlayNextAttemptAsync(cancellationToken))
        {
            yield return chunk;
        }
    }
}

/// <summary>Method-level retries on a plain class: the options come from a field.</summary>
public sealed partial class UsageLookup(ScriptedOptions options)
{
    private readonly ScriptedOptions _options = options;
    private readonly Queue<Exception?> _failures = new();

    public int Calls { get; private set; }

    public UsageLookup Failing(params Exception?[] failures)
    {
        foreach (var failure in failures)
        {
            _failures.Enqueue(failure);
        }

        return this;
    }

    [WithRetry(MaxRetries = 4, BaseDelayMs = 250, MaxDelayMs = 1000, RetryAllErrors = true)]
    public partial Task<UsageChunk> FetchAsync(string generationId, CancellationToken cancellationToken);

    private async Task<UsageChunk> FetchCoreAsync(string generationId, CancellationToken cancellationToken)
    {
        Calls++;
        await Task.Yield();
        if (_failures.TryDequeue(out var failure) && failure is not null)
        {
            throw failure;
        }

        return new UsageChunk(10, 20, TotalCost: 0.5m);
    }

    public ScriptedOptions Options => _options;
}

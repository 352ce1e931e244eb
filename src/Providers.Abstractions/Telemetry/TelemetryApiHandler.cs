using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Providers;

/// <summary>Wraps a handler with the <c>Providers</c> activity, metrics and log lines.</summary>
public static class ApiHandlerTelemetryExtensions
{
    /// <summary>
    /// Wraps <paramref name="handler"/> so each <c>CreateMessageAsync</c> is one <c>chat</c> activity and records the
    /// GenAI metrics of <see cref="ProvidersTelemetry"/>, plus log lines through <paramref name="logger"/>. Prompts,
    /// outputs and keys are never recorded. Cheap when nothing listens. Retries are counted when
    /// <see cref="ProvidersTelemetry.RecordRetryAttempt"/> is chained into the handler's <see cref="ProviderOptions.OnRetryAttempt"/>.
    /// </summary>
    /// <param name="handler">The handler to wrap.</param>
    /// <param name="providerName">The provider id, reported as <c>gen_ai.provider.name</c>.</param>
    /// <param name="logger">Where to log; <see langword="null"/> logs nothing.</param>
    /// <param name="timeProvider">The clock for durations; <see langword="null"/> uses the system clock.</param>
    public static IApiHandler WithTelemetry(this IApiHandler handler, string providerName, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        return new TelemetryApiHandler(handler, providerName, logger, timeProvider ?? TimeProvider.System);
    }
}

/// <summary>
/// The decorator behind <see cref="ApiHandlerTelemetryExtensions.WithTelemetry"/>: measures both streaming overloads;
/// everything else (model, usage, abort, supported overrides) is passed on by <see cref="DelegatingApiHandler"/>.
/// </summary>
internal sealed class TelemetryApiHandler(IApiHandler inner, string providerName, ILogger? logger, TimeProvider time) : DelegatingApiHandler(inner)
{
    public override IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools = null,
        CancellationToken cancellationToken = default) =>
        Measure(InnerHandler.GetModel().Id, token => InnerHandler.CreateMessageAsync(systemPrompt, messages, tools, token), cancellationToken);

    public override IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        if (InnerHandler is not IApiHandlerWithOverrides withOverrides)
        {
            return CreateMessageAsync(systemPrompt, messages, tools, cancellationToken);
        }

        var model = withOverrides.SupportedOverrides.HasFlag(RequestOverrideKinds.ModelId) && overrides.ModelId is { } id ? id : InnerHandler.GetModel().Id;
        return Measure(model, token => withOverrides.CreateMessageAsync(systemPrompt, messages, tools, overrides, token), cancellationToken);
    }

    private async IAsyncEnumerable<ApiStreamChunk> Measure(
        string modelId,
        Func<CancellationToken, IAsyncEnumerable<ApiStreamChunk>> start,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var operation = new TelemetryOperation(providerName, modelId, logger, time);
        IAsyncEnumerator<ApiStreamChunk>? chunks = null;
        try
        {
            while (true)
            {
                ApiStreamChunk chunk;
                operation.Enter();
                try
                {
                    chunks ??= start(cancellationToken).GetAsyncEnumerator(cancellationToken);
                    if (!await chunks.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    chunk = chunks.Current;
                }
                catch (Exception ex)
                {
                    operation.Fail(ex);
                    throw;
                }
                finally
                {
                    operation.Exit();
                }

                operation.Observe(chunk);
                yield return chunk;
            }

            operation.Complete();
        }
        finally
        {
            // Reached without Complete or Fail only when the consumer stopped early.
            operation.Abandon();
            if (chunks is not null)
            {
                await chunks.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

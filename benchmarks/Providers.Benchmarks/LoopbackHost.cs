using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Providers.Benchmarks;

/// <summary>
/// A Kestrel server on 127.0.0.1 that answers with a corpus chosen by path (<c>/openai-text/…</c>, <c>/anthropic/…</c>,
/// <c>/ollama/…</c>). It notes the time just before the first body bytes go out, for time to first chunk.
/// </summary>
public sealed class LoopbackHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackHost(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary><see cref="Stopwatch.GetTimestamp"/> just before the first output event was written.</summary>
    public long FirstOutputWrittenAt { get; private set; }

    /// <summary>
    /// Time to first chunk: after the first output, write the rest only once the client has said (<see cref="FirstChunkTaken"/>)
    /// that it holds its first chunk, or after a second. The measured span then does not compete with the server writing
    /// the rest of the stream in the same process (10,000 lines for Ollama, where a real server writes its next line tens
    /// of milliseconds later).
    /// </summary>
    public bool HoldRestUntilFirstChunk { get; init; }

    private TaskCompletionSource? _firstChunk;

    /// <summary>Tells the server that the client holds its first chunk, so that it writes the rest.</summary>
    public void FirstChunkTaken() => _firstChunk?.TrySetResult();

    /// <summary>Pause between parts when streaming (the load test spreads each stream over time).</summary>
    public TimeSpan PartDelay { get; init; }

    /// <summary>Parts per write in the load test (events are grouped so that a stream takes PartDelay × groups).</summary>
    public int PartsPerWrite { get; init; } = int.MaxValue;

    public static async Task<LoopbackHost> StartAsync(TimeSpan partDelay = default, int partsPerWrite = int.MaxValue, int port = 0, bool holdRestUntilFirstChunk = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(System.Net.IPAddress.Loopback, port);
            o.Limits.MaxConcurrentConnections = null;
        });
        var app = builder.Build();
        var host = new LoopbackHost(app) { PartDelay = partDelay, PartsPerWrite = partsPerWrite, HoldRestUntilFirstChunk = holdRestUntilFirstChunk };
        app.Run(host.HandleAsync);
        await app.StartAsync();
        var address = app.Urls.First();
        host.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        return host;
    }

    public static Corpus CorpusFor(string path) =>
        path.Contains("/anthropic", StringComparison.Ordinal) ? Corpora.AnthropicCodeExecution
        : path.Contains("/ollama", StringComparison.Ordinal) ? Corpora.Ollama
        : path.Contains("/groq", StringComparison.Ordinal) ? Corpora.GroqReasoning
        : Corpora.OpenAiText;

    private async Task HandleAsync(HttpContext context)
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        var corpus = CorpusFor(context.Request.Path.Value ?? "");
        context.Response.ContentType = corpus.ContentType;
        var body = context.Response.Body;
        var ct = context.RequestAborted;
        if (PartDelay > TimeSpan.Zero)
        {
            // Load: the stream in groups of events, a pause between groups, as a model writes.
            await context.Response.StartAsync(ct);
            for (var i = 0; i < corpus.Parts.Count; i += PartsPerWrite)
            {
                for (var j = i; j < Math.Min(i + PartsPerWrite, corpus.Parts.Count); j++)
                {
                    await body.WriteAsync(corpus.Parts[j], ct);
                }

                await body.FlushAsync(ct);
                await Task.Delay(PartDelay, ct);
            }

            return;
        }

        // Time to first chunk: headers first, then the events up to the first one with output in one write, then the rest.
        await context.Response.StartAsync(ct);
        var head = corpus.Parts.Take(corpus.PartsToFirstOutput).SelectMany(p => p).ToArray();
        var firstChunk = HoldRestUntilFirstChunk ? _firstChunk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        FirstOutputWrittenAt = Stopwatch.GetTimestamp();
        await body.WriteAsync(head, ct);
        await body.FlushAsync(ct);
        if (firstChunk is not null)
        {
            try
            {
                await firstChunk.Task.WaitAsync(TimeSpan.FromSeconds(1), ct);
            }
            catch (TimeoutException)
            {
                // A client that never reports a first chunk still gets the rest.
            }
        }

        for (var j = corpus.PartsToFirstOutput; j < corpus.Parts.Count; j++)
        {
            await body.WriteAsync(corpus.Parts[j], ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

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

    /// <summary>Pause between parts when streaming (the load test spreads each stream over time).</summary>
    public TimeSpan PartDelay { get; init; }

    /// <summary>Parts per write in the load test (events are grouped so that a stream takes PartDelay × groups).</summary>
    public int PartsPerWrite { get; init; } = int.MaxValue;

    public static async Task<LoopbackHost> StartAsync(TimeSpan partDelay = default, int partsPerWrite = int.MaxValue, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(System.Net.IPAddress.Loopback, port);
            o.Limits.MaxConcurrentConnections = null;
        });
        var app = builder.Build();
        var host = new LoopbackHost(app) { PartDelay = partDelay, PartsPerWrite = partsPerWrite };
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
        FirstOutputWrittenAt = Stopwatch.GetTimestamp();
        await body.WriteAsync(head, ct);
        await body.FlushAsync(ct);
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

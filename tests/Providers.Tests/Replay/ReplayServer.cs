using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Providers.Tests.Replay;

/// <summary>One scripted answer of the <see cref="ReplayServer"/>.</summary>
public sealed record ReplayResponse
{
    public int Status { get; init; } = 200;

    public string ContentType { get; init; } = "text/event-stream";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The body, written part by part with a flush after each (real chunk boundaries).</summary>
    public IReadOnlyList<byte[]> Parts { get; init; } = [];

    /// <summary>Wait before sending the headers.</summary>
    public TimeSpan DelayBeforeHeaders { get; init; }

    /// <summary>Wait between parts.</summary>
    public TimeSpan DelayBetweenParts { get; init; }

    /// <summary>Reset the connection before sending anything.</summary>
    public bool ResetBeforeHeaders { get; init; }

    /// <summary>Reset the connection after the parts, instead of ending the body cleanly.</summary>
    public bool ResetAfterParts { get; init; }

    /// <summary>Keep the connection open and silent after the parts until the client goes away.</summary>
    public bool HangAfterParts { get; init; }

    /// <summary>The same body, one byte per part: the most hostile chunk boundaries.</summary>
    public ReplayResponse OneByteAtATime() =>
        this with { Parts = Parts.SelectMany(p => p).Select(b => new[] { b }).ToArray() };

    public static ReplayResponse Json(int status, string body, IReadOnlyDictionary<string, string>? headers = null) => new()
    {
        Status = status,
        ContentType = "application/json",
        Parts = [Encoding.UTF8.GetBytes(body)],
        Headers = headers ?? new Dictionary<string, string>(),
    };
}

/// <summary>A request the server received.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel) that answers each request with the next scripted <see cref="ReplayResponse"/>
/// and records every request. With the script exhausted it answers 599 so a test sees the extra request.
/// </summary>
public sealed class ReplayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReplayResponse> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _disconnectedAfterHang;

    private ReplayServer(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>How many hanging responses ended because the client went away (the connection was released).</summary>
    public int ClientDisconnects => Volatile.Read(ref _disconnectedAfterHang);

    public static async Task<ReplayServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ReplayServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Urls.First();
        server.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    public ReplayServer Enqueue(params ReplayResponse[] responses)
    {
        foreach (var response in responses)
        {
            _script.Enqueue(response);
        }

        return this;
    }

    private async Task HandleAsync(HttpContext context)
    {
        // Recorded even when the client gave up while sending: a test counts the attempts that reached the server.
        string body;
        try
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            body = "";
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body));

        if (!_script.TryDequeue(out var response))
        {
            context.Response.StatusCode = 599;
            await context.Response.WriteAsync("no scripted response left");
            return;
        }

        var aborted = context.RequestAborted;
        try
        {
            if (response.DelayBeforeHeaders > TimeSpan.Zero)
            {
                await Task.Delay(response.DelayBeforeHeaders, aborted);
            }

            if (response.ResetBeforeHeaders)
            {
                context.Features.Get<IHttpResetFeature>()?.Reset(0);
                context.Abort();
                return;
            }

            context.Response.StatusCode = response.Status;
            context.Response.ContentType = response.ContentType;
            foreach (var (name, value) in response.Headers)
            {
                context.Response.Headers[name] = value;
            }

            await context.Response.StartAsync(aborted);
            foreach (var part in response.Parts)
            {
                if (response.DelayBetweenParts > TimeSpan.Zero)
                {
                    await Task.Delay(response.DelayBetweenParts, aborted);
                }

                await context.Response.Body.WriteAsync(part, aborted);
                await context.Response.Body.FlushAsync(aborted);
            }

            if (response.ResetAfterParts)
            {
                context.Abort();
                return;
            }

            if (response.HangAfterParts)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, aborted);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref _disconnectedAfterHang);
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref _disconnectedAfterHang);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

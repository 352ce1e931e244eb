using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace QuickStart;

/// <summary>
/// A real HTTP server on 127.0.0.1 that answers the first request with 503 and <c>Retry-After: 1</c>, then replays a
/// recorded OpenRouter stream line by line. It stands in for a provider so the sample needs no key and no network.
/// </summary>
internal sealed class LocalReplayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private LocalReplayServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<LocalReplayServer> StartAsync(string recordingPath)
    {
        var lines = await File.ReadAllLinesAsync(recordingPath);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new LocalReplayServer(app);
        app.MapPost("/api/v1/chat/completions", async context =>
        {
            if (Interlocked.Increment(ref server._requests) == 1)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "1";
                await context.Response.WriteAsJsonAsync(new ErrorReply(new ErrorDetail("overloaded", "The upstream model is overloaded; try again shortly.")), ReplayJson.Default.ErrorReply);
                return;
            }

            context.Response.ContentType = "text/event-stream";
            foreach (var line in lines)
            {
                await context.Response.WriteAsync(line + "\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(15, context.RequestAborted);
            }
        });
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/api/v1");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record ErrorReply(ErrorDetail Error);

internal sealed record ErrorDetail(string Code, string Message);

[System.Text.Json.Serialization.JsonSerializable(typeof(ErrorReply))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class ReplayJson : System.Text.Json.Serialization.JsonSerializerContext;

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Providers.Tests.Hostile;

/// <summary>A request as the raw-socket server read it: the request line and headers exactly as sent, and the body.</summary>
public sealed record RawRequest(string Head, string Body)
{
    public string RequestLine => Head.Split("\r\n")[0];
}

/// <summary>
/// A hostile HTTP/1.1 server on a raw socket (127.0.0.1, a free port): every response is written byte for byte by the
/// test, so it can send what no well-behaved server framework would (a reason phrase holding a key, a body that never
/// ends, a corrupt gzip body, a 50 MB line). Records every request as received.
/// </summary>
public sealed class HostileServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Func<Stream, CancellationToken, Task>> _script = new();
    private readonly ConcurrentQueue<RawRequest> _requests = new();
    private readonly Task _accepting;

    public HostileServer()
    {
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptLoopAsync();
    }

    public Uri BaseUri { get; }

    public IReadOnlyList<RawRequest> Requests => _requests.ToArray();

    /// <summary>Answers every request once the script is used up (the fuzzer serves one case to all its attempts).</summary>
    public Func<Stream, CancellationToken, Task>? Fallback { get; set; }

    /// <summary>Drops the recorded requests (a long fuzz run would keep them all).</summary>
    public void ClearRequests() => _requests.Clear();

    /// <summary>Answers the next request by running <paramref name="respond"/> on the connection; the connection closes after it.</summary>
    public HostileServer Enqueue(Func<Stream, CancellationToken, Task> respond)
    {
        _script.Enqueue(respond);
        return this;
    }

    /// <summary>Answers the next request with these exact bytes, then closes the connection.</summary>
    public HostileServer Enqueue(byte[] response) => Enqueue(async (stream, token) => await stream.WriteAsync(response, token));

    /// <summary>Answers the next request with this head (status line and headers, CRLF-separated, without the blank line) and body.</summary>
    public HostileServer Enqueue(string head, byte[] body, bool hang = false) => Enqueue(async (stream, token) =>
    {
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head + "\r\n\r\n"), token);
        await stream.WriteAsync(body, token);
        await stream.FlushAsync(token);
        if (hang)
        {
            await Task.Delay(Timeout.Infinite, token);
        }
    });

    public HostileServer Enqueue(string head, string body, bool hang = false) => Enqueue(head, Encoding.UTF8.GetBytes(body), hang);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var request = await ReadRequestAsync(stream, _stop.Token);
                    if (request is null)
                    {
                        return;
                    }

                    _requests.Enqueue(request);
                    if (!_script.TryDequeue(out var respond) && (respond = Fallback) is null)
                    {
                        await stream.WriteAsync("HTTP/1.1 599 No Script\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
                        return;
                    }

                    await respond(stream, _stop.Token);
                    return;
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away, or the test ended.
            }
        }
    }

    private static async Task<RawRequest?> ReadRequestAsync(Stream stream, CancellationToken token)
    {
        var head = new MemoryStream();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, token) == 0)
            {
                return null;
            }

            head.WriteByte(one[0]);
            var length = head.Length;
            if (length >= 4 && head.GetBuffer()[(int)length - 4] == '\r' && head.GetBuffer()[(int)length - 3] == '\n'
                && head.GetBuffer()[(int)length - 2] == '\r' && head.GetBuffer()[(int)length - 1] == '\n')
            {
                break;
            }
        }

        var text = Encoding.Latin1.GetString(head.ToArray());
        var contentLength = 0;
        foreach (var line in text.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var body = new byte[contentLength];
        var read = 0;
        while (read < contentLength)
        {
            var n = await stream.ReadAsync(body.AsMemory(read), token);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return new RawRequest(text.TrimEnd(), Encoding.UTF8.GetString(body, 0, read));
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}

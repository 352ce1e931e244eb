using System.Globalization;
using Providers.ClaudeCode;
using Providers.Tests.Replay;

namespace Providers.Tests.Abort;

/// <summary>
/// <see cref="IApiHandler.Abort"/> on <c>claude-code</c>: a fake <c>claude</c> prints its first text, starts a child
/// process and waits on it; Abort ends the stream with a cancellation and kills the whole process tree.
/// </summary>
public sealed class ClaudeCodeAbortTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "abort-claude-" + Guid.NewGuid().ToString("N"));

    public ClaudeCodeAbortTests()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Executable, """
            #!/bin/sh
            dir="$(dirname "$0")"
            echo $$ > "$dir/shell.pid"
            cat > /dev/null
            echo '{"type":"system","subtype":"init","model":"claude-sonnet-4-5-20250929","apiKeySource":"none"}'
            echo '{"type":"assistant","message":{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"Hi"}],"stop_reason":null,"usage":{"input_tokens":3,"output_tokens":1}}}'
            sleep 600 &
            echo $! > "$dir/child.pid"
            wait
            """.Replace("\r", "", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private string Executable => System.IO.Path.Combine(_folder, "claude");

    [Fact]
    public async Task Abort_mid_stream_ends_the_stream_with_cancellation_and_kills_the_process_tree()
    {
        using var clock = new FastRetryClock();
        var handler = new ClaudeCodeHandler(clock.Attach(new ClaudeCodeOptions { Path = Executable }));
        await using var stream = handler.CreateMessageAsync("sys", [ChatMessage.User("Hello")]).GetAsyncEnumerator();

        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Limit));
        Assert.Equal(new TextChunk("Hi"), stream.Current);
        var shell = await PidAsync("shell.pid");
        var child = await PidAsync("child.pid");
        Assert.True(IsRunning(shell) && IsRunning(child), "the fake claude and its child should run until aborted");
        var next = stream.MoveNextAsync().AsTask();

        handler.Abort();

        var ex = await Record.ExceptionAsync(() => next.WaitAsync(Limit));
        Assert.True(ex is OperationCanceledException, ex?.ToString());
        Assert.True(await GoneAsync(shell), "Abort left the claude process running");
        Assert.True(await GoneAsync(child), "Abort left the claude process's child running");
        Assert.Empty(clock.Retries);
    }

    [Fact]
    public async Task Abort_with_nothing_in_flight_does_nothing_and_the_next_request_works()
    {
        using var clock = new FastRetryClock();
        var handler = new ClaudeCodeHandler(clock.Attach(new ClaudeCodeOptions { Path = Executable }));
        handler.Abort();
        await using var stream = handler.CreateMessageAsync("sys", [ChatMessage.User("Hello")]).GetAsyncEnumerator();

        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Limit));
        Assert.Equal(new TextChunk("Hi"), stream.Current);
        handler.Abort();
    }

    public void Dispose()
    {
        // Whatever a failed test left running.
        foreach (var name in (string[])["child.pid", "shell.pid"])
        {
            var file = System.IO.Path.Combine(_folder, name);
            if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && IsRunning(pid))
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
                {
                    // Gone meanwhile.
                }
            }
        }

        Directory.Delete(_folder, recursive: true);
    }

    private async Task<int> PidAsync(string name)
    {
        var file = System.IO.Path.Combine(_folder, name);
        var deadline = DateTime.UtcNow + Limit;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                return pid;
            }

            await Task.Delay(20);
        }

        throw new Xunit.Sdk.XunitException($"The fake claude never wrote {name}.");
    }

    private static async Task<bool> GoneAsync(int pid)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (IsRunning(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return !IsRunning(pid);
    }

    /// <summary>Alive and not a zombie waiting to be reaped (state 'Z' or 'X' in <c>/proc/PID/stat</c>).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].TrimStart()[0];
            return state is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

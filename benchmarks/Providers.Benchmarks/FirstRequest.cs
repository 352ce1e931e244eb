using System.Diagnostics;
using System.Globalization;
using Providers.OpenAi;

namespace Providers.Benchmarks;

/// <summary>
/// The first request of a fresh process, which every application pays once and a command-line tool pays on every run:
/// the time from building the client to the first text chunk of openai-text (from the load's replay server, a child
/// process), for ours, OpenAI's SDK or the floor. Everything that request compiles or loads is counted, as it is in an
/// application. One subject per process; run several processes, alternating subjects, from the repository root:
/// <code>for i in 1 2 3 4 5; do for s in ours openai-sdk floor; do dotnet /tmp/r2r/Providers.Benchmarks.dll first $s; done; done</code>
/// Prints <c>| subject | first chunk ms | methods JIT'd by then | JIT ms by then | second request's first chunk ms |</c>:
/// the JIT's counts are every thread's, from just before the client is built; the second request reuses the client
/// (and its connection) once the first stream has ended.
/// </summary>
public static class FirstRequest
{
    public static async Task<int> RunAsync(string subject)
    {
        using var server = Load.StartServer(out var baseUri);
        using var http = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        var openAiBase = new Uri(baseUri, "openai-text/v1");
        Func<Func<Action, Task<long>>> build = subject switch
        {
            "ours" => () =>
            {
                var handler = new OpenAiHandler(Subjects.OursOpenAiOptionsFor(http, openAiBase));
                return first => Subjects.ConsumeOursAsync(handler, first);
            },
            "openai-sdk" => () =>
            {
                var client = Subjects.OpenAiSdkFor(http, openAiBase);
                return first => Subjects.ConsumeOpenAiSdkAsync(client, first);
            },
            "floor" => () =>
            {
                var url = new Uri(openAiBase.ToString() + "/chat/completions");
                return first => Subjects.FloorSseAsync(http, url, 0, first);
            },
            _ => throw new ArgumentException("subject: ours, openai-sdk or floor"),
        };

        var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
        var jitTime = System.Runtime.JitInfo.GetCompilationTime();
        var started = Stopwatch.GetTimestamp();
        TimeSpan firstChunk = default;
        var run = build();
        var expected = await run(() =>
        {
            firstChunk = Stopwatch.GetElapsedTime(started);
            jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethods;
            jitTime = System.Runtime.JitInfo.GetCompilationTime() - jitTime;
        });

        started = Stopwatch.GetTimestamp();
        TimeSpan secondChunk = default;
        var again = await run(() => secondChunk = Stopwatch.GetElapsedTime(started));
        if (again != expected || firstChunk == default || secondChunk == default)
        {
            throw new InvalidOperationException($"{subject}: the two requests read different streams ({expected} and {again}), or no text.");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {subject}{(subject == "ours" && Load.OursPrecompiled() ? " (ReadyToRun)" : "")} | {firstChunk.TotalMilliseconds:0.0} | {jitMethods} | {jitTime.TotalMilliseconds:0} | {secondChunk.TotalMilliseconds:0.00} |"));
        server.StandardInput.Close();
        if (!server.WaitForExit(5000))
        {
            server.Kill();
        }

        return 0;
    }
}

using System.Diagnostics;
using System.Globalization;

namespace Providers.Benchmarks;

/// <summary>
/// 1,000 concurrent streams against a loopback replay server in a child process (so that the working set measured is
/// the client's alone). Each stream is <c>openai-text</c> (302 events) sent in 31 writes 20 ms apart, so all streams overlap.
/// </summary>
/// <remarks>
/// Prints one row: <c>| subject | streams | completed | failed | wall s | events/s | peak working set MB | CPU s | allocated MB | allocated bytes per stream | methods JIT'd | JIT ms |</c>.
/// CPU is the client process's processor time (user + system, all threads) during the load, allocations are
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/> over the same span, and the last two are what
/// <see cref="System.Runtime.JitInfo"/> counts for every thread over it (compilations, and the time spent in them):
/// all leave out start-up and the first stream.
/// Built by <c>dotnet build</c>, our assemblies are IL and JIT'd like the benchmark's own code, while the framework the
/// floor runs on is precompiled. What users of the NuGet package run is our assemblies precompiled too; measure that
/// from a publish (the row then reads <c>ours (ReadyToRun)</c>), from the repository root:
/// <code>
/// dotnet publish benchmarks/Providers.Benchmarks -c Release -r linux-x64 -p:ProvidersReadyToRun=true -o /tmp/r2r
/// dotnet /tmp/r2r/Providers.Benchmarks.dll load ours 1000 1
/// </code>
/// </remarks>
public static class Load
{
    /// <param name="subject">ours, openai-sdk, floor or json-floor.</param>
    /// <param name="streams">Concurrent streams measured.</param>
    /// <param name="warmup">
    /// Streams run (all at once) before the measured ones, followed by a second's pause. 1 (the default) leaves the
    /// JIT's tiering to happen during the load: the library's code (not precompiled, unlike the framework's) then runs
    /// partly at tier 0 and the tiering compiler's work is counted. A larger number measures the steady state.
    /// </param>
    public static async Task<int> RunClientAsync(string subject, int streams, int warmup = 1)
    {
        using var server = StartServer(out var baseUri);
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { Timeout = Timeout.InfiniteTimeSpan };
        var subjects = new Subjects(http, new Uri(baseUri, "openai-text/v1"), new Uri(baseUri, "anthropic"), new Uri(baseUri, "ollama/"));
        Func<Task<long>> run = subject switch
        {
            "ours" => () => subjects.OursOpenAiAsync(),
            "openai-sdk" => () => subjects.OpenAiSdkAsync(),
            "floor" => () => subjects.FloorOpenAiAsync(),
            // The floor plus one Utf8JsonReader pass over each event: what parsing the JSON alone adds, cold and warm.
            "json-floor" => () => subjects.JsonFloorOpenAiAsync(),
            _ => throw new ArgumentException("subject: ours, openai-sdk, floor or json-floor"),
        };

        // One stream first, so that start-up costs are not counted as load.
        var expected = await run();
        if (warmup > 1)
        {
            var warm = await Task.WhenAll(Enumerable.Range(1, warmup - 1).Select(_ => run()));
            if (warm.Any(sum => sum != expected))
            {
                throw new InvalidOperationException("A warm-up stream read something else than the first.");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        using var self = Process.GetCurrentProcess();
        // CPU and allocations of the load alone (start-up excluded): on a shared machine wall time is noise, the
        // client's own CPU time (user + system, every thread) and the bytes it allocated are not.
        var cpuBefore = self.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var jitMethodsBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        var jitTimeBefore = System.Runtime.JitInfo.GetCompilationTime();
        var started = Stopwatch.GetTimestamp();
        var completed = 0;
        var failed = 0;
        var tasks = Enumerable.Range(0, streams).Select(async _ =>
        {
            try
            {
                if (await run() == expected)
                {
                    Interlocked.Increment(ref completed);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
            catch (Exception)
            {
                Interlocked.Increment(ref failed);
            }
        }).ToArray();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await Task.WhenAll(tasks).WaitAsync(cts.Token);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethodsBefore;
        var jitTime = System.Runtime.JitInfo.GetCompilationTime() - jitTimeBefore;
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        var events = (long)completed * Corpora.OpenAiTextEvents;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {subject}{(subject == "ours" && OursPrecompiled() ? " (ReadyToRun)" : "")}{(warmup > 1 ? $" (warm-up {warmup})" : "")} | {streams} | {completed} | {failed} | {elapsed.TotalSeconds:0.00} | {events / elapsed.TotalSeconds:0} | {self.PeakWorkingSet64 / (1024.0 * 1024):0} | {cpu.TotalSeconds:0.00} | {allocated / (1024.0 * 1024):0.0} | {allocated / Math.Max(1, streams):0} | {jitMethods} | {jitTime.TotalMilliseconds:0} |"));
        server.StandardInput.Close();
        if (!server.WaitForExit(5000))
        {
            server.Kill();
        }

        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// Whether Providers.dll was loaded as a ReadyToRun image, as the package ships it (see the benchmark's project file
    /// for the publish that does this) rather than as IL for the JIT.
    /// </summary>
    internal static bool OursPrecompiled()
    {
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(typeof(Providers.Http.ProviderHttp).Assembly.Location));
        return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }

    /// <summary>The replay server as a child process (this program in <c>load-server</c> mode); it prints its address.</summary>
    internal static Process StartServer(out Uri baseUri)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Load).Assembly.Location);
        }

        start.ArgumentList.Add("load-server");
        // The JIT's list of compiled methods (benchmarks/jit-summary.py) is the client's alone: the server writes its own.
        if (Environment.GetEnvironmentVariable("DOTNET_JitStdOutFile") is { Length: > 0 } jitList)
        {
            start.Environment["DOTNET_JitStdOutFile"] = jitList + ".server";
        }

        var process = Process.Start(start)!;
        baseUri = new Uri(process.StandardOutput.ReadLine()!);
        return process;
    }

    public static async Task RunServerAsync()
    {
        await using var host = await LoopbackHost.StartAsync(TimeSpan.FromMilliseconds(20), partsPerWrite: 10);
        Console.WriteLine(host.BaseUri);
        // Ends when the client closes standard input (or dies).
        await Console.In.ReadToEndAsync();
    }
}

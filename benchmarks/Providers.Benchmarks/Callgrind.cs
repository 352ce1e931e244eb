using System.Runtime.InteropServices;

namespace Providers.Benchmarks;

/// <summary>
/// Instruction counts per case under callgrind. <c>PROBE_CALLGRIND</c> is the path of a library exporting <c>cg_zero</c>
/// and <c>cg_dump</c>, which wrap <c>CALLGRIND_ZERO_STATS</c> and <c>CALLGRIND_DUMP_STATS_AT</c>; each case is warmed up
/// and then run <c>rounds</c> times between a zero and a dump named after it, so each dump holds that case's count alone.
/// Run the process under <c>valgrind --tool=callgrind</c> with <c>DOTNET_TieredCompilation=0</c>.
/// </summary>
public static class Callgrind
{
    private delegate void Zero();

    private delegate void Dump([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    /// <summary>Whether <c>PROBE_CALLGRIND</c> is set, so the caller counts instructions instead of timing.</summary>
    public static bool Requested => Environment.GetEnvironmentVariable("PROBE_CALLGRIND") is { Length: > 0 };

    public static async Task CountEachAsync(IEnumerable<PairedSubject> cases, int rounds)
    {
        var handle = NativeLibrary.Load(Environment.GetEnvironmentVariable("PROBE_CALLGRIND")!);
        var zero = Marshal.GetDelegateForFunctionPointer<Zero>(NativeLibrary.GetExport(handle, "cg_zero"));
        var dump = Marshal.GetDelegateForFunctionPointer<Dump>(NativeLibrary.GetExport(handle, "cg_dump"));
        foreach (var c in cases)
        {
            // Long enough for tier-1 code of everything the case runs (tiering waits for calls and for a quiet 100 ms).
            for (var i = 0; i < 35; i++) await c.Run();
            Thread.Sleep(500);
            for (var i = 0; i < 10; i++) await c.Run();
            Thread.Sleep(500);
            await c.Run();
            zero();
            for (var i = 0; i < rounds; i++) await c.Run();
            dump(c.Name);
        }
    }
}

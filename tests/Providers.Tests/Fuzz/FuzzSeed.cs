namespace Providers.Tests.Fuzz;

/// <summary>
/// The fuzzers' seeds: the same on every run and machine. string.GetHashCode is randomised per process in .NET, so it
/// must not feed a seed. PROVIDERS_FUZZ_SEED replaces the base seed to explore other mutations; a failure's message
/// names the seed that found it.
/// </summary>
internal static class FuzzSeed
{
    public const int Default = 20261202;

    public static int Base { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("PROVIDERS_FUZZ_SEED"), out var seed) ? seed : Default;

    /// <summary>A stable seed per case name (FNV-1a over its UTF-16 code units).</summary>
    public static int For(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return Base ^ (int)(hash & 0x7fff_ffff);
    }
}

using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace Providers.Generators.Benchmarks;

/// <summary>
/// Another build of the generator (PROVIDERS_OLD_GENERATOR: the path of its Providers.Generators.dll), loaded beside
/// this one in its own load context, so old and new run interleaved in one process: an A/B under the same load.
/// Everything but the generator itself (Roslyn above all) comes from this process, as a compiler host would give it.
/// </summary>
internal static class OldGenerator
{
    private static IIncrementalGenerator? s_instance;

    public static IIncrementalGenerator Create()
    {
        if (s_instance is null)
        {
            var path = Environment.GetEnvironmentVariable("PROVIDERS_OLD_GENERATOR")
                ?? throw new InvalidOperationException("Set PROVIDERS_OLD_GENERATOR to the old Providers.Generators.dll.");
            var context = new Context(Path.GetFullPath(path));
            var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(path));
            s_instance = (IIncrementalGenerator)Activator.CreateInstance(assembly.GetType("Providers.Generators.ProviderGenerator", throwOnError: true)!)!;
        }

        return (IIncrementalGenerator)Activator.CreateInstance(s_instance.GetType())!;
    }

    private sealed class Context(string path) : AssemblyLoadContext("old-generator")
    {
        protected override Assembly? Load(AssemblyName name) =>
            name.Name == "Providers.Generators" ? LoadFromAssemblyPath(path) : null;
    }
}

using BenchmarkDotNet.Running;

namespace Providers.Benchmarks;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "ttfc":
                await TimeToFirstChunk.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200);
                return 0;
            case "load":
                return await Load.RunClientAsync(args.Length > 1 ? args[1] : "ours", args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000,
                    args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1);
            case "probe-load":
                await LoadProbe.RunAsync(
                    args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20,
                    args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200,
                    args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 10,
                    args.Length > 4 ? args[4] : null);
                return 0;
            case "first":
                return await FirstRequest.RunAsync(args.Length > 1 ? args[1] : "ours");
            case "load-server":
                await Load.RunServerAsync();
                return 0;
            case "probe":
                Probe.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100, args.Length > 2 ? args[2] : "ollama");
                return 0;
            case "probe-ndjson":
                await NdjsonProbe.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40);
                return 0;
            case "probe-readers":
                ReaderProbe.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200);
                return 0;
            case "probe-fixed":
                FixedCostProbe.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 30);
                return 0;
            case "probe-alloc":
                await AllocationProbe.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000);
                return 0;
            case "probe-solo":
                SoloProbe.Run(args.Length > 1 ? args[1] : "openai-text");
                return 0;
            case "paired":
                return Paired.Run(args[1..]);
            case "check":
                await CheckAsync();
                return 0;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }

    /// <summary>Reads each corpus once through every subject and prints what each consumed, so a broken subject shows.</summary>
    private static async Task CheckAsync()
    {
        foreach (var (name, create) in StreamCorpora.All)
        {
            var bench = create();
            bench.Setup();
            foreach (var (subject, _, _, run) in bench.Cases())
            {
                Console.WriteLine($"{name,-16} {subject,-46} {await run()}");
            }
        }
    }
}

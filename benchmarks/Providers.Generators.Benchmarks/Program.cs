using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Providers.Generators.Benchmarks.GeneratorBenchmarks).Assembly).Run(args);

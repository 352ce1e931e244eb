using Providers.Cli;

// `--version` is answered before anything else is touched, so the AOT binary starts and exits in a few milliseconds.
if (args is ["--version"])
{
    Console.Out.WriteLine(CliApp.VersionLine);
    return 0;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C cancels the request cleanly; a second one, while that is still winding down, ends the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
{
    environment[(string)entry.Key] = entry.Value as string;
}

var app = new CliApp { StdoutIsTerminal = !Console.IsOutputRedirected };
return await app.RunAsync(args, Console.In, Console.Out, Console.Error, !Console.IsInputRedirected, environment, cancellation.Token);

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

// Console.Out swallows EPIPE, so `providers chat ... | head` would stream (and spend tokens) to the end. A redirected
// stdout is written through a plain stream over descriptor 1 instead, whose writes fail once the reader is gone.
using var stdout = Console.IsOutputRedirected && !OperatingSystem.IsWindows()
    ? new StreamWriter(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0), new System.Text.UTF8Encoding(false)) { AutoFlush = true }
    : null;
return await app.RunAsync(args, Console.In, stdout ?? Console.Out, Console.Error, !Console.IsInputRedirected, environment, cancellation.Token);

using Providers.Cli;

namespace Providers.Cli.Tests;

/// <summary>What one run of the tool printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string AllOutput => Stdout + Stderr;
}

/// <summary>Runs <see cref="CliApp"/> in-process with captured streams, as the console would.</summary>
public static class CliRunner
{
    public const string SecretKey = "sk-test-SECRET-0123456789";

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, stdin: "", stdinIsTerminal: false);

    public static async Task<CliResult> RunAsync(
        string[] args,
        string stdin,
        bool stdinIsTerminal,
        IDictionary<string, string?>? environment = null,
        bool stdoutIsTerminal = false,
        TextWriter? stdout = null,
        CancellationToken cancellationToken = default)
    {
        var output = stdout ?? new StringWriter();
        var error = new StringWriter();
        var app = new CliApp { StdoutIsTerminal = stdoutIsTerminal };
        var code = await app.RunAsync(args, new StringReader(stdin), output, error, stdinIsTerminal, environment ?? new Dictionary<string, string?>(), cancellationToken);
        return new CliResult(code, output.ToString()!.ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }

    /// <summary>The base URL argument for a replay server (without the trailing slash a user would not type).</summary>
    public static string Url(Providers.Tests.Replay.ReplayServer server) => server.BaseUri.ToString().TrimEnd('/');
}

using System.Reflection;
using Providers.Cli.Chat;
using Providers.Cli.CommandLine;

namespace Providers.Cli;

/// <summary>
/// The <c>providers</c> command-line tool, runnable in-process: all input and output go through the arguments of
/// <see cref="RunAsync"/>, so tests drive it exactly as the console does.
/// </summary>
public sealed class CliApp
{
    private static readonly string[] Commands = ["chat", "list", "help", "--help", "--version"];

    /// <summary>What <c>providers --version</c> prints: the tool name and the assembly's informational version.</summary>
    public static string VersionLine => "providers " + (typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");

    /// <summary>Whether stdout is a terminal: reasoning is dimmed only then (and only while <c>NO_COLOR</c> is unset).</summary>
    public bool StdoutIsTerminal { get; init; }

    /// <summary>Runs the command line and returns the exit code: 0 success, 1 provider or network error, 2 bad usage or settings, 130 cancelled.</summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="stdin">Where a piped prompt or the interactive conversation is read from.</param>
    /// <param name="stdout">Where answers and listings go.</param>
    /// <param name="stderr">Where errors, retries, prompts of the interactive mode and the summary line go.</param>
    /// <param name="stdinIsTerminal">Whether stdin is a terminal (interactive chat) rather than a pipe (the prompt).</param>
    /// <param name="environment">The environment variables (API keys, <c>NO_COLOR</c>).</param>
    /// <param name="cancellationToken">Cancels the request in flight (Ctrl+C).</param>
    public async Task<int> RunAsync(
        string[] args,
        TextReader stdin,
        TextWriter stdout,
        TextWriter stderr,
        bool stdinIsTerminal,
        IDictionary<string, string?> environment,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);

        switch (args)
        {
            case []:
                stderr.WriteLine(HelpText.Main);
                return ExitCodes.Usage;
            case ["--version" or "-V", ..]:
                stdout.WriteLine(VersionLine);
                return ExitCodes.Success;
            case ["--help" or "-h" or "help"]:
                stdout.WriteLine(HelpText.Main);
                return ExitCodes.Success;
            case ["help", "chat"]:
                stdout.WriteLine(HelpText.Chat);
                return ExitCodes.Success;
            case ["list", .. var rest]:
                return List(rest, stdout, stderr);
            case ["chat", .. var rest]:
                return await ChatAsync(rest, stdin, stdout, stderr, stdinIsTerminal, environment, cancellationToken).ConfigureAwait(false);
            default:
                stderr.WriteLine($"providers: unknown command '{args[0]}'.{EditDistance.Hint(args[0], Commands)} Run 'providers --help'.");
                return ExitCodes.Usage;
        }
    }

    private static int List(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args is ["--help" or "-h"])
        {
            stdout.WriteLine("Usage: providers list\n\nEvery registered provider with its settings keys: type, required, per-mode, secret.");
            return ExitCodes.Success;
        }

        if (args.Length > 0)
        {
            stderr.WriteLine($"providers: 'list' takes no arguments, got '{args[0]}'.");
            return ExitCodes.Usage;
        }

        stdout.Write(ListCommand.Render());
        return ExitCodes.Success;
    }

    private async Task<int> ChatAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, bool stdinIsTerminal, IDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        ChatArguments parsed;
        try
        {
            parsed = ChatArgumentParser.Parse(args);
        }
        catch (UsageException ex)
        {
            // The parser quotes what it got; an --api-key value is never among it (a value is only echoed for --mode, --format, --set).
            stderr.WriteLine("providers: " + ex.Message);
            return ExitCodes.Usage;
        }

        if (parsed.Help)
        {
            stdout.WriteLine(HelpText.Chat);
            return ExitCodes.Success;
        }

        var color = StdoutIsTerminal && !(environment.TryGetValue("NO_COLOR", out var noColor) && !string.IsNullOrEmpty(noColor));
        var command = new ChatCommand(stdin, stdout, stderr, stdinIsTerminal, color);
        return await command.RunAsync(parsed, environment, cancellationToken).ConfigureAwait(false);
    }
}

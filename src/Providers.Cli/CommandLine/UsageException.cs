namespace Providers.Cli.CommandLine;

/// <summary>The command line or a file it names is wrong; the message says what and how to fix it (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);

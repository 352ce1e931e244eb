namespace Providers.Cli;

/// <summary>The exit codes of <c>providers</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The provider or the network failed; stderr says what happened and what to do.</summary>
    public const int ProviderError = 1;

    /// <summary>The command line, a file it names, or the settings are wrong; stderr names every bad key or option.</summary>
    public const int Usage = 2;

    /// <summary>Ctrl+C cancelled the request (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}

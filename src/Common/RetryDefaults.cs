// Compiled into Providers.Abstractions (the runtime) and Providers.Generators (generator and analyzers) through
// <Compile Include Link>: the defaults a [WithRetry] argument left out takes must be the same on both sides.
namespace Providers.Common;

/// <summary>The defaults of <c>[WithRetry]</c>, shared by the attribute, the runtime policy, the generator and the analyzer.</summary>
internal static class RetryDefaults
{
    /// <summary>Retries after the first attempt.</summary>
    public const int MaxRetries = 3;

    /// <summary>The first backoff delay, in milliseconds.</summary>
    public const int BaseDelayMs = 1000;

    /// <summary>The longest backoff delay, in milliseconds.</summary>
    public const int MaxDelayMs = 10000;
}

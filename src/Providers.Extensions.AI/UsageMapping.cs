using Microsoft.Extensions.AI;

namespace Providers;

/// <summary>Our usage increments and Microsoft.Extensions.AI's <see cref="UsageDetails"/>.</summary>
internal static class UsageMapping
{
    /// <summary>
    /// <see cref="UsageDetails.InputTokenCount"/> counts cached input too (Microsoft.Extensions.AI's rule), so it is our
    /// input plus cache reads and writes; cache reads are <see cref="UsageDetails.CachedInputTokenCount"/>, cache writes
    /// the additional count <see cref="ProvidersChatClientExtensions.CacheWriteInputTokensKey"/>.
    /// </summary>
    public static UsageDetails ToDetails(UsageChunk usage)
    {
        var input = usage.InputTokens + (usage.CacheReadTokens ?? 0) + (usage.CacheWriteTokens ?? 0);
        var details = new UsageDetails
        {
            InputTokenCount = input,
            OutputTokenCount = usage.OutputTokens,
            TotalTokenCount = input + usage.OutputTokens,
            CachedInputTokenCount = usage.CacheReadTokens,
            ReasoningTokenCount = usage.ReasoningTokens,
        };

        if (usage.CacheWriteTokens is { } writes)
        {
            details.AdditionalCounts = new() { [ProvidersChatClientExtensions.CacheWriteInputTokensKey] = writes };
        }

        return details;
    }

    public static UsageChunk FromDetails(UsageDetails details)
    {
        var cacheRead = details.CachedInputTokenCount;
        long? cacheWrite = details.AdditionalCounts is { } counts && counts.TryGetValue(ProvidersChatClientExtensions.CacheWriteInputTokensKey, out var w) ? w : null;
        var input = Math.Max(0, (details.InputTokenCount ?? 0) - (cacheRead ?? 0) - (cacheWrite ?? 0));
        return new UsageChunk(input, details.OutputTokenCount ?? 0, cacheRead, cacheWrite, details.ReasoningTokenCount);
    }
}

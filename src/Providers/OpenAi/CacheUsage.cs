namespace Providers.OpenAi;

/// <summary>Chat Completions usage with the cache counts a server names its own way; <c>prompt_tokens</c> includes them all.</summary>
internal static class CacheUsage
{
    /// <summary>
    /// The usage increment with <paramref name="cacheRead"/> and <paramref name="cacheWrite"/> taken out of the prompt
    /// tokens (input + cache read + cache write = prompt tokens); cost from the server when it reports one, else from the
    /// model's prices (plus <c>upstream_inference_cost</c> for bring-your-own-key).
    /// </summary>
    public static UsageChunk Of(ChatUsage usage, ModelInfo modelInfo, long? cacheRead, long? cacheWrite)
    {
        var prompt = usage.PromptTokens ?? 0;
        var input = Math.Max(0, prompt - (cacheRead ?? 0) - (cacheWrite ?? 0));
        var output = usage.CompletionTokens ?? 0;
        var cost = usage.Cost is { } reported
            ? reported + (usage.CostDetails?.UpstreamInferenceCost ?? 0)
            : modelInfo.PricesFor(prompt).CostOf(input, output, cacheWrite ?? 0, cacheRead ?? 0);
        return new UsageChunk(input, output, cacheRead, cacheWrite, usage.CompletionTokensDetails?.ReasoningTokens, cost);
    }

    /// <summary>The first count that is above zero, or none.</summary>
    public static long? First(params ReadOnlySpan<long?> counts)
    {
        foreach (var count in counts)
        {
            if (count is > 0)
            {
                return count;
            }
        }

        return null;
    }
}

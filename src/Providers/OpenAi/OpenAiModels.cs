namespace Providers.OpenAi;

/// <summary>What is known about OpenAI's main models, and which model ids are reasoning models.</summary>
internal static class OpenAiModels
{
    /// <summary>Prices in US dollars per million tokens, from OpenAI's public pricing page (standard tier).</summary>
    private static readonly Dictionary<string, ModelInfo> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gpt-5"] = Reasoning(400_000, 128_000, 1.25m, 10m, 0.125m),
        ["gpt-5-mini"] = Reasoning(400_000, 128_000, 0.25m, 2m, 0.025m),
        ["gpt-5-nano"] = Reasoning(400_000, 128_000, 0.05m, 0.40m, 0.005m),
        ["gpt-4.1"] = Chat(1_047_576, 32_768, 2m, 8m, 0.50m),
        ["gpt-4.1-mini"] = Chat(1_047_576, 32_768, 0.40m, 1.60m, 0.10m),
        ["gpt-4.1-nano"] = Chat(1_047_576, 32_768, 0.10m, 0.40m, 0.025m),
        ["gpt-4o"] = Chat(128_000, 16_384, 2.50m, 10m, 1.25m),
        ["gpt-4o-mini"] = Chat(128_000, 16_384, 0.15m, 0.60m, 0.075m),
        ["o3"] = Reasoning(200_000, 100_000, 2m, 8m, 0.50m),
        ["o4-mini"] = Reasoning(200_000, 100_000, 1.10m, 4.40m, 0.275m),
    };

    /// <summary>The defaults for a model id the table does not know: no prices (cost stays unknown), a 128k window.</summary>
    public static ModelInfo SaneDefaults(string modelId) => new()
    {
        ContextWindow = 128_000,
        SupportsImages = true,
        SupportsPromptCache = false,
        SupportsReasoning = IsReasoningModel(modelId),
    };

    /// <summary>
    /// The built-in info of <paramref name="modelId"/>: an exact match, or a dated snapshot of a known id
    /// (<c>gpt-4.1-2025-04-14</c>); otherwise <see langword="null"/>. Never another model's info.
    /// </summary>
    public static ModelInfo? Find(string modelId)
    {
        if (Known.TryGetValue(modelId, out var info))
        {
            return info;
        }

        // A snapshot is the id followed by -YYYY-MM-DD.
        if (modelId.Length > 11 && IsDateSuffix(modelId.AsSpan(modelId.Length - 11)) && Known.TryGetValue(modelId[..^11], out info))
        {
            return info;
        }

        return null;
    }

    /// <summary>
    /// o1, o3, o4 and gpt-5 families (any vendor prefix such as <c>openai/</c>), except the <c>-chat</c> variants:
    /// these take the <c>developer</c> role, <c>reasoning_effort</c> and <c>max_completion_tokens</c>, and no temperature.
    /// </summary>
    public static bool IsReasoningModel(string modelId)
    {
        var id = modelId[(modelId.LastIndexOf('/') + 1)..].ToLowerInvariant();
        if (id.Contains("-chat", StringComparison.Ordinal))
        {
            return false;
        }

        return IsFamily(id, "o1") || IsFamily(id, "o3") || IsFamily(id, "o4") || IsFamily(id, "gpt-5");
    }

    /// <summary>DeepSeek's reasoner wants alternating roles (consecutive same-role messages merged).</summary>
    public static bool IsDeepSeekReasoner(string modelId) => modelId.Contains("deepseek-reasoner", StringComparison.OrdinalIgnoreCase);

    private static bool IsFamily(string id, string family) =>
        id.StartsWith(family, StringComparison.Ordinal) && (id.Length == family.Length || id[family.Length] is '-' or '.');

    private static bool IsDateSuffix(ReadOnlySpan<char> s) =>
        s[0] == '-' && s[5] == '-' && s[8] == '-'
        && char.IsAsciiDigit(s[1]) && char.IsAsciiDigit(s[2]) && char.IsAsciiDigit(s[3]) && char.IsAsciiDigit(s[4])
        && char.IsAsciiDigit(s[6]) && char.IsAsciiDigit(s[7]) && char.IsAsciiDigit(s[9]) && char.IsAsciiDigit(s[10]);

    private static ModelInfo Chat(int window, int maxOutput, decimal input, decimal output, decimal cachedInput) => new()
    {
        ContextWindow = window,
        MaxTokens = maxOutput,
        SupportsImages = true,
        SupportsPromptCache = true,
        InputPrice = input,
        OutputPrice = output,
        CacheReadsPrice = cachedInput,
    };

    private static ModelInfo Reasoning(int window, int maxOutput, decimal input, decimal output, decimal cachedInput) =>
        Chat(window, maxOutput, input, output, cachedInput) with { SupportsReasoning = true };
}

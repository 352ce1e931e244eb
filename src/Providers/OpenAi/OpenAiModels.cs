namespace Providers.OpenAi;

/// <summary>What is known about OpenAI's main models, and which model ids are reasoning models.</summary>
internal static class OpenAiModels
{
    /// <summary>
    /// The figures of Cline's <c>openAiNativeModels</c> table (US dollars per million tokens; <see cref="ModelInfo.MaxTokens"/>
    /// is Cline's output figure, 8192 for the gpt-5 family, not the model's ceiling). <see cref="ModelInfo.Temperature"/>
    /// is the one temperature the gpt-5 chat models take.
    /// </summary>
    private static readonly Dictionary<string, ModelInfo> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gpt-5.5"] = Reasoning(1_050_000, 8192, 5m, 30m, 0.50m),
        ["gpt-5.4"] = Reasoning(1_050_000, 8192, 2.50m, 15m, 0.25m),
        ["gpt-5.4-mini"] = Reasoning(400_000, 8192, 0.75m, 4.50m, 0.075m),
        ["gpt-5.4-nano"] = Reasoning(400_000, 8192, 0.20m, 1.25m, 0.02m),
        ["gpt-5.3-codex"] = Reasoning(400_000, 8192, 1.75m, 14m, 0.175m),
        ["gpt-5.3-chat-latest"] = Chat(128_000, 16_384, 1.75m, 14m, 0.175m) with { Temperature = 1 },
        ["gpt-5.2"] = Reasoning(272_000, 8192, 1.75m, 14m, 0.175m),
        ["gpt-5.2-codex"] = Reasoning(400_000, 8192, 1.75m, 14m, 0.175m),
        ["gpt-5.2-chat-latest"] = Chat(128_000, 16_384, 1.75m, 14m, 0.175m) with { Temperature = 1 },
        ["gpt-5.1"] = Reasoning(272_000, 8192, 1.25m, 10m, 0.125m),
        ["gpt-5.1-codex"] = Reasoning(400_000, 8192, 1.25m, 10m, 0.125m),
        ["gpt-5.1-chat-latest"] = Chat(400_000, 8192, 1.25m, 10m, 0.125m) with { Temperature = 1 },
        ["gpt-5"] = Reasoning(272_000, 8192, 1.25m, 10m, 0.125m),
        ["gpt-5-codex"] = Reasoning(400_000, 8192, 1.25m, 10m, 0.125m),
        ["gpt-5-mini"] = Reasoning(272_000, 8192, 0.25m, 2m, 0.025m),
        ["gpt-5-nano"] = Reasoning(272_000, 8192, 0.05m, 0.40m, 0.005m),
        ["gpt-5-chat-latest"] = Chat(400_000, 8192, 1.25m, 10m, 0.125m) with { Temperature = 1 },
        ["o4-mini"] = Reasoning(200_000, 100_000, 1.10m, 4.40m, 0.275m),
        ["o3"] = Reasoning(200_000, 100_000, 2m, 8m, 0.50m),
        ["o3-mini"] = Reasoning(200_000, 100_000, 1.10m, 4.40m, 0.55m) with { SupportsImages = false },
        ["o1"] = Reasoning(200_000, 100_000, 15m, 60m, 7.50m) with { SupportsPromptCache = false },
        ["o1-preview"] = Reasoning(128_000, 32_768, 15m, 60m, 7.50m),
        ["o1-mini"] = Reasoning(128_000, 65_536, 1.10m, 4.40m, 0.55m),
        ["gpt-4.1"] = Chat(1_047_576, 32_768, 2m, 8m, 0.50m),
        ["gpt-4.1-mini"] = Chat(1_047_576, 32_768, 0.40m, 1.60m, 0.10m),
        ["gpt-4.1-nano"] = Chat(1_047_576, 32_768, 0.10m, 0.40m, 0.025m),
        ["gpt-4o"] = Chat(128_000, 4096, 2.50m, 10m, 1.25m),
        ["gpt-4o-mini"] = Chat(128_000, 16_384, 0.15m, 0.60m, 0.075m),
        ["chatgpt-4o-latest"] = Chat(128_000, 16_384, 5m, 15m, null) with { SupportsPromptCache = false },
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

    private static ModelInfo Chat(int window, int maxOutput, decimal input, decimal output, decimal? cachedInput) => new()
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

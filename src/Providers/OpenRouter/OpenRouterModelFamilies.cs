namespace Providers.OpenRouter;

/// <summary>
/// Which OpenRouter model ids get which treatment, by the rules Cline applies (its OpenRouter stream builder): the
/// <c>:1m</c> Claude ids, explicit prompt-cache breakpoints, reasoning by effort or by budget, adaptive thinking, R1's
/// message format and the recommended temperatures.
/// </summary>
internal static class OpenRouterModelFamilies
{
    /// <summary>The suffix that asks for a Claude model's one-million-token context window.</summary>
    public const string OneMillionSuffix = ":1m";

    /// <summary>Upstreams that serve the 1M-context Claude variants; no fallback to one that does not.</summary>
    public static readonly string[] OneMillionProviders = ["anthropic", "google-vertex/global"];

    /// <summary>Models besides <c>anthropic/</c> and <c>minimax/</c> that cache only with explicit <c>cache_control</c> breakpoints.</summary>
    private static readonly HashSet<string> ExplicitCacheControl = new(StringComparer.Ordinal)
    {
        "deepseek/deepseek-v3.2",
        "qwen/qwen-plus",
        "qwen/qwen3-max",
        "qwen/qwen3.6-plus",
        "qwen/qwen3-coder-plus",
        "qwen/qwen3-coder-flash",
    };

    /// <summary>The Claude ids whose thinking OpenRouter takes as a token budget (<c>reasoning.max_tokens</c>).</summary>
    private static readonly HashSet<string> ClaudeBudgetModels = new(StringComparer.Ordinal)
    {
        "anthropic/claude-haiku-4.5",
        "anthropic/claude-4.5-haiku",
        "anthropic/claude-sonnet-4.6",
        "anthropic/claude-4.6-sonnet",
        "anthropic/claude-sonnet-4.5",
        "anthropic/claude-4.5-sonnet",
        "anthropic/claude-sonnet-4",
        "anthropic/claude-opus-4.1",
        "anthropic/claude-opus-4",
        "anthropic/claude-3.7-sonnet",
        "anthropic/claude-3.7-sonnet:beta",
        "anthropic/claude-3.7-sonnet:thinking",
        "anthropic/claude-3-7-sonnet",
        "anthropic/claude-3-7-sonnet:beta",
    };

    /// <summary>An <c>anthropic/…:1m</c> id: sent without the suffix, to the upstreams that serve the 1M window.</summary>
    public static bool IsClaudeOneMillion(string modelId) =>
        modelId.StartsWith("anthropic/", StringComparison.OrdinalIgnoreCase) && modelId.EndsWith(OneMillionSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the model caches only where the request marks <c>cache_control</c>.</summary>
    public static bool NeedsCacheBreakpoints(string modelId) =>
        modelId.StartsWith("anthropic/", StringComparison.OrdinalIgnoreCase)
        || modelId.StartsWith("minimax/", StringComparison.OrdinalIgnoreCase)
        || ExplicitCacheControl.Contains(modelId.ToLowerInvariant());

    /// <summary>The Opus 4.6 and 4.7 models, which think adaptively (<c>reasoning.enabled</c> with <c>verbosity</c> as the effort).</summary>
    public static bool ThinksAdaptively(string modelId)
    {
        var id = modelId.ToLowerInvariant();
        foreach (var version in (ReadOnlySpan<string>)["4-6", "4.6", "4-7", "4.7"])
        {
            if (id.Contains("claude-opus-" + version, StringComparison.Ordinal) || id.Contains("claude-" + version + "-opus", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The Claude ids that take a thinking budget.</summary>
    public static bool TakesClaudeBudget(string modelId) => ClaudeBudgetModels.Contains(modelId.ToLowerInvariant());

    /// <summary>The families that take <c>reasoning.effort</c>: Gemini, GPT and OpenAI's o-series, Grok.</summary>
    public static bool TakesReasoningEffort(string modelId)
    {
        var id = modelId.ToLowerInvariant();
        return id.Contains("gemini", StringComparison.Ordinal) || id.Contains("gpt", StringComparison.Ordinal)
            || id.Contains("/o", StringComparison.Ordinal) || id.StartsWith('o') || id.Contains("grok", StringComparison.Ordinal);
    }

    /// <summary>Models whose reasoning stream says nothing useful, so it is not asked for (Grok 4, Devstral, GLM).</summary>
    public static bool SkipsReasoning(string modelId)
    {
        var id = modelId.ToLowerInvariant();
        return id.Contains("grok-4", StringComparison.Ordinal) || id.Contains("devstral", StringComparison.Ordinal) || id.Contains("glm", StringComparison.Ordinal);
    }

    /// <summary>Models that want DeepSeek R1's message format and its sampling (temperature 0.7, top_p 0.95).</summary>
    public static bool UsesR1Format(string modelId)
    {
        var id = modelId.ToLowerInvariant();
        return id.StartsWith("deepseek/deepseek-r1", StringComparison.Ordinal)
            || id is "perplexity/sonar-reasoning" or "qwen/qwq-32b:free" or "qwen/qwq-32b";
    }

    /// <summary>Google's recommended temperature for Gemini 3 is 1.</summary>
    public static bool IsGemini3(string modelId) => modelId.StartsWith("google/gemini-3", StringComparison.OrdinalIgnoreCase);

    /// <summary>A configured effort as Cline normalises it: one of OpenRouter's levels, anything else <c>medium</c>.</summary>
    public static string NormalizeEffort(string configured) => configured.Trim().ToLowerInvariant() switch
    {
        "none" => "none",
        "minimal" => "minimal",
        "low" => "low",
        "high" => "high",
        "xhigh" => "xhigh",
        _ => "medium",
    };
}

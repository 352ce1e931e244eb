using System.Text.Json;
using System.Text.Json.Serialization;
using Providers.OpenAi;
using Providers.OpenRouter;

namespace Providers.OpenAiCompatible;

/// <summary>
/// Claude's extended thinking asked for through an OpenAI-compatible proxy that passes Anthropic's own fields on
/// (LiteLLM, Requesty): <c>"thinking":{"type":"enabled","budget_tokens":N}</c>, or for the models that think adaptively
/// (Opus 4.6 and 4.7) <c>"thinking":{"type":"adaptive"}</c> with <c>"output_config":{"effort":…}</c>; and Anthropic-style
/// prompt-cache breakpoints on Chat Completions messages.
/// </summary>
internal static class ProxiedClaudeThinking
{
    /// <summary>The Opus 4.6 and 4.7 models, which take adaptive thinking and an effort instead of a budget.</summary>
    public static bool ThinksAdaptively(string modelId) => OpenRouterModelFamilies.ThinksAdaptively(modelId);

    /// <summary>
    /// The effort of adaptive thinking by Cline's rule: a configured effort decides (<c>none</c> turns thinking off;
    /// a name Cline does not know is <c>medium</c>); without one, a positive budget turns it on at <c>high</c>.
    /// </summary>
    /// <returns>The effort, or <see langword="null"/> when the model should not think.</returns>
    public static string? AdaptiveEffort(string? configuredEffort, int? budgetTokens)
    {
        if (!string.IsNullOrWhiteSpace(configuredEffort))
        {
            var effort = configuredEffort.Trim().ToLowerInvariant() switch
            {
                "none" => "none",
                "low" => "low",
                "high" => "high",
                "xhigh" => "xhigh",
                _ => "medium",
            };
            return effort == "none" ? null : effort;
        }

        return budgetTokens is > 0 ? "high" : null;
    }

    /// <summary>
    /// For a model that thinks adaptively: no temperature, and adaptive thinking with the effort of
    /// <see cref="AdaptiveEffort"/> when that is not off. Other models are left to the caller.
    /// </summary>
    /// <returns>Whether <paramref name="modelId"/> thinks adaptively (the request is then complete).</returns>
    public static bool TryAdaptive(ChatCompletionsRequest request, string modelId, string? configuredEffort, int budgetTokens)
    {
        if (!ThinksAdaptively(modelId))
        {
            return false;
        }

        request.Temperature = null;
        if (AdaptiveEffort(configuredEffort, budgetTokens) is { } effort)
        {
            EnableAdaptive(request, effort);
        }

        return true;
    }

    /// <summary>Adds <c>"thinking":{"type":"enabled","budget_tokens":…}</c>.</summary>
    public static void Enable(ChatCompletionsRequest request, int budgetTokens) =>
        Add(request, "thinking", JsonSerializer.SerializeToElement(new ThinkingField { Type = "enabled", BudgetTokens = budgetTokens }, ProxiedClaudeJsonContext.Default.ThinkingField));

    /// <summary>Adds <c>"thinking":{"type":"disabled"}</c>.</summary>
    public static void Disable(ChatCompletionsRequest request) =>
        Add(request, "thinking", JsonSerializer.SerializeToElement(new ThinkingField { Type = "disabled" }, ProxiedClaudeJsonContext.Default.ThinkingField));

    /// <summary>Adds <c>"thinking":{"type":"adaptive"}</c> and <c>"output_config":{"effort":…}</c>.</summary>
    public static void EnableAdaptive(ChatCompletionsRequest request, string effort)
    {
        Add(request, "thinking", JsonSerializer.SerializeToElement(new ThinkingField { Type = "adaptive" }, ProxiedClaudeJsonContext.Default.ThinkingField));
        Add(request, "output_config", JsonSerializer.SerializeToElement(new OutputConfigField { Effort = effort }, ProxiedClaudeJsonContext.Default.OutputConfigField));
    }

    /// <summary>Adds a field beyond the Chat Completions ones to the body.</summary>
    public static void Add(ChatCompletionsRequest request, string name, JsonElement value) => (request.Extra ??= [])[name] = value;

    /// <summary>Adds a boolean field beyond the Chat Completions ones to the body.</summary>
    public static void Add(ChatCompletionsRequest request, string name, bool value) =>
        Add(request, name, JsonSerializer.SerializeToElement(value, OpenAiCompatibleJsonContext.Default.Boolean));

    /// <summary>
    /// Anthropic prompt caching on Chat Completions messages, as Cline marks them for LiteLLM: the system prompt, and the
    /// last part of each of the last two user messages, get <c>"cache_control":{"type":"ephemeral"}</c>.
    /// </summary>
    public static void MarkCacheBreakpoints(List<WireMessage> messages)
    {
        if (messages.Count > 0 && messages[0].Role == "system" && messages[0].Content is { } system)
        {
            system.AsParts()[^1].CacheControl = true;
        }

        var marked = 0;
        for (var i = messages.Count - 1; i >= 0 && marked < 2; i--)
        {
            if (messages[i].Role == "user" && messages[i].Content is { } content && content.AsParts() is { Count: > 0 } parts)
            {
                parts[^1].CacheControl = true;
                marked++;
            }
        }
    }
}

internal sealed class ThinkingField
{
    [JsonPropertyName("type")] public required string Type { get; init; }

    [JsonPropertyName("budget_tokens")] public int? BudgetTokens { get; init; }
}

internal sealed class OutputConfigField
{
    [JsonPropertyName("effort")] public required string Effort { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ThinkingField))]
[JsonSerializable(typeof(OutputConfigField))]
internal sealed partial class ProxiedClaudeJsonContext : JsonSerializerContext;

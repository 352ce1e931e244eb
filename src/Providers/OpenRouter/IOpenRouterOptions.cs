namespace Providers.OpenRouter;

/// <summary>
/// The settings of a provider that speaks OpenRouter's API (<c>openrouter</c>, and <c>cline</c>, whose account API is
/// OpenRouter-shaped), each under its provider's own Cline keys; the shared core reads them through this interface.
/// </summary>
public interface IOpenRouterOptions
{
    /// <summary>The key or account token, sent as a bearer token.</summary>
    string ApiKey { get; }

    /// <summary>The configured model id; the provider's default when unset.</summary>
    string? ModelId { get; }

    /// <summary>What the user configured about the model (from the router's model list).</summary>
    ModelInfo? ModelInfo { get; }

    /// <summary>How the router picks the upstream provider: <c>price</c>, <c>throughput</c> or <c>latency</c>.</summary>
    string? ProviderSorting { get; }

    /// <summary>The extended-thinking budget in tokens; 0 or unset turns it off.</summary>
    int? ThinkingBudgetTokens { get; }

    /// <summary>The reasoning effort: <c>none</c>, <c>minimal</c>, <c>low</c>, <c>medium</c>, <c>high</c> or <c>xhigh</c>.</summary>
    string? ReasoningEffort { get; }
}

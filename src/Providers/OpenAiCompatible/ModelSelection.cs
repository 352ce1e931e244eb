namespace Providers.OpenAiCompatible;

/// <summary>Which model a request uses: one rule for every OpenAI-shaped provider.</summary>
internal static class ModelSelection
{
    /// <summary>
    /// The configured model, or the overriding one with <paramref name="infoOf"/>'s info for it (a built-in entry or
    /// neutral defaults), never the configured model's info: that describes the configured model only.
    /// </summary>
    public static ApiHandlerModel For(ApiHandlerModel configured, RequestOverrides overrides, Func<string, ModelInfo> infoOf)
    {
        if (string.IsNullOrWhiteSpace(overrides.ModelId) || string.Equals(overrides.ModelId.Trim(), configured.Id, StringComparison.Ordinal))
        {
            return configured;
        }

        var id = overrides.ModelId.Trim();
        return new ApiHandlerModel(id, infoOf(id));
    }
}

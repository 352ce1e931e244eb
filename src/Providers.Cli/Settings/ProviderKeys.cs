namespace Providers.Cli.Settings;

/// <summary>
/// Which settings keys <c>--model</c>, <c>--base-url</c> and <c>--api-key</c> write for a provider, and which environment
/// variable holds its API key. The keys come from the provider's descriptor: the built-in providers' Cline keys are
/// preferred when the descriptor has them, otherwise the setting is found by its property name, then by its key's
/// ending, so a provider this tool has never heard of works too.
/// </summary>
internal sealed record ProviderKeys(string? ModelKey, string? BaseUrlKey, string? ApiKeyKey)
{
    private sealed record Known(string BaseUrl, string ApiKey, string ModelKeySuffix, string EnvironmentVariable);

    // The only per-provider knowledge of the tool: the Cline keys and the variables the providers' own tools read.
    private static readonly Dictionary<string, Known> BuiltIn = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ollama"] = new("ollamaBaseUrl", "ollamaApiKey", "OllamaModelId", "OLLAMA_API_KEY"),
        ["anthropic"] = new("anthropicBaseUrl", "apiKey", "ApiModelId", "ANTHROPIC_API_KEY"),
        ["openai"] = new("openAiBaseUrl", "openAiApiKey", "OpenAiModelId", "OPENAI_API_KEY"),
        ["openrouter"] = new("openRouterBaseUrl", "openRouterApiKey", "OpenRouterModelId", "OPENROUTER_API_KEY"),
        ["bedrock"] = new("awsBedrockEndpoint", "awsBedrockApiKey", "ApiModelId", "AWS_BEARER_TOKEN_BEDROCK"),
    };

    /// <summary>The keys of <paramref name="descriptor"/> for <paramref name="mode"/>; a key the provider lacks is <see langword="null"/>.</summary>
    public static ProviderKeys For(ProviderDescriptor descriptor, Mode mode)
    {
        BuiltIn.TryGetValue(descriptor.Id, out var known);
        var model = Setting(descriptor, s => s.PerMode && known is not null && s.ActModeKey.Equals("actMode" + known.ModelKeySuffix, StringComparison.OrdinalIgnoreCase))
            ?? Setting(descriptor, s => s.PropertyName == "ModelId")
            ?? Setting(descriptor, s => s.ActModeKey.EndsWith("ModelId", StringComparison.OrdinalIgnoreCase));
        var baseUrl = Setting(descriptor, s => known is not null && s.PlanModeKey.Equals(known.BaseUrl, StringComparison.OrdinalIgnoreCase))
            ?? Setting(descriptor, s => s.PropertyName == "BaseUrl")
            ?? Setting(descriptor, s => s.PlanModeKey.EndsWith("BaseUrl", StringComparison.OrdinalIgnoreCase));
        var apiKey = Setting(descriptor, s => known is not null && s.PlanModeKey.Equals(known.ApiKey, StringComparison.OrdinalIgnoreCase))
            ?? Setting(descriptor, s => s.IsSecret && s.PropertyName == "ApiKey")
            ?? Setting(descriptor, s => s.IsSecret && s.PlanModeKey.EndsWith("ApiKey", StringComparison.OrdinalIgnoreCase));
        return new ProviderKeys(model?.KeyFor(mode), baseUrl?.KeyFor(mode), apiKey?.KeyFor(mode));
    }

    /// <summary>
    /// The environment variable with the API key of <paramref name="providerId"/>: the provider's usual one
    /// (<c>AZURE_OPENAI_API_KEY</c> for OpenAI when <c>azureApiVersion</c> is set), else <c>{ID}_API_KEY</c>.
    /// </summary>
    public static string EnvironmentVariable(string providerId, ProviderSettings settings)
    {
        if (providerId.Equals("openai", StringComparison.OrdinalIgnoreCase)
            && settings.TryGetValue("azureApiVersion", out var azure) && !string.IsNullOrWhiteSpace(azure))
        {
            return "AZURE_OPENAI_API_KEY";
        }

        if (BuiltIn.TryGetValue(providerId, out var known))
        {
            return known.EnvironmentVariable;
        }

        var name = new System.Text.StringBuilder(providerId.Length + 8);
        foreach (var c in providerId)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        return name.Append("_API_KEY").ToString();
    }

    private static SettingDescriptor? Setting(ProviderDescriptor descriptor, Func<SettingDescriptor, bool> match) =>
        descriptor.Settings.FirstOrDefault(match);
}

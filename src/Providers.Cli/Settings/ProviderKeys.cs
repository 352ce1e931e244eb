namespace Providers.Cli.Settings;

/// <summary>
/// Which settings keys <c>--model</c>, <c>--base-url</c> and <c>--api-key</c> write for a provider, and which environment
/// variable holds its API key, all read from the provider's generated descriptor: the settings of the options properties
/// <c>ModelId</c>, <c>BaseUrl</c> and <c>ApiKey</c> (else the setting whose key ends so; for the key, else the secret
/// that declares an environment variable, such as Vertex's access token), and the API key's
/// <c>[EnvironmentVariable]</c>. The tool knows no provider by name, so every provider, built-in or not, works alike.
/// </summary>
internal sealed record ProviderKeys(string? ModelKey, string? BaseUrlKey, string? ApiKeyKey)
{
    /// <summary>The keys of <paramref name="descriptor"/> for <paramref name="mode"/>; a key the provider lacks is <see langword="null"/>.</summary>
    public static ProviderKeys For(ProviderDescriptor descriptor, Mode mode)
    {
        var model = Setting(descriptor, s => s.PropertyName == "ModelId")
            ?? Setting(descriptor, s => s.ActModeKey.EndsWith("ModelId", StringComparison.OrdinalIgnoreCase));
        var baseUrl = Setting(descriptor, s => s.PropertyName == "BaseUrl")
            ?? Setting(descriptor, s => s.PlanModeKey.EndsWith("BaseUrl", StringComparison.OrdinalIgnoreCase));
        return new ProviderKeys(model?.KeyFor(mode), baseUrl?.KeyFor(mode), ApiKey(descriptor)?.KeyFor(mode));
    }

    /// <summary>
    /// The environment variable with the API key of <paramref name="descriptor"/>'s provider: the first of the API key's
    /// <c>[EnvironmentVariable]</c>s that applies with <paramref name="settings"/>, else <c>{ID}_API_KEY</c>.
    /// </summary>
    public static string EnvironmentVariable(ProviderDescriptor descriptor, ProviderSettings settings)
    {
        if (ApiKey(descriptor)?.EnvironmentVariables.FirstOrDefault(v => v.AppliesTo(settings)) is { } declared)
        {
            return declared.Name;
        }

        var name = new System.Text.StringBuilder(descriptor.Id.Length + 8);
        foreach (var c in descriptor.Id)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        return name.Append("_API_KEY").ToString();
    }

    private static SettingDescriptor? ApiKey(ProviderDescriptor descriptor) =>
        Setting(descriptor, s => s.IsSecret && s.PropertyName == "ApiKey")
        ?? Setting(descriptor, s => s.IsSecret && s.PlanModeKey.EndsWith("ApiKey", StringComparison.OrdinalIgnoreCase))
        ?? Setting(descriptor, s => s.IsSecret && s.EnvironmentVariables.Count > 0);

    private static SettingDescriptor? Setting(ProviderDescriptor descriptor, Func<SettingDescriptor, bool> match) =>
        descriptor.Settings.FirstOrDefault(match);
}

using Providers.Cli.CommandLine;

namespace Providers.Cli.Settings;

/// <summary>The provider chosen for a chat and the flat settings it is created from.</summary>
/// <param name="ProviderId">The registered provider id.</param>
/// <param name="Settings">The settings file, then <c>--set</c>, then <c>--model</c>/<c>--base-url</c>/<c>--api-key</c>, then the key's environment variable.</param>
/// <param name="Secrets">Every secret value involved, to blank out of anything printed.</param>
internal sealed record ChatSettings(string ProviderId, ProviderSettings Settings, IReadOnlyList<string> Secrets)
{
    /// <summary>
    /// Builds the settings from the command line: the settings file (<c>--settings</c>), each <c>--set</c> (a key the
    /// registry knows), the provider (<c>--provider</c>, else the settings' <c>{mode}ModeApiProvider</c>), the overrides,
    /// and the API key from the provider's environment variable when neither the settings nor <c>--api-key</c> give one.
    /// </summary>
    /// <exception cref="UsageException">A file is unreadable, a key unknown, or no known provider is chosen.</exception>
    public static ChatSettings Resolve(ChatArguments args, IDictionary<string, string?> environment)
    {
        var settings = args.SettingsFile is null ? ProviderSettings.Empty : ReadFile(args.SettingsFile);
        foreach (var (key, value) in args.Sets)
        {
            settings = settings.With(CheckKnown(key), value.Length == 0 ? null : value);
        }

        var providerKey = ProviderSettings.ProviderKeyFor(args.Mode);
        var providerId = args.Provider?.Trim() ?? settings.ProviderIdFor(args.Mode) ?? throw new UsageException(
            $"no provider chosen: pass --provider ID, or set '{providerKey}' in the settings. Registered providers: {Ids}.");
        var descriptor = ProviderRegistry.Find(providerId) ?? throw new UsageException(
            $"unknown provider '{providerId}'{(args.Provider is null ? $" (from setting '{providerKey}')" : "")}.{EditDistance.Hint(providerId, ProviderRegistry.ProviderIds)} Registered providers: {Ids}.");
        providerId = descriptor.Id;
        settings = settings.With(providerKey, providerId);

        var keys = ProviderKeys.For(descriptor, args.Mode);
        settings = Override(settings, providerId, keys.ModelKey, args.Model, "--model");
        settings = Override(settings, providerId, keys.BaseUrlKey, args.BaseUrl, "--base-url");
        settings = Override(settings, providerId, keys.ApiKeyKey, args.ApiKey, "--api-key");

        string? fromEnvironment = null;
        if (keys.ApiKeyKey is { } apiKeyKey && !HasValue(settings, apiKeyKey)
            && environment.TryGetValue(ProviderKeys.EnvironmentVariable(descriptor, settings), out fromEnvironment)
            && !string.IsNullOrWhiteSpace(fromEnvironment))
        {
            settings = settings.With(apiKeyKey, fromEnvironment.Trim());
        }

        return new ChatSettings(providerId, settings, SecretsOf(settings, args.ApiKey, fromEnvironment));
    }

    /// <summary>Every key some registered provider reads, plus the two provider keys.</summary>
    public static IEnumerable<string> KnownKeys =>
        ProviderRegistry.Providers.SelectMany(p => p.AllKeys)
            .Append(ProviderSettings.PlanModeProviderKey)
            .Append(ProviderSettings.ActModeProviderKey)
            .Distinct(StringComparer.OrdinalIgnoreCase);

    private static string Ids => string.Join(", ", ProviderRegistry.ProviderIds);

    private static ProviderSettings ReadFile(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the settings file '{path}': {ex.Message}");
        }

        try
        {
            return ProviderSettings.Parse(json);
        }
        catch (FormatException ex)
        {
            throw new UsageException($"the settings file '{path}' is not usable: {ex.Message}");
        }
    }

    private static string CheckKnown(string key)
    {
        foreach (var known in KnownKeys)
        {
            if (known.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        throw new UsageException(
            $"unknown setting key '{key}' in --set.{EditDistance.Hint(key, KnownKeys)} Run 'providers list' for every provider's keys.");
    }

    private static ProviderSettings Override(ProviderSettings settings, string providerId, string? key, string? value, string option)
    {
        if (value is null)
        {
            return settings;
        }

        if (key is null)
        {
            throw new UsageException(
                $"option '{option}' has no matching setting in the '{providerId}' provider; use --set with one of its keys (see 'providers list').");
        }

        return settings.With(key, value);
    }

    private static bool HasValue(ProviderSettings settings, string key) =>
        settings.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value);

    private static List<string> SecretsOf(ProviderSettings settings, string? apiKeyOption, string? fromEnvironment)
    {
        var secretKeys = ProviderRegistry.Providers
            .SelectMany(p => p.Settings)
            .Where(s => s.IsSecret)
            .SelectMany(s => new[] { s.PlanModeKey, s.ActModeKey });
        var secrets = new List<string>();
        foreach (var key in secretKeys)
        {
            if (settings.TryGetValue(key, out var value))
            {
                secrets.Add(value);
            }
        }

        secrets.Add(apiKeyOption ?? "");
        secrets.Add(fromEnvironment ?? "");
        return secrets.Select(s => s.Trim()).Where(s => s.Length >= 4).Distinct(StringComparer.Ordinal).ToList();
    }
}

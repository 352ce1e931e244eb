namespace Providers;

/// <summary>What every registry does the same way: pick the provider the settings name, find a descriptor.</summary>
public static class ProviderRegistryExtensions
{
    /// <summary>Creates the provider that <paramref name="settings"/> name for <paramref name="mode"/> (<c>planModeApiProvider</c> or <c>actModeApiProvider</c>).</summary>
    /// <param name="registry">The registry, usually the generated <c>ProviderRegistry.Instance</c>.</param>
    /// <param name="settings">Flat settings.</param>
    /// <param name="mode">Which provider key and per-mode keys to read.</param>
    /// <param name="configure">Sets what settings cannot hold (callbacks, clock, logger, HTTP client) before the handler is created.</param>
    /// <exception cref="ProviderConfigurationException">The provider key is missing or names no registered provider, or the provider's settings are missing or invalid.</exception>
    public static IApiHandler Build(this IProviderRegistry registry, ProviderSettings settings, Mode mode, Action<ProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(settings);
        var providerId = settings.RequireProviderIdFor(mode, registry.ProviderIds);
        if (registry.Find(providerId) is null)
        {
            throw new UnknownProviderException(providerId, registry.ProviderIds, ProviderSettings.ProviderKeyFor(mode));
        }

        return registry.Create(providerId, settings, mode, configure);
    }

    /// <summary>The descriptor of <paramref name="providerId"/> (case and surrounding spaces ignored), or <see langword="null"/> when none is registered.</summary>
    /// <param name="registry">The registry, usually the generated <c>ProviderRegistry.Instance</c>.</param>
    /// <param name="providerId">The provider id, for example <c>anthropic</c>.</param>
    public static ProviderDescriptor? Find(this IProviderRegistry registry, string providerId)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(providerId);
        var id = providerId.Trim();
        foreach (var descriptor in registry.Providers)
        {
            if (string.Equals(descriptor.Id, id, StringComparison.OrdinalIgnoreCase))
            {
                return descriptor;
            }
        }

        return null;
    }
}

namespace Providers;

/// <summary>
/// The providers an application can create: the generated <c>ProviderRegistry.Instance</c> of its assembly, which lists
/// the providers it declares and those of every assembly it references. Libraries take one (for example
/// <c>AddProviders(configuration, ProviderRegistry.Instance)</c>) because the generated registry is internal to each assembly.
/// </summary>
/// <remarks><see cref="ProviderRegistryExtensions"/> adds <c>Build</c> (the provider the settings name) and <c>Find</c>.</remarks>
public interface IProviderRegistry
{
    /// <summary>The registered provider ids, lower kebab-case, in ordinal order.</summary>
    IReadOnlyList<string> ProviderIds { get; }

    /// <summary>The registered providers with their settings, in the order of <see cref="ProviderIds"/>.</summary>
    IReadOnlyList<ProviderDescriptor> Providers { get; }

    /// <summary>Creates provider <paramref name="providerId"/> (case and surrounding spaces ignored) with options bound from <paramref name="settings"/> for <paramref name="mode"/>.</summary>
    /// <param name="providerId">The provider id, for example <c>anthropic</c>.</param>
    /// <param name="settings">Flat settings.</param>
    /// <param name="mode">Which per-mode keys to read.</param>
    /// <param name="configure">Sets what settings cannot hold (callbacks, clock, logger, HTTP client) after binding and before the handler is created.</param>
    /// <exception cref="UnknownProviderException">No provider has that id; the message lists those that do.</exception>
    /// <exception cref="ProviderConfigurationException">Settings are missing or invalid; the message names every such key.</exception>
    IApiHandler Create(string providerId, ProviderSettings settings, Mode mode, Action<ProviderOptions>? configure = null);
}

namespace Providers;

/// <summary>
/// Creates provider <paramref name="providerId"/> from flat settings: the shape of the generated
/// <c>ProviderRegistry.Create</c>, for the <c>AddProviders</c> overload that takes the registry's members one by one.
/// Prefer passing <c>ProviderRegistry.Instance</c> (an <see cref="IProviderRegistry"/>): the generated registry is
/// <see langword="internal"/> to each assembly, which is why a library cannot call it and asks for it instead.
/// </summary>
/// <param name="providerId">The provider id, for example <c>anthropic</c>.</param>
/// <param name="settings">Flat settings.</param>
/// <param name="mode">Which per-mode keys to read.</param>
/// <param name="configure">Sets what settings cannot hold (HTTP client, logger, clock, retry callback) before the handler is created.</param>
/// <exception cref="ProviderConfigurationException">Settings are missing or invalid, or the id is unknown.</exception>
public delegate IApiHandler ProviderFactory(string providerId, ProviderSettings settings, Mode mode, Action<ProviderOptions>? configure);

/// <summary>Creates a provider registered by hand with <see cref="Microsoft.Extensions.DependencyInjection.ProvidersBuilder.AddProvider"/>.</summary>
/// <param name="services">The application's services.</param>
/// <param name="settings">The flat settings of the <c>Providers</c> section.</param>
/// <param name="mode">The mode the handler is for.</param>
public delegate IApiHandler CustomProviderFactory(IServiceProvider services, ProviderSettings settings, Mode mode);

/// <summary>Adjusts the options of a provider created from settings, after binding and before the handler is created.</summary>
/// <param name="providerId">The provider id.</param>
/// <param name="mode">The mode the handler is for.</param>
/// <param name="options">The bound options.</param>
public delegate void ConfigureProviderOptions(string providerId, Mode mode, ProviderOptions options);

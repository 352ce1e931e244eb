using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Providers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Providers framework in a service collection.</summary>
public static class ProvidersServiceCollectionExtensions
{
    /// <summary>
    /// Registers the handlers of both modes, created from <paramref name="configuration"/> (the <c>Providers</c> section,
    /// holding the flat Cline-style keys) through the application's generated registry:
    /// <code>
    /// services.AddProviders(configuration.GetSection("Providers"), ProviderRegistry.Instance);
    /// </code>
    /// Registers <see cref="IProviderHandlers"/>, keyed <see cref="IApiHandler"/> services <see cref="Mode.Plan"/> and
    /// <see cref="Mode.Act"/>, an unkeyed <see cref="IApiHandler"/> (Act mode), one named <see cref="HttpClient"/> per
    /// provider (<see cref="ProvidersBuilder.HttpClientName"/>), telemetry on every handler, and start-up validation: a
    /// host that starts (or a call to <see cref="IStartupValidator.Validate"/>) creates both handlers, so a missing or
    /// invalid key fails there with the <see cref="ProviderConfigurationException"/> naming it.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding the settings; read once, when this method runs.</param>
    /// <param name="registry">The application's <c>ProviderRegistry.Instance</c>.</param>
    public static ProvidersBuilder AddProviders(this IServiceCollection services, IConfiguration configuration, IProviderRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(registry);

        var registration = new ProvidersRegistration(configuration.ToProviderSettings(), registry);
        services.AddSingleton(registration);
        services.TryAddSingleton<IProviderHandlers>(sp => new ProviderHandlers(sp.GetRequiredService<ProvidersRegistration>(), sp));
        services.AddKeyedSingleton<IApiHandler>(Mode.Plan, static (sp, _) => sp.GetRequiredService<IProviderHandlers>().For(Mode.Plan));
        services.AddKeyedSingleton<IApiHandler>(Mode.Act, static (sp, _) => sp.GetRequiredService<IProviderHandlers>().For(Mode.Act));
        services.TryAddSingleton<IApiHandler>(static sp => sp.GetRequiredService<IProviderHandlers>().For(Mode.Act));

        foreach (var provider in registry.Providers)
        {
            AddProviderHttpClient(services, provider.Id);
        }

        // Exceptions other than OptionsValidationException pass through the start-up validator unchanged, so the
        // host fails with the ProviderConfigurationException itself.
        services.AddOptions<ProvidersStartupCheck>()
            .Configure<IProviderHandlers>(static (_, handlers) =>
            {
                handlers.For(Mode.Plan);
                handlers.For(Mode.Act);
            })
            .ValidateOnStart();

        return new ProvidersBuilder(services, registration);
    }

    /// <summary>
    /// Registers the handlers of both modes from the members of the application's generated registry; the same as
    /// <see cref="AddProviders(IServiceCollection, IConfiguration, IProviderRegistry)"/> with <c>ProviderRegistry.Instance</c>, which is shorter.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding the settings; read once, when this method runs.</param>
    /// <param name="factory">The application's <c>ProviderRegistry.Create</c>.</param>
    /// <param name="providers">The application's <c>ProviderRegistry.Providers</c>.</param>
    public static ProvidersBuilder AddProviders(
        this IServiceCollection services,
        IConfiguration configuration,
        ProviderFactory factory,
        IReadOnlyList<ProviderDescriptor> providers)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(providers);
        return services.AddProviders(configuration, new DelegateRegistry(factory, providers));
    }

    // Handlers live as long as the application, so the client's own pool must recycle connections (DNS changes);
    // streams last as long as the model writes, so the client has no overall timeout (requestTimeoutMs and
    // streamIdleTimeoutMs bound the waits).
    internal static IHttpClientBuilder AddProviderHttpClient(IServiceCollection services, string providerId) =>
        services.AddHttpClient(ProvidersBuilder.HttpClientName(providerId), static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(static () => global::Providers.Common.ProviderSocketsHandler.Create())
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
}

/// <summary>A registry made of the generated registry's members, passed one by one.</summary>
internal sealed class DelegateRegistry(ProviderFactory factory, IReadOnlyList<ProviderDescriptor> providers) : IProviderRegistry
{
    public IReadOnlyList<string> ProviderIds { get; } = providers.Select(p => p.Id).ToArray();

    public IReadOnlyList<ProviderDescriptor> Providers => providers;

    public IApiHandler Create(string providerId, ProviderSettings settings, Mode mode, Action<ProviderOptions>? configure = null) =>
        factory(providerId, settings, mode, configure);
}

/// <summary>The options type whose start-up validation creates the handlers; it holds nothing.</summary>
internal sealed class ProvidersStartupCheck;

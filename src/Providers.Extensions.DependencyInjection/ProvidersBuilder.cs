using Providers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Further configuration of the Providers registration.</summary>
public sealed class ProvidersBuilder
{
    private readonly ProvidersRegistration _registration;

    internal ProvidersBuilder(IServiceCollection services, ProvidersRegistration registration)
    {
        Services = services;
        _registration = registration;
    }

    /// <summary>The services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The name of the <see cref="HttpClient"/> a provider gets from <see cref="IHttpClientFactory"/>: <c>Providers.{id}</c>.</summary>
    public static string HttpClientName(string providerId)
    {
        ArgumentNullException.ThrowIfNull(providerId);
        return "Providers." + providerId.Trim().ToLowerInvariant();
    }

    /// <summary>Adjusts every provider's options after binding (callbacks, headers a proxy needs...).</summary>
    public ProvidersBuilder ConfigureOptions(ConfigureProviderOptions configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _registration.Configure.Add(configure);
        return this;
    }

    /// <summary>
    /// Makes <paramref name="providerId"/> a provider that settings can select (<c>actModeApiProvider</c>), created by
    /// <paramref name="factory"/> rather than the generated registry: for a handler built from services, such as an
    /// <c>IChatClient</c> wrapped by <c>ChatClientApiHandler</c>. It is wrapped with telemetry like the others.
    /// </summary>
    public ProvidersBuilder AddProvider(string providerId, CustomProviderFactory factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerId);
        ArgumentNullException.ThrowIfNull(factory);
        _registration.Custom[providerId.Trim()] = factory;
        return this;
    }
}

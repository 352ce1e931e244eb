namespace Providers;

/// <summary>
/// The handlers of both modes, created from the <c>Providers</c> configuration section on first use (and at start-up,
/// where the host runs start-up validation). Each is wrapped with telemetry. Also resolvable as keyed services:
/// <c>[FromKeyedServices(Mode.Plan)] IApiHandler planner</c>; an unkeyed <see cref="IApiHandler"/> is the Act mode one.
/// </summary>
public interface IProviderHandlers
{
    /// <summary>The flat settings read from configuration.</summary>
    ProviderSettings Settings { get; }

    /// <summary>The providers the application's registry knows.</summary>
    IReadOnlyList<ProviderDescriptor> Providers { get; }

    /// <summary>The handler for <paramref name="mode"/>, created once.</summary>
    /// <exception cref="ProviderConfigurationException">The provider key or a setting of that provider is missing or invalid.</exception>
    IApiHandler For(Mode mode);

    /// <summary>The provider id configured for <paramref name="mode"/> (<c>planModeApiProvider</c> / <c>actModeApiProvider</c>).</summary>
    /// <exception cref="ProviderConfigurationException">The key is missing.</exception>
    string ProviderIdFor(Mode mode);
}

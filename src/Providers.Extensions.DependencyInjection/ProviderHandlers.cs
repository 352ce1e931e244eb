using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Providers;

/// <summary>What <c>AddProviders</c> and its builder collected; one per service collection.</summary>
internal sealed class ProvidersRegistration(ProviderSettings settings, IProviderRegistry registry)
{
    public ProviderSettings Settings { get; } = settings;

    public IProviderRegistry Registry { get; } = registry;

    public IReadOnlyList<ProviderDescriptor> Providers => Registry.Providers;

    public Dictionary<string, CustomProviderFactory> Custom { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<ConfigureProviderOptions> Configure { get; } = [];
}

/// <summary>Creates each mode's handler once, from the registration, with the application's services.</summary>
internal sealed class ProviderHandlers : IProviderHandlers
{
    private readonly ProvidersRegistration _registration;
    private readonly IServiceProvider _services;
    private readonly Lazy<IApiHandler> _plan;
    private readonly Lazy<IApiHandler> _act;

    public ProviderHandlers(ProvidersRegistration registration, IServiceProvider services)
    {
        _registration = registration;
        _services = services;
        _plan = new(() => Create(Mode.Plan));
        _act = new(() => Create(Mode.Act));
    }

    public ProviderSettings Settings => _registration.Settings;

    public IReadOnlyList<ProviderDescriptor> Providers => _registration.Providers;

    public IApiHandler For(Mode mode) => mode == Mode.Plan ? _plan.Value : _act.Value;

    public string ProviderIdFor(Mode mode) => Settings.RequireProviderIdFor(mode, KnownIds());

    private IEnumerable<string> KnownIds() => _registration.Providers.Select(p => p.Id).Concat(_registration.Custom.Keys).Order(StringComparer.Ordinal);

    private IApiHandler Create(Mode mode)
    {
        var providerId = ProviderIdFor(mode);
        var logger = _services.GetService<ILoggerFactory>()?.CreateLogger("Providers");
        var time = _services.GetService<TimeProvider>();
        var handler = _registration.Custom.TryGetValue(providerId, out var custom)
            ? custom(_services, Settings, mode)
            : _registration.Registry.Create(providerId, Settings, mode, options => Configure(providerId, mode, options));
        return handler.WithTelemetry(providerId.Trim().ToLowerInvariant(), logger, time);
    }

    private void Configure(string providerId, Mode mode, ProviderOptions options)
    {
        var id = providerId.Trim().ToLowerInvariant();
        options.HttpClient ??= _services.GetService<IHttpClientFactory>()?.CreateClient(ProvidersBuilder.HttpClientName(id));
        options.Logger ??= _services.GetService<ILoggerFactory>()?.CreateLogger("Providers." + id);
        if (_services.GetService<TimeProvider>() is { } time)
        {
            options.TimeProvider = time;
        }

        foreach (var configure in _registration.Configure)
        {
            configure(id, mode, options);
        }

        // First, so a throwing user callback cannot hide the count (the retry runtime logs and ignores callback failures).
        options.OnRetryAttempt = ProvidersTelemetry.RecordRetryAttempt + options.OnRetryAttempt;
    }
}

namespace Providers;

/// <summary>A registered provider, as the generated registry describes it to tools (no reflection involved).</summary>
/// <param name="Id">The provider id.</param>
/// <param name="DisplayName">The name shown to people.</param>
/// <param name="HandlerTypeName">The handler class, fully qualified.</param>
/// <param name="Settings">Every setting the provider reads, in declaration order.</param>
public sealed record ProviderDescriptor(string Id, string DisplayName, string HandlerTypeName, IReadOnlyList<SettingDescriptor> Settings)
{
    /// <summary>Every key the provider reads, both modes included.</summary>
    public IEnumerable<string> AllKeys => Settings.SelectMany(s => s.PerMode ? new[] { s.PlanModeKey, s.ActModeKey } : [s.PlanModeKey]);
}

/// <summary>One setting of a provider.</summary>
/// <param name="PropertyName">The options property it fills.</param>
/// <param name="TypeName">What the value is, for people: <c>string</c>, <c>integer</c>, <c>url</c>, <c>milliseconds</c>...</param>
/// <param name="PerMode">Whether it has one value per mode.</param>
/// <param name="Required">Whether the provider cannot start without it.</param>
/// <param name="IsSecret">Whether its value is a secret (API keys): tools must never print it.</param>
/// <param name="PlanModeKey">The key read in Plan mode (the only key when not per-mode).</param>
/// <param name="ActModeKey">The key read in Act mode (the only key when not per-mode).</param>
public sealed record SettingDescriptor(string PropertyName, string TypeName, bool PerMode, bool Required, bool IsSecret, string PlanModeKey, string ActModeKey)
{
    /// <summary>
    /// The six settings every provider reads through <see cref="ProviderOptions"/> (its timeouts and size limits), in
    /// declaration order. Generated descriptors start with this list when their first settings are exactly these.
    /// </summary>
    public static IReadOnlyList<SettingDescriptor> ProviderOptionsSettings { get; } =
    [
        Shared("RequestTimeout", "milliseconds", key: "requestTimeoutMs"),
        Shared("StreamIdleTimeout", "milliseconds", key: "streamIdleTimeoutMs"),
        Shared("RetryAfterCeiling", "milliseconds", key: "retryAfterCeilingMs"),
        Shared("MaxEventBytes", "integer", key: "maxEventBytes"),
        Shared("MaxResponseBytes", "integer", key: "maxResponseBytes"),
        Shared("MaxErrorBodyBytes", "integer", key: "maxErrorBodyBytes"),
    ];

    /// <summary>A setting read under one key in both modes.</summary>
    /// <param name="propertyName">The options property it fills.</param>
    /// <param name="typeName">What the value is, for people.</param>
    /// <param name="key">The key read in both modes.</param>
    /// <param name="required">Whether the provider cannot start without it.</param>
    /// <param name="isSecret">Whether its value is a secret: tools must never print it.</param>
    /// <param name="environmentVariables">Where tools read the value from when the settings lack it, in order.</param>
    public static SettingDescriptor Shared(
        string propertyName,
        string typeName,
        string key,
        bool required = false,
        bool isSecret = false,
        IReadOnlyList<EnvironmentVariableDescriptor>? environmentVariables = null) =>
        new(propertyName, typeName, PerMode: false, required, isSecret, key, key) { EnvironmentVariables = environmentVariables ?? [] };

    /// <summary>A setting with one key per mode.</summary>
    /// <param name="propertyName">The options property it fills.</param>
    /// <param name="typeName">What the value is, for people.</param>
    /// <param name="plan">The key read in Plan mode.</param>
    /// <param name="act">The key read in Act mode.</param>
    /// <param name="required">Whether the provider cannot start without it.</param>
    /// <param name="isSecret">Whether its value is a secret: tools must never print it.</param>
    /// <param name="environmentVariables">Where tools read the value from when the settings lack it, in order.</param>
    public static SettingDescriptor ByMode(
        string propertyName,
        string typeName,
        string plan,
        string act,
        bool required = false,
        bool isSecret = false,
        IReadOnlyList<EnvironmentVariableDescriptor>? environmentVariables = null) =>
        new(propertyName, typeName, PerMode: true, required, isSecret, plan, act) { EnvironmentVariables = environmentVariables ?? [] };

    /// <summary>The key read in <paramref name="mode"/>.</summary>
    public string KeyFor(Mode mode) => mode == Mode.Plan ? PlanModeKey : ActModeKey;

    /// <summary>The environment variables tools read the value from when the settings lack it (<see cref="EnvironmentVariableAttribute"/>), in order.</summary>
    public IReadOnlyList<EnvironmentVariableDescriptor> EnvironmentVariables { get; init; } = [];
}

/// <summary>An environment variable a tool reads a setting from (<see cref="EnvironmentVariableAttribute"/>).</summary>
/// <param name="Name">The variable, for example <c>OPENAI_API_KEY</c>.</param>
/// <param name="WhenSettingSet">The settings key that must be set for the variable to apply; <see langword="null"/> for always.</param>
public sealed record EnvironmentVariableDescriptor(string Name, string? WhenSettingSet = null)
{
    /// <summary>Whether the variable applies with <paramref name="settings"/>.</summary>
    public bool AppliesTo(ProviderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return WhenSettingSet is null || (settings.TryGetValue(WhenSettingSet, out var value) && !string.IsNullOrWhiteSpace(value));
    }
}

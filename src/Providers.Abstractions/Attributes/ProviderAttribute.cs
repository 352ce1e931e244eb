namespace Providers;

/// <summary>
/// Registers the class as a provider under <paramref name="id"/> (lower kebab-case, unique across the application).
/// The class implements <see cref="IApiHandler"/> and has one public constructor taking its options type, a class
/// derived from <see cref="ProviderOptions"/>; its settings keys derive from the id (see <see cref="PerModeAttribute"/>).
/// </summary>
/// <param name="id">The provider id used in settings, for example <c>custom-provider</c>.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ProviderAttribute(string id) : Attribute
{
    /// <summary>The provider id.</summary>
    public string Id { get; } = id;

    /// <summary>The name shown to people; defaults to the class name without its <c>Handler</c> suffix.</summary>
    public string? DisplayName { get; set; }
}

/// <summary>
/// Retries the annotated method, or a provider class's <c>CreateMessageAsync</c>, on transient failures. The generator
/// writes the method; you write the same method with a <c>Core</c> suffix (<c>CreateMessageCoreAsync</c>, <c>FooCoreAsync</c>).
/// </summary>
/// <remarks>
/// A stream is never retried after its first chunk was yielded: the error surfaces with
/// <see cref="ProviderException.OutputStarted"/> set, so output is never duplicated.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class WithRetryAttribute : Attribute
{
    /// <summary>Retries after the first attempt (so at most <c>MaxRetries + 1</c> attempts). Default 3.</summary>
    /// <remarks>The original TypeScript decorator counted attempts, not retries.</remarks>
    public int MaxRetries { get; set; } = RetryPolicy.DefaultMaxRetries;

    /// <summary>The first backoff delay in milliseconds; doubled on each retry. Default 1000.</summary>
    public int BaseDelayMs { get; set; } = RetryPolicy.DefaultBaseDelayMs;

    /// <summary>The longest backoff delay in milliseconds. Default 10000.</summary>
    public int MaxDelayMs { get; set; } = RetryPolicy.DefaultMaxDelayMs;

    /// <summary>Retry every error except 400, 401, 403, 404, 422 and the caller's cancellation.</summary>
    public bool RetryAllErrors { get; set; }
}

/// <summary>The option has one value per <see cref="Mode"/>: keys <c>planMode…</c> and <c>actMode…</c>.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class PerModeAttribute : Attribute;

/// <summary>
/// Overrides the settings key derived from the provider id and property name. On a <see cref="PerModeAttribute"/>
/// property the key gets the <c>planMode</c>/<c>actMode</c> prefix: <c>[SettingKey("apiModelId")]</c> reads <c>planModeApiModelId</c>.
/// </summary>
/// <param name="key">The key, camelCase.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class SettingKeyAttribute(string key) : Attribute
{
    /// <summary>The key.</summary>
    public string Key { get; } = key;
}

/// <summary>The property is set in code, never from settings (callbacks, services, clocks).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class SettingIgnoreAttribute : Attribute;

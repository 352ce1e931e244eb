namespace Providers.OpenAiCompatible;

/// <summary>
/// The settings every member of the OpenAI-compatible family has, each under its provider's own Cline keys: an options
/// class declares them as ordinary bindable properties with <see cref="SettingKeyAttribute"/>, and the shared core reads
/// them through this interface.
/// </summary>
public interface IOpenAiCompatibleOptions
{
    /// <summary>The API key, sent as a bearer token; <see langword="null"/> for local servers that need none.</summary>
    string? ApiKey { get; }

    /// <summary>A base URL (with its version segment) replacing the provider's own, for proxies and gateways.</summary>
    Uri? BaseUrl { get; }

    /// <summary>The model id; the provider's default when unset.</summary>
    string? ModelId { get; }

    /// <summary>What the user configured about the model; replaces the built-in table's entry.</summary>
    ModelInfo? ModelInfo => null;
}

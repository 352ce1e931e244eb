using System.Collections;
using System.Text.Json;

namespace Providers;

/// <summary>
/// Flat, case-insensitive key/value settings, as in a Cline settings file: <c>planModeApiProvider</c>,
/// <c>ollamaBaseUrl</c>, <c>planModeOllamaModelId</c>... Immutable; <see cref="With"/> returns a changed copy.
/// </summary>
/// <remarks>
/// Values are kept as text: JSON strings as their content, numbers and booleans as their JSON text, objects and arrays
/// as raw JSON. The generated binder converts them to the options' types.
/// </remarks>
public sealed class ProviderSettings : IReadOnlyDictionary<string, string>
{
    /// <summary>The key naming the provider used in Plan mode.</summary>
    public const string PlanModeProviderKey = "planModeApiProvider";

    /// <summary>The key naming the provider used in Act mode.</summary>
    public const string ActModeProviderKey = "actModeApiProvider";

    private readonly Dictionary<string, string> _values;

    private ProviderSettings(Dictionary<string, string> values) => _values = values;

    /// <summary>No settings.</summary>
    public static ProviderSettings Empty { get; } = new(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Settings from key/value pairs; a <see langword="null"/> value means absent.</summary>
    public static ProviderSettings From(IEnumerable<KeyValuePair<string, string?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var copy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values)
        {
            if (value is not null)
            {
                copy[key] = value;
            }
        }

        return new ProviderSettings(copy);
    }

    /// <summary>Settings from a flat JSON object such as a Cline settings file.</summary>
    /// <exception cref="FormatException">The text is not a JSON object; the message says where.</exception>
    public static ProviderSettings Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Settings are not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}): {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"Settings must be one flat JSON object of keys and values, not a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
            }

            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Null or JsonValueKind.Undefined:
                        break;
                    case JsonValueKind.String:
                        values[property.Name] = property.Value.GetString()!;
                        break;
                    default:
                        values[property.Name] = property.Value.GetRawText();
                        break;
                }
            }

            return new ProviderSettings(values);
        }
    }

    /// <summary>A copy with <paramref name="key"/> set to <paramref name="value"/>, or removed when it is <see langword="null"/>.</summary>
    public ProviderSettings With(string key, string? value)
    {
        var copy = new Dictionary<string, string>(_values, StringComparer.OrdinalIgnoreCase);
        if (value is null)
        {
            copy.Remove(key);
        }
        else
        {
            copy[key] = value;
        }

        return new ProviderSettings(copy);
    }

    /// <summary>The id of the provider chosen for <paramref name="mode"/>, or <see langword="null"/>.</summary>
    public string? ProviderIdFor(Mode mode) => TryGetValue(ProviderKeyFor(mode), out var id) && !string.IsNullOrWhiteSpace(id) ? id.Trim() : null;

    /// <summary>The id of the provider chosen for <paramref name="mode"/>.</summary>
    /// <param name="mode">The mode whose provider key is read.</param>
    /// <param name="knownIds">The ids the error lists when the key is missing.</param>
    /// <exception cref="ProviderConfigurationException">The key is missing or blank; the message names it and the known ids.</exception>
    public string RequireProviderIdFor(Mode mode, IEnumerable<string> knownIds) =>
        ProviderIdFor(mode) ?? throw new ProviderConfigurationException(
            "settings",
            [new SettingProblem(ProviderKeyFor(mode), $"missing: name the provider to use in {mode} mode, one of: {string.Join(", ", knownIds)}")]);

    /// <summary>The key that names the provider for <paramref name="mode"/>.</summary>
    public static string ProviderKeyFor(Mode mode) => mode == Mode.Plan ? PlanModeProviderKey : ActModeProviderKey;

    /// <inheritdoc />
    public string this[string key] => _values[key];

    /// <inheritdoc />
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc />
    public IEnumerable<string> Values => _values.Values;

    /// <inheritdoc />
    public int Count => _values.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) => _values.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The keys only: values may be secrets.</summary>
    public override string ToString() => $"ProviderSettings ({Count} keys: {string.Join(", ", _values.Keys.Order(StringComparer.Ordinal))})";
}

using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Providers.Settings;

/// <summary>
/// Reads typed values from <see cref="ProviderSettings"/> for generated binding code, collecting every problem so that
/// <see cref="ThrowIfInvalid"/> reports them all at once. Each reader returns the fallback when the key is absent or bad.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SettingsBinder(ProviderSettings settings, string providerId)
{
    private List<SettingProblem>? _problems;

    /// <summary>Throws a <see cref="ProviderConfigurationException"/> listing every problem, if there was any.</summary>
    public void ThrowIfInvalid()
    {
        if (_problems is { Count: > 0 })
        {
            throw new ProviderConfigurationException(providerId, _problems);
        }
    }

    /// <summary>Reads text; an empty or blank value counts as absent.</summary>
    /// <remarks>
    /// A value with a line break or another control character is rejected: every string setting ends up in a header,
    /// a URL or a request body, and a line break in a header value would add a header of the server's choosing.
    /// </remarks>
    [return: NotNullIfNotNull(nameof(fallback))]
    public string? String(string key, bool required, string? fallback) =>
        Parse(key, required, fallback, static (string s, out string? v) => { v = s; return !HasControl(s); }, ControlCharacters);

    /// <summary>Reads <see langword="true"/> or <see langword="false"/>.</summary>
    public bool Boolean(string key, bool required, bool fallback) => Boolean(key, required, (bool?)fallback) ?? fallback;

    /// <summary>Reads <see langword="true"/> or <see langword="false"/>.</summary>
    public bool? Boolean(string key, bool required, bool? fallback) =>
        Parse(key, required, fallback, static (string s, out bool? v) => { var ok = bool.TryParse(s, out var b); v = b; return ok; }, "true or false");

    /// <summary>Reads a whole number.</summary>
    public int Int32(string key, bool required, int fallback) => Int32(key, required, (int?)fallback) ?? fallback;

    /// <summary>Reads a whole number; for a limit of <see cref="ProviderOptions"/> (<c>maxEventBytes</c>...), one in its range.</summary>
    public int? Int32(string key, bool required, int? fallback) => ProviderOptions.TryGetLimit(key, out var min, out var max, out var description)
        ? (int?)Limit(key, required, fallback, min, max, description)
        : Parse(key, required, fallback, static (string s, out int? v) => { var ok = int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n); v = n; return ok; }, "a whole number");

    /// <summary>Reads a whole number.</summary>
    public long Int64(string key, bool required, long fallback) => Int64(key, required, (long?)fallback) ?? fallback;

    /// <summary>Reads a whole number; for a limit of <see cref="ProviderOptions"/> (<c>maxResponseBytes</c>...), one in its range.</summary>
    public long? Int64(string key, bool required, long? fallback) => ProviderOptions.TryGetLimit(key, out var min, out var max, out var description)
        ? Limit(key, required, fallback, min, max, description)
        : Parse(key, required, fallback, static (string s, out long? v) => { var ok = long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n); v = n; return ok; }, "a whole number");

    // A limit out of its range (negative, zero, past what the reader can buffer, or past what a long holds) is reported
    // here, naming the key and the range, so it never reaches the options' setter or the first request.
    private long? Limit(string key, bool required, long? fallback, long min, long max, string description)
    {
        if (Raw(key, required) is not { } raw)
        {
            return fallback;
        }

        if (long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Report(key, $"{Quote(raw)} is not valid: expected {description}");
        return fallback;
    }

    /// <summary>Reads a number.</summary>
    public double Double(string key, bool required, double fallback) => Double(key, required, (double?)fallback) ?? fallback;

    /// <summary>Reads a number.</summary>
    public double? Double(string key, bool required, double? fallback) =>
        Parse(key, required, fallback, static (string s, out double? v) => { var ok = double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n); v = n; return ok; }, "a number");

    /// <summary>Reads a number.</summary>
    public decimal Decimal(string key, bool required, decimal fallback) => Decimal(key, required, (decimal?)fallback) ?? fallback;

    /// <summary>Reads a number.</summary>
    public decimal? Decimal(string key, bool required, decimal? fallback) =>
        Parse(key, required, fallback, static (string s, out decimal? v) => { var ok = decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var n); v = n; return ok; }, "a number");

    /// <summary>Reads a duration given in milliseconds.</summary>
    public TimeSpan Milliseconds(string key, bool required, TimeSpan fallback) => Milliseconds(key, required, (TimeSpan?)fallback) ?? fallback;

    /// <summary>Reads a duration given in milliseconds.</summary>
    public TimeSpan? Milliseconds(string key, bool required, TimeSpan? fallback) =>
        Parse(key, required, fallback, static (string s, out TimeSpan? v) =>
        {
            var ok = double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 1 && ms <= MaxMilliseconds;
            v = ok ? TimeSpan.FromMilliseconds(ms) : null;
            return ok;
        }, ProviderOptions.DurationRange);

    /// <summary>Reads an absolute http or https URL.</summary>
    [return: NotNullIfNotNull(nameof(fallback))]
    public Uri? Url(string key, bool required, Uri? fallback) =>
        Parse(key, required, fallback, static (string s, out Uri? v) =>
            Uri.TryCreate(s, UriKind.Absolute, out v) && (v.Scheme == Uri.UriSchemeHttp || v.Scheme == Uri.UriSchemeHttps),
            "an absolute http:// or https:// URL");

    /// <summary>Reads the name of an enum member, ignoring case, hyphens and underscores.</summary>
    public TEnum Enum<TEnum>(string key, bool required, TEnum fallback)
        where TEnum : struct, Enum => Enum(key, required, (TEnum?)fallback) ?? fallback;

    /// <summary>Reads the name of an enum member, ignoring case, hyphens and underscores.</summary>
    public TEnum? Enum<TEnum>(string key, bool required, TEnum? fallback)
        where TEnum : struct, Enum =>
        Parse(key, required, fallback, static (string s, out TEnum? v) =>
        {
            var name = s.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
            var ok = !name.AsSpan().ContainsAnyInRange('0', '9') && System.Enum.TryParse<TEnum>(name, ignoreCase: true, out var e);
            v = ok ? System.Enum.Parse<TEnum>(name, ignoreCase: true) : null;
            return ok;
        }, "one of: " + string.Join(", ", System.Enum.GetNames<TEnum>().Select(Common.KebabCase.Convert)));

    /// <summary>Reads a JSON object of string values (headers, for example).</summary>
    [return: NotNullIfNotNull(nameof(fallback))]
    public Dictionary<string, string>? StringMap(string key, bool required, Dictionary<string, string>? fallback) =>
        Parse(key, required, fallback, static (string s, out Dictionary<string, string>? v) =>
        {
            v = null;
            try
            {
                using var doc = JsonDocument.Parse(s);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }

                var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                    if (p.Name.Length == 0 || HasControl(p.Name) || HasControl(map[p.Name]))
                    {
                        return false;
                    }
                }

                v = map;
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }, "a JSON object of names to strings without line breaks or control characters, for example {\"X-Title\": \"my app\"}");

    /// <summary>Reads any JSON value.</summary>
    public JsonElement? Json(string key, bool required, JsonElement? fallback) =>
        Parse(key, required, fallback, static (string s, out JsonElement? v) =>
        {
            try
            {
                using var doc = JsonDocument.Parse(s);
                v = doc.RootElement.Clone();
                return true;
            }
            catch (JsonException)
            {
                v = null;
                return false;
            }
        }, "JSON");

    /// <summary>Reads a <see cref="ModelInfo"/> JSON object.</summary>
    [return: NotNullIfNotNull(nameof(fallback))]
    public ModelInfo? ModelInfo(string key, bool required, ModelInfo? fallback) =>
        Parse(key, required, fallback, static (string s, out ModelInfo? v) =>
        {
            try
            {
                v = JsonSerializer.Deserialize(s, AbstractionsJsonContext.Default.ModelInfo);
                return v is not null;
            }
            catch (JsonException)
            {
                v = null;
                return false;
            }
        }, "a JSON object such as {\"contextWindow\": 128000, \"maxTokens\": 8192, \"inputPrice\": 3, \"outputPrice\": 15}");

    /// <summary>The longest duration a setting may hold: the longest a <see cref="CancellationTokenSource"/> or timer can wait.</summary>
    public const double MaxMilliseconds = uint.MaxValue - 1;

    private const string ControlCharacters = "text without line breaks or other control characters (a pasted value may have picked up a newline)";

    private delegate bool TryParser<T>(string text, out T value);

    private static bool HasControl(string text)
    {
        foreach (var c in text)
        {
            if ((c < ' ' && c != '\t') || c == '\u007f')
            {
                return true;
            }
        }

        return false;
    }

    private string? Raw(string key, bool required)
    {
        if (settings.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value))
        {
            return value.Trim();
        }

        if (required)
        {
            Report(key, "missing: this setting is required");
        }

        return null;
    }

    private T Parse<T>(string key, bool required, T fallback, TryParser<T> parser, string expected)
    {
        if (Raw(key, required) is not { } raw)
        {
            return fallback;
        }

        if (parser(raw, out var value))
        {
            return value;
        }

        Report(key, $"{Quote(raw)} is not valid: expected {expected}");
        return fallback;
    }

    private void Report(string key, string problem) => (_problems ??= []).Add(new SettingProblem(key, problem));

    // A short value is echoed so the user sees what was read; a long one is likelier to be a pasted secret, so only its length is.
    // A value with control characters is never echoed: it would carry them into the terminal.
    private static string Quote(string raw) => raw.Length <= 32 && !HasControl(raw) ? $"'{raw}'" : $"a {raw.Length}-character value";
}

using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Providers;

/// <summary>Reads flat <see cref="ProviderSettings"/> from an <see cref="IConfiguration"/> section, without the reflection binder.</summary>
public static class ConfigurationSettings
{
    /// <summary>
    /// The section's direct children as flat settings. A child holding a value gives that value; a child holding
    /// children (headers, model info) is rebuilt as JSON text (an object, or an array when its keys are 0, 1, 2...),
    /// which the generated binder parses into the option's type. Configuration keeps no types, so inside rebuilt JSON
    /// <c>true</c>/<c>false</c> (any case) become booleans, JSON numbers become numbers and everything else a string.
    /// </summary>
    public static ProviderSettings ToProviderSettings(this IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var values = new List<KeyValuePair<string, string?>>();
        foreach (var child in section.GetChildren())
        {
            var grandchildren = child.GetChildren().ToList();
            values.Add(new(child.Key, grandchildren.Count == 0 ? child.Value : ToJson(grandchildren)));
        }

        return ProviderSettings.From(values);
    }

    private static string ToJson(List<IConfigurationSection> children)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, children);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter writer, List<IConfigurationSection> children)
    {
        var isArray = IsArray(children);
        if (isArray)
        {
            writer.WriteStartArray();
            children.Sort((a, b) => int.Parse(a.Key, CultureInfo.InvariantCulture).CompareTo(int.Parse(b.Key, CultureInfo.InvariantCulture)));
        }
        else
        {
            writer.WriteStartObject();
        }

        foreach (var child in children)
        {
            if (!isArray)
            {
                writer.WritePropertyName(child.Key);
            }

            var grandchildren = child.GetChildren().ToList();
            if (grandchildren.Count > 0)
            {
                Write(writer, grandchildren);
            }
            else
            {
                WriteLeaf(writer, child.Value);
            }
        }

        if (isArray)
        {
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteEndObject();
        }
    }

    private static bool IsArray(List<IConfigurationSection> children)
    {
        var seen = new bool[children.Count];
        foreach (var child in children)
        {
            if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= children.Count || seen[index])
            {
                return false;
            }

            seen[index] = true;
        }

        return true;
    }

    private static void WriteLeaf(Utf8JsonWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else if (bool.TryParse(value, out var flag))
        {
            writer.WriteBooleanValue(flag);
        }
        else if (IsJsonNumber(value))
        {
            writer.WriteRawValue(value, skipInputValidation: true);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    private static bool IsJsonNumber(string value)
    {
        if (value.Length == 0 || !(char.IsAsciiDigit(value[0]) || value[0] == '-'))
        {
            return false;
        }

        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(value));
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.Number && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

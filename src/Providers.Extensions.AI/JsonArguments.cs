using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace Providers;

/// <summary>Tool-call arguments between Microsoft.Extensions.AI's dictionaries and our JSON, without reflection-based serialization.</summary>
internal static class JsonArguments
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>Parses assembled argument JSON into a dictionary of <see cref="JsonElement"/> values; empty text is no arguments.</summary>
    /// <exception cref="JsonException">The text is not a JSON object.</exception>
    public static IDictionary<string, object?> Parse(string json)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            return arguments;
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"Tool-call arguments must be a JSON object, not {document.RootElement.ValueKind}.");
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            arguments[property.Name] = property.Value.Clone();
        }

        return arguments;
    }

    /// <summary>The dictionary from a JSON object element (our <see cref="ToolUseBlock.Input"/>).</summary>
    public static IDictionary<string, object?> FromElement(JsonElement input)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in input.EnumerateObject())
            {
                arguments[property.Name] = property.Value.Clone();
            }
        }

        return arguments;
    }

    public static JsonElement ToElement(IDictionary<string, object?>? arguments)
    {
        if (arguments is null || arguments.Count == 0)
        {
            return EmptyObject;
        }

        using var document = JsonDocument.Parse(ToJson(arguments));
        return document.RootElement.Clone();
    }

    public static string ToJson(IDictionary<string, object?>? arguments)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteValue(writer, arguments ?? new Dictionary<string, object?>());
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Writes the values that arguments and tool results hold in practice; anything else goes through the
    /// Microsoft.Extensions.AI source-generated JSON contract when it knows the type, else as its text.
    /// </summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int or long or short or sbyte or byte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumberValue(u);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case float f:
                writer.WriteNumberValue(f);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case JsonDocument document:
                document.RootElement.WriteTo(writer);
                break;
            case JsonNode node:
                node.WriteTo(writer);
                break;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                break;
            case IFormattable and (DateTime or DateTimeOffset or Guid or TimeSpan):
                writer.WriteStringValue(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            case IDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable sequence:
                writer.WriteStartArray();
                foreach (var item in sequence)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                if (AIJsonUtilities.DefaultOptions.TryGetTypeInfo(value.GetType(), out JsonTypeInfo? info))
                {
                    JsonSerializer.Serialize(writer, value, info);
                }
                else
                {
                    writer.WriteStringValue(value.ToString());
                }

                break;
        }
    }
}

using System.Collections;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Providers.Tests.ReaderEquivalence;

/// <summary>
/// Compares two wire objects property by property through the serializer's own metadata (<see cref="JsonTypeInfo"/>
/// of the source-generated context: AOT-safe, and it sees exactly the properties the serializer reads). JSON values kept
/// as <see cref="JsonElement"/> are compared byte for byte.
/// </summary>
internal sealed class WireComparer(IReadOnlyList<Skip> skips)
{
    /// <summary>Paths whose expected value was set (not null, false, 0) in an event that was compared.</summary>
    public HashSet<string> Covered { get; } = new(StringComparer.Ordinal);

    /// <summary>The differences of one pair, empty when the two are equal.</summary>
    public List<string> Compare(object? expected, object? actual, JsonTypeInfo typeInfo)
    {
        var differences = new List<string>();
        var active = expected is null ? [] : skips.Where(s => s.AppliesTo is null || s.AppliesTo(expected)).Select(s => s.Path).ToHashSet(StringComparer.Ordinal);
        Compare(expected, actual, typeInfo, "", active, differences);
        return differences;
    }

    /// <summary>Every JSON property reachable from the wire type, as paths.</summary>
    public static List<string> PathsOf(JsonTypeInfo typeInfo)
    {
        var paths = new List<string>();
        Walk(typeInfo, "", [], paths);
        return paths;
    }

    private void Compare(object? expected, object? actual, JsonTypeInfo? typeInfo, string path, HashSet<string> skipped, List<string> differences)
    {
        if (skipped.Contains(path))
        {
            return;
        }

        if (expected is null || actual is null)
        {
            if (expected is not null || actual is not null)
            {
                differences.Add($"{Show(path)}: serializer {Describe(expected)}, reader {Describe(actual)}");
            }

            return;
        }

        if (!IsDefault(expected))
        {
            Covered.Add(path);
        }

        switch (typeInfo?.Kind)
        {
            case JsonTypeInfoKind.Object:
                foreach (var property in typeInfo.Properties)
                {
                    if (property.Get is { } get)
                    {
                        Compare(get(expected), get(actual), TypeInfoOf(typeInfo.Options, property.PropertyType), Join(path, property.Name), skipped, differences);
                    }
                }

                return;
            case JsonTypeInfoKind.Enumerable:
                var left = ((IEnumerable)expected).Cast<object?>().ToList();
                var right = ((IEnumerable)actual).Cast<object?>().ToList();
                if (left.Count != right.Count)
                {
                    differences.Add($"{Show(path)}: serializer {left.Count} items, reader {right.Count}");
                    return;
                }

                var elementInfo = TypeInfoOf(typeInfo.Options, typeInfo.ElementType!);
                for (var i = 0; i < left.Count; i++)
                {
                    Compare(left[i], right[i], elementInfo, path + "[]", skipped, differences);
                }

                return;
            case JsonTypeInfoKind.Dictionary:
                throw new NotSupportedException($"{Show(path)}: dictionaries in stream wire types are not compared yet; add them here.");
            default:
                if (!LeafEquals(expected, actual))
                {
                    differences.Add($"{Show(path)}: serializer {Describe(expected)}, reader {Describe(actual)}");
                }

                return;
        }
    }

    private static void Walk(JsonTypeInfo typeInfo, string path, HashSet<Type> open, List<string> paths)
    {
        if (!open.Add(typeInfo.Type))
        {
            return;
        }

        switch (typeInfo.Kind)
        {
            case JsonTypeInfoKind.Object:
                foreach (var property in typeInfo.Properties)
                {
                    var child = Join(path, property.Name);
                    paths.Add(child);
                    if (TypeInfoOf(typeInfo.Options, property.PropertyType) is { } propertyInfo)
                    {
                        Walk(propertyInfo, child, open, paths);
                    }
                }

                break;
            case JsonTypeInfoKind.Enumerable when TypeInfoOf(typeInfo.Options, typeInfo.ElementType!) is { } elementInfo:
                Walk(elementInfo, path + "[]", open, paths);
                break;
        }

        open.Remove(typeInfo.Type);
    }

    /// <summary>The metadata of a property's type, a nullable value type's underlying type's when it is one.</summary>
    private static JsonTypeInfo? TypeInfoOf(JsonSerializerOptions options, Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return options.TryGetTypeInfo(underlying, out var info) ? info : null;
    }

    private static bool LeafEquals(object expected, object actual) => (expected, actual) switch
    {
        (JsonElement left, JsonElement right) => left.ValueKind == right.ValueKind
            && (left.ValueKind == JsonValueKind.Undefined || JsonMarshal.GetRawUtf8Value(left).SequenceEqual(JsonMarshal.GetRawUtf8Value(right))),
        (string left, string right) => string.Equals(left, right, StringComparison.Ordinal),
        _ => expected.GetType() == actual.GetType() && expected.Equals(actual),
    };

    private static bool IsDefault(object value) => value switch
    {
        bool b => !b,
        int i => i == 0,
        long l => l == 0,
        decimal d => d == 0,
        double d => d == 0,
        JsonElement e => e.ValueKind == JsonValueKind.Undefined,
        _ => false,
    };

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static string Show(string path) => path.Length == 0 ? "(the event)" : path;

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => JsonSerializer.Serialize(s, Providers.Tests.ReaderEquivalence.ComparerJson.Default.String),
        JsonElement e => e.ValueKind == JsonValueKind.Undefined ? "(absent)" : System.Text.Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(e)),
        _ => value.ToString() ?? value.GetType().Name,
    };
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class ComparerJson : System.Text.Json.Serialization.JsonSerializerContext;

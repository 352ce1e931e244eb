using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Providers.OpenAiCompatible;

/// <summary>
/// A provider's built-in model table: figures from Cline's <c>src/shared/api.ts</c>, kept as data in
/// <c>OpenAiCompatible/Models/{name}.json</c> (embedded) and read once, on first use.
/// </summary>
internal sealed class ModelTable
{
    public static readonly ModelTable Empty = new(static () => FrozenDictionary<string, ModelInfo>.Empty);

    private readonly Lazy<FrozenDictionary<string, ModelInfo>> _models;

    private ModelTable(Func<FrozenDictionary<string, ModelInfo>> load) => _models = new(load);

    private static readonly ConcurrentDictionary<string, ModelTable> EmbeddedTables = new(StringComparer.Ordinal);

    /// <summary>The table embedded as <c>Models/{name}.json</c>; one instance per name, read once.</summary>
    public static ModelTable Embedded(string name) => EmbeddedTables.GetOrAdd(name, static n => new ModelTable(() => Load(n)));

    public IEnumerable<string> Ids => _models.Value.Keys;

    public ModelInfo? Find(string modelId) => _models.Value.GetValueOrDefault(modelId);

    private static FrozenDictionary<string, ModelInfo> Load(string name)
    {
        using var stream = typeof(ModelTable).Assembly.GetManifestResourceStream($"Providers.OpenAiCompatible.Models.{name}.json")
            ?? throw new InvalidOperationException($"The model table '{name}' is not embedded in the Providers assembly.");
        var models = JsonSerializer.Deserialize(stream, OpenAiCompatibleJsonContext.Default.DictionaryStringModelInfo) ?? [];
        return models.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>The source-generated serializers of the family: model tables, and the values quirks add to a request body.</summary>
[JsonSerializable(typeof(Dictionary<string, ModelInfo>))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string))]
internal sealed partial class OpenAiCompatibleJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Providers.Tests.ReaderEquivalence;

/// <summary>A hand-written reader: the bytes of one event in, the wire object out (or a <see cref="JsonException"/>).</summary>
internal delegate T? SpanReader<T>(ReadOnlySpan<byte> data);

/// <summary>One event of a recorded stream, as the handler hands it to its reader.</summary>
/// <param name="Source">Where it came from: fixture file and event number, mutation, or edge case.</param>
/// <param name="EventType">The SSE <c>event:</c> name, or <see langword="null"/> for NDJSON and unnamed events.</param>
internal sealed record WireEvent(string Source, string? EventType, byte[] Data)
{
    public override string ToString() => $"{Source}: {System.Text.Encoding.UTF8.GetString(Data[..Math.Min(Data.Length, 400)])}";
}

/// <summary>
/// A field of the wire type the reader deliberately leaves out. <paramref name="Path"/> is the JSON path as
/// <see cref="WireComparer"/> spells it (<c>choices[].delta.content</c>); <paramref name="AppliesTo"/>, when given, limits
/// the exception to the events whose serializer result it accepts (elsewhere the field is compared).
/// </summary>
internal sealed record Skip(string Path, string Reason, Func<object, bool>? AppliesTo = null)
{
    public static Skip When<T>(string path, string reason, Func<T, bool> appliesTo) => new(path, reason, o => appliesTo((T)o));
}

/// <summary>
/// A <see langword="null"/> the serializer accepts and the reader rejects as malformed on purpose (the handler has no use
/// for it and would otherwise have to check for it). <paramref name="Path"/> is the event itself (<c>""</c>) or an array's
/// items (<c>choices[]</c>).
/// </summary>
internal sealed record Rejects(string Path, string Reason);

/// <summary>
/// A hand-written reader paired with the generated serializer of the same wire type: the serializer is the
/// specification, the reader the fast path that must agree with it on every event.
/// </summary>
internal sealed class WireReader
{
    private WireReader(string name, string format, string[] fixtureFolders, JsonTypeInfo typeInfo, Func<byte[], object?> read, Func<byte[], object?> deserialize)
    {
        Name = name;
        Format = format;
        FixtureFolders = fixtureFolders;
        TypeInfo = typeInfo;
        Read = read;
        Deserialize = deserialize;
    }

    /// <summary>Shown in test names.</summary>
    public string Name { get; }

    /// <summary>The wire format: picks the edge cases of <see cref="EdgeCases"/>.</summary>
    public string Format { get; }

    /// <summary>The folders under tests/fixtures whose events this reader is handed.</summary>
    public string[] FixtureFolders { get; }

    public JsonTypeInfo TypeInfo { get; }

    public Func<byte[], object?> Read { get; }

    public Func<byte[], object?> Deserialize { get; }

    /// <summary>Which events the handler gives this reader (the others go to the serializer itself).</summary>
    public Func<WireEvent, bool> Accepts { get; private init; } = _ => true;

    public IReadOnlyList<Skip> Skips { get; private init; } = [];

    /// <summary>What the handler makes of a fixture event before the reader sees it (a union unwrapped to its member's payload).</summary>
    public Func<WireEvent, WireEvent> Prepare { get; private init; } = e => e;

    public IReadOnlyList<Rejects> Rejections { get; private init; } = [];

    public static WireReader Of<T>(string name, string format, string[] fixtureFolders, SpanReader<T> read, JsonTypeInfo<T> typeInfo, params Skip[] skips)
        where T : class => new(name, format, fixtureFolders, typeInfo, data => read(data), data => JsonSerializer.Deserialize(data, typeInfo))
        {
            Skips = skips,
        };

    public WireReader OnlyFor(Func<WireEvent, bool> accepts) => new(Name, Format, FixtureFolders, TypeInfo, Read, Deserialize)
    {
        Accepts = accepts,
        Skips = Skips,
        Rejections = Rejections,
        Prepare = Prepare,
    };

    public WireReader Rejecting(params Rejects[] rejections) => new(Name, Format, FixtureFolders, TypeInfo, Read, Deserialize)
    {
        Accepts = Accepts,
        Skips = Skips,
        Rejections = rejections,
        Prepare = Prepare,
    };

    public WireReader Preparing(Func<WireEvent, WireEvent> prepare) => new(Name, Format, FixtureFolders, TypeInfo, Read, Deserialize)
    {
        Accepts = Accepts,
        Skips = Skips,
        Rejections = Rejections,
        Prepare = prepare,
    };

    public override string ToString() => Name;
}

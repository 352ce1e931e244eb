using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Providers.Tests.Replay;

namespace Providers.Tests.ReaderEquivalence;

/// <summary>
/// The hand-written <see cref="Utf8JsonReader"/> readers of stream events read every event exactly as the generated
/// <c>JsonSerializerContext</c> of the same wire type does.
/// </summary>
/// <remarks>
/// <para>The rule: a hand-written reader is allowed on a hot path only when it is registered in <see cref="WireReaders"/>
/// (one line: name, format, fixture folders, the reader, the context's <c>JsonTypeInfo</c>). Then, for every event of
/// every fixture of its folders, the fuzzer's mutations of each, and the hand-made <see cref="EdgeCases"/>:</para>
/// <list type="bullet">
/// <item>both succeed and the two wire objects are equal property by property, walked through the context's metadata
/// (<see cref="WireComparer"/>), JSON elements byte for byte; or</item>
/// <item>both fail, the reader with a <see cref="JsonException"/> (which the handler turns into the
/// <c>malformed_stream</c> error; any other exception would escape as a crash).</item>
/// </list>
/// <para>A field the reader deliberately leaves out is a <see cref="Skip"/> with its JSON path and the reason; nothing
/// else may differ. Every JSON property of the wire type (from the same metadata) must be set in at least one compared
/// event or be a named skip, so a property added to a wire type but not to its reader fails
/// <see cref="Every_property_of_the_wire_type_is_compared_or_a_named_exception"/>, and a new
/// <c>new Utf8JsonReader(</c> in src/ that is not registered fails
/// <see cref="Every_hand_written_reader_in_src_is_registered"/>.</para>
/// </remarks>
public sealed class ReaderEquivalenceTests
{
    public static TheoryData<string> Readers => WireReaders.Names();

    [Theory]
    [MemberData(nameof(Readers))]
    public void Every_fixture_event_reads_exactly_as_the_serializer_reads_it(string name)
    {
        var reader = WireReaders.Named(name);
        var events = FixtureEvents(reader);
        Assert.True(events.Count >= 5, $"only {events.Count} fixture events for {name}");
        var outcome = Check(reader, events);
        Assert.True(outcome.Disagreements.Count == 0, Report(outcome.Disagreements));

        // Recorded streams are valid: every event reads.
        Assert.Equal(0, outcome.BothFailed);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Every_mutated_fixture_event_fails_in_both_or_reads_exactly_as_the_serializer_reads_it(string name)
    {
        var reader = WireReaders.Named(name);
        var outcome = Check(reader, WireEvents.Mutations(FixtureEvents(reader), name));
        Assert.True(outcome.Disagreements.Count == 0, $"PROVIDERS_FUZZ_SEED={Fuzz.FuzzSeed.Base}: " + Report(outcome.Disagreements));

        // The mutations must reach both outcomes, or they test nothing.
        Assert.True(outcome.BothRead > 100 && outcome.BothFailed > 100, $"both read {outcome.BothRead}, both failed {outcome.BothFailed}");
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Edge_cases_fail_in_both_or_read_exactly_as_the_serializer_reads_them(string name)
    {
        var reader = WireReaders.Named(name);
        var outcome = Check(reader, EdgeCases.For(reader.Format));
        Assert.True(outcome.Disagreements.Count == 0, Report(outcome.Disagreements));
        Assert.True(outcome.BothRead > 3 && outcome.BothFailed > 10, $"both read {outcome.BothRead}, both failed {outcome.BothFailed}");
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Every_property_of_the_wire_type_is_compared_or_a_named_exception(string name)
    {
        var reader = WireReaders.Named(name);
        var outcome = Check(reader, [.. FixtureEvents(reader), .. EdgeCases.For(reader.Format)]);
        var missing = WireComparer.PathsOf(reader.TypeInfo)
            .Where(path => !outcome.Covered.Contains(path) && !reader.Skips.Any(s => path == s.Path || path.StartsWith(s.Path + ".", StringComparison.Ordinal) || path.StartsWith(s.Path + "[]", StringComparison.Ordinal)))
            .ToList();
        Assert.True(
            missing.Count == 0,
            $"{reader.TypeInfo.Type.Name} has JSON properties that no compared event sets and no Skip names: {string.Join(", ", missing)}. "
            + $"Read each one in the reader of '{name}' and add an event that sets it to {nameof(EdgeCases)}, or, if the reader leaves it out on purpose, "
            + $"list it as a {nameof(Skip)} with the reason in {nameof(WireReaders)}.");
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Every_named_exception_is_a_property_of_the_wire_type(string name)
    {
        var reader = WireReaders.Named(name);
        var paths = WireComparer.PathsOf(reader.TypeInfo);
        Assert.All(reader.Skips, skip => Assert.Contains(skip.Path, paths));
        Assert.All(reader.Skips, skip => Assert.False(string.IsNullOrWhiteSpace(skip.Reason)));
        Assert.All(reader.Rejections, r => Assert.True(r.Path.Length == 0 || (r.Path.EndsWith("[]", StringComparison.Ordinal) && paths.Contains(r.Path[..^2])), r.Path));
        Assert.All(reader.Rejections, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason)));
    }

    [Fact]
    public void Every_hand_written_reader_in_src_is_registered()
    {
        // Files with a Utf8JsonReader over whole input that is not a stream event: checks and converters, each with its reason.
        string[] notStreamEventReaders =
        [
            "Providers/Http/JsonFields.cs", // the shared field helpers of the readers themselves
            "Providers/Http/JsonPrefixResume.cs", // resumes a registered reader after bytes it read before; PrefixResumeTests proves the tokens are those of a reader from the start
            "Providers/Http/StreamFaults.cs", // IsCompleteJson: only asks whether assembled tool arguments are one JSON value
            "Providers.Extensions.DependencyInjection/ConfigurationSettings.cs", // a configuration value, not a stream
            "Providers/SapAiCore/ConverseSse.cs", // splits a ConverseStream union into its member name and raw payload bytes; the payload is read by ConverseEventReader
        ];
        string[] registered =
        [
            "Providers/OpenAi/ChatChunkReader.cs",
            "Providers/Ollama/OllamaChunkReader.cs",
            "Providers/Anthropic/AnthropicEventReader.cs",
            "Providers/Gemini/GeminiResponseReader.cs",
            "Providers/Bedrock/ConverseEventReader.cs",
        ];
        var src = Path.GetFullPath(Path.Combine(Fixtures.Root, "..", "..", "src"));
        var found = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(path => File.ReadAllText(path).Contains("new Utf8JsonReader(", StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(src, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        var unknown = found.Except(notStreamEventReaders).Except(registered).ToList();
        Assert.True(
            unknown.Count == 0,
            $"Hand-written JSON readers that no test proves equal to the serializer: {string.Join(", ", unknown)}. Register each in {nameof(WireReaders)} (one line).");
        Assert.Equal(registered.Length, WireReaders.All.Select(r => r.TypeInfo.Type).Distinct().Count());
    }

    private static List<WireEvent> FixtureEvents(WireReader reader) =>
        WireEvents.FromFixtures(reader.FixtureFolders).Select(reader.Prepare).Where(reader.Accepts).ToList();

    private sealed record Outcome(List<string> Disagreements, int BothRead, int BothFailed, HashSet<string> Covered);

    private static Outcome Check(WireReader reader, IEnumerable<WireEvent> events)
    {
        var comparer = new WireComparer(reader.Skips);
        var disagreements = new List<string>();
        int bothRead = 0, bothFailed = 0;
        foreach (var e in events)
        {
            var (expected, serializerError) = Run(reader.Deserialize, e.Data);
            var (actual, readerError) = Run(reader.Read, e.Data);
            string? problem;
            if (readerError is not null and not JsonException)
            {
                problem = $"the reader threw {readerError.GetType().Name} ({readerError.Message}): only a JsonException becomes the malformed_stream error; "
                    + $"the serializer {(serializerError is null ? "reads it" : "throws " + serializerError.GetType().Name)}";
            }
            else if (serializerError is not null && readerError is not null)
            {
                bothFailed++;
                continue;
            }
            else if (serializerError is null && readerError is null)
            {
                var differences = comparer.Compare(expected, actual, reader.TypeInfo);
                if (differences.Count == 0)
                {
                    bothRead++;
                    continue;
                }

                problem = "the wire objects differ: " + string.Join("; ", differences);
            }
            else if (serializerError is not null)
            {
                if (ExplainedBySkips(reader, e.Data))
                {
                    bothRead++;
                    continue;
                }

                problem = $"the serializer fails ({serializerError.Message}) but the reader reads it";
            }
            else if (RejectedOnPurpose(reader, expected))
            {
                bothFailed++;
                continue;
            }
            else
            {
                problem = $"the reader fails ({readerError!.Message}) but the serializer reads it as {Show(reader, expected)}";
            }

            disagreements.Add($"{e}\n  -> {problem}");
        }

        return new Outcome(disagreements, bothRead, bothFailed, comparer.Covered);
    }

    /// <summary>
    /// Whether the serializer's failure lies only in fields the reader skips on purpose: with their values replaced by
    /// <c>null</c> (byte for byte, the rest of the event untouched), the serializer reads the event to the same object.
    /// A skipped field's shape is not the reader's business.
    /// </summary>
    private static bool ExplainedBySkips(WireReader reader, byte[] data)
    {
        if (reader.Skips.Count == 0)
        {
            return false;
        }

        var ranges = new List<(int Start, int End)>();
        try
        {
            var json = new Utf8JsonReader(data);
            if (!json.Read())
            {
                return false;
            }

            FindSkipped(ref json, "", reader.Skips.Select(s => s.Path).ToHashSet(StringComparer.Ordinal), ranges);
        }
        catch (JsonException)
        {
            return false;
        }

        if (ranges.Count == 0)
        {
            return false;
        }

        var nulled = new List<byte>(data.Length);
        var at = 0;
        foreach (var (start, end) in ranges)
        {
            nulled.AddRange(data[at..start]);
            nulled.AddRange("null"u8.ToArray());
            at = end;
        }

        nulled.AddRange(data[at..]);
        var (expected, error) = Run(reader.Deserialize, [.. nulled]);
        var (actual, _) = Run(reader.Read, data);
        return error is null && new WireComparer(reader.Skips).Compare(expected, actual, reader.TypeInfo).Count == 0;
    }

    /// <summary>The byte ranges of the values at the skipped paths, in order.</summary>
    private static void FindSkipped(ref Utf8JsonReader json, string path, HashSet<string> skipped, List<(int, int)> ranges)
    {
        if (json.TokenType == JsonTokenType.StartObject)
        {
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                string name;
                try
                {
                    name = json.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    name = "\uFFFD"; // not UTF-8: matches no skip
                }

                json.Read();
                var child = path.Length == 0 ? name : path + "." + name;
                if (skipped.Contains(child))
                {
                    var start = (int)json.TokenStartIndex;
                    json.Skip();
                    ranges.Add((start, (int)json.BytesConsumed));
                }
                else
                {
                    FindSkipped(ref json, child, skipped, ranges);
                }
            }
        }
        else if (json.TokenType == JsonTokenType.StartArray)
        {
            while (json.Read() && json.TokenType != JsonTokenType.EndArray)
            {
                FindSkipped(ref json, path + "[]", skipped, ranges);
            }
        }
    }

    /// <summary>Whether the serializer's result has a <see langword="null"/> where a <see cref="Rejects"/> says the reader fails on purpose.</summary>
    private static bool RejectedOnPurpose(WireReader reader, object? expected)
    {
        if (expected is null)
        {
            return reader.Rejections.Any(r => r.Path.Length == 0);
        }

        var node = JsonNode.Parse(Show(reader, expected));
        return reader.Rejections.Any(r => r.Path.Length > 0 && HasNullItem(node, r.Path.Split('.')));
    }

    private static bool HasNullItem(JsonNode? node, ReadOnlySpan<string> segments)
    {
        if (node is not JsonObject obj || segments.IsEmpty)
        {
            return false;
        }

        var segment = segments[0];
        var isArray = segment.EndsWith("[]", StringComparison.Ordinal);
        if (!obj.TryGetPropertyValue(isArray ? segment[..^2] : segment, out var child))
        {
            return false;
        }

        if (!isArray)
        {
            return HasNullItem(child, segments[1..]);
        }

        if (child is not JsonArray array)
        {
            return false;
        }

        foreach (var item in array)
        {
            if (segments.Length == 1 ? item is null : HasNullItem(item, segments[1..]))
            {
                return true;
            }
        }

        return false;
    }

    private static (object? Value, Exception? Error) Run(Func<byte[], object?> read, byte[] data)
    {
        try
        {
            return (read(data), null);
        }
        catch (Exception ex)
        {
            return (null, ex);
        }
    }

    private static string Show(WireReader reader, object? value)
    {
        try
        {
            return JsonSerializer.Serialize(value, reader.TypeInfo);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return value?.ToString() ?? "null";
        }
    }

    private static string Report(List<string> disagreements) =>
        $"{disagreements.Count} events where the reader and the serializer disagree:\n" + string.Join("\n", disagreements.Take(25));
}

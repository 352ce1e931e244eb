using System.Text.Json;
using Providers.Ollama;
using Providers.OpenAi;

namespace Providers.Tests.ReaderEquivalence;

/// <summary>The comparer behind the equivalence suite sees every property and every difference, or the suite proves nothing.</summary>
public sealed class WireComparerTests
{
    [Fact]
    public void Paths_reach_every_property_of_the_wire_type_through_the_context_metadata()
    {
        var paths = WireComparer.PathsOf(OpenAiJsonContext.Default.ChatChunk);

        Assert.Contains("id", paths);
        Assert.Contains("choices[].delta.tool_calls[].function.arguments", paths);
        Assert.Contains("usage.cost_details.upstream_inference_cost", paths);
        Assert.Contains("choices[].error", paths);
        Assert.Equal(paths.Count, paths.Distinct().Count());

        // Through a nullable struct (OllamaResponseMessage?) and the list the serializer reads inside the hand-written reader.
        var ollama = WireComparer.PathsOf(OllamaJsonContext.Default.OllamaChatChunk);
        Assert.Contains("message.tool_calls[].function.arguments", ollama);
    }

    [Fact]
    public void A_difference_deep_in_the_object_is_reported_with_its_path()
    {
        var expected = Chunk("""{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"name":"f","arguments":"{}"}}]}}]}""");
        var actual = Chunk("""{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"name":"f","arguments":"{ }"}}]}}]}""");

        var differences = new WireComparer([]).Compare(expected, actual, OpenAiJsonContext.Default.ChatChunk);

        Assert.Equal(["choices[].delta.tool_calls[].function.arguments: serializer \"{}\", reader \"{ }\""], differences);
    }

    [Fact]
    public void Json_elements_are_compared_byte_for_byte_and_lists_by_length()
    {
        var comparer = new WireComparer([]);

        Assert.Equal(
            ["choices[].error: serializer {\"code\":1}, reader {\"code\": 1}"],
            comparer.Compare(Chunk("""{"choices":[{"error":{"code":1}}]}"""), Chunk("""{"choices":[{"error":{"code": 1}}]}"""), OpenAiJsonContext.Default.ChatChunk));
        Assert.Equal(
            ["choices: serializer 2 items, reader 1"],
            comparer.Compare(Chunk("""{"choices":[{},{}]}"""), Chunk("""{"choices":[{}]}"""), OpenAiJsonContext.Default.ChatChunk));
        Assert.Equal(
            ["usage.cost: serializer 0.5, reader null"],
            comparer.Compare(Chunk("""{"usage":{"cost":0.5}}"""), Chunk("""{"usage":{}}"""), OpenAiJsonContext.Default.ChatChunk));
    }

    [Fact]
    public void A_skip_hides_its_path_only_where_it_applies()
    {
        var skips = new[] { Skip.When<OllamaChatChunk>("created_at", "test", c => c.Message?.ToolCalls is null) };
        var info = OllamaJsonContext.Default.OllamaChatChunk;
        var comparer = new WireComparer(skips);

        Assert.Empty(comparer.Compare(Ollama("""{"created_at":"a"}"""), Ollama("""{}"""), info));
        Assert.Equal(
            ["created_at: serializer \"a\", reader null"],
            comparer.Compare(Ollama("""{"created_at":"a","message":{"tool_calls":[]}}"""), Ollama("""{"message":{"tool_calls":[]}}"""), info));
    }

    private static ChatChunk Chunk(string json) => JsonSerializer.Deserialize(json, OpenAiJsonContext.Default.ChatChunk)!;

    private static OllamaChatChunk Ollama(string json) => JsonSerializer.Deserialize(json, OllamaJsonContext.Default.OllamaChatChunk)!;
}

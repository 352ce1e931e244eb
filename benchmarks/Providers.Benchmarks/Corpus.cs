using System.Text;
using System.Text.Json;

namespace Providers.Benchmarks;

/// <summary>A response body exactly as it travels on the wire, with the number of events (or lines) it holds.</summary>
public sealed record Corpus(string Name, byte[] Body, string ContentType, int Events, IReadOnlyList<byte[]> Parts)
{
    /// <summary>How many leading parts end with the first event that carries output (text), for time-to-first-chunk.</summary>
    public int PartsToFirstOutput { get; init; } = 1;
}

/// <summary>The benchmark corpora, framed as tests/fixtures/README.md says the providers send them.</summary>
public static class Corpora
{
    public const int OpenAiTextEvents = 302;
    public const int GroqReasoningEvents = 1103;
    public const int AnthropicCodeExecutionEvents = 984;
    public const int OllamaLines = 10_000;

    public static string FixturesRoot { get; } = FindRoot();

    public static Corpus OpenAiText { get; } = OpenAiChat("openai-chat/openai-text.chunks.txt");

    public static Corpus GroqReasoning { get; } = OpenAiChat("openai-chat/groq-reasoning.chunks.txt");

    public static Corpus AnthropicCodeExecution { get; } = TypedEvents("anthropic/anthropic-code-execution-20250825.2.chunks.txt");

    public static Corpus Ollama { get; } = GeneratedOllama(OllamaLines);

    /// <summary><c>data: line</c> per event, then <c>data: [DONE]</c> (the terminator is not counted as an event).</summary>
    public static Corpus OpenAiChat(string relative)
    {
        var lines = Lines(relative);
        var parts = lines.Select(l => Encoding.UTF8.GetBytes($"data: {l}\n\n")).Append("data: [DONE]\n\n"u8.ToArray()).ToArray();
        var first = lines.FindIndex(l => l.Contains("\"content\":\"", StringComparison.Ordinal) && !l.Contains("\"content\":\"\"", StringComparison.Ordinal));
        return new Corpus(relative, Concat(parts), "text/event-stream", lines.Count, parts) { PartsToFirstOutput = first + 1 };
    }

    /// <summary><c>event: type</c> + <c>data: line</c> per event.</summary>
    public static Corpus TypedEvents(string relative)
    {
        var lines = Lines(relative);
        var parts = lines.Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            return Encoding.UTF8.GetBytes($"event: {doc.RootElement.GetProperty("type").GetString()}\ndata: {l}\n\n");
        }).ToArray();
        var first = lines.FindIndex(l => l.Contains("\"text_delta\"", StringComparison.Ordinal));
        return new Corpus(relative, Concat(parts), "text/event-stream", lines.Count, parts) { PartsToFirstOutput = first + 1 };
    }

    /// <summary>An Ollama <c>/api/chat</c> answer of <paramref name="lines"/> lines: one word each, then the <c>done</c> line.</summary>
    public static Corpus GeneratedOllama(int lines)
    {
        string[] words = ["The", " sky", " is", " blue", " because", " of", " Rayleigh", " scattering", ",", " and", " light", "."];
        var parts = new List<byte[]>(lines);
        var start = new DateTime(2026, 11, 20, 9, 14, 2, DateTimeKind.Utc);
        for (var i = 0; i < lines - 1; i++)
        {
            var at = start.AddMilliseconds(i * 19.3).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture);
            parts.Add(Encoding.UTF8.GetBytes(
                $$"""{"model":"llama3.2","created_at":"{{at}}","message":{"role":"assistant","content":"{{words[i % words.Length]}}"},"done":false}""" + "\n"));
        }

        parts.Add(Encoding.UTF8.GetBytes(
            """{"model":"llama3.2","created_at":"2026-11-20T09:17:15.123456Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"total_duration":182242375,"load_duration":41295167,"prompt_eval_count":26,"prompt_eval_duration":24573166,"eval_count":9999,"eval_duration":115959084}""" + "\n"));
        return new Corpus($"ollama/generated-{lines}.ndjson", Concat(parts), "application/x-ndjson", lines, parts);
    }

    private static List<string> Lines(string relative) =>
        File.ReadLines(Path.Combine(FixturesRoot, relative)).Where(l => l.Trim().Length > 0).ToList();

    private static byte[] Concat(IEnumerable<byte[]> parts) => parts.SelectMany(p => p).ToArray();

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "fixtures");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Answers every request with the corpus bytes, from memory: the cost of the network is taken out.</summary>
public sealed class InMemoryHandler(Corpus corpus) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Respond(request));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) => Respond(request);

    private HttpResponseMessage Respond(HttpRequestMessage request)
    {
        var content = new ByteArrayContent(corpus.Body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(corpus.ContentType);
        return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content, RequestMessage = request };
    }
}

using System.Text;
using System.Text.Json;

namespace Providers.Tests.Replay;

/// <summary>The recorded provider streams in tests/fixtures (copied from ../shared/fixtures, see its README), framed for the wire.</summary>
public static class Fixtures
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Text(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>A <c>*.chunks.txt</c> file in OpenAI chat framing: <c>data: line</c> per event, then <c>data: [DONE]</c>; one part per event.</summary>
    public static ReplayResponse OpenAiChatChunks(string relative) => new()
    {
        Parts = Lines(relative).Select(l => Encoding.UTF8.GetBytes($"data: {l}\n\n")).Append(Encoding.UTF8.GetBytes("data: [DONE]\n\n")).ToArray(),
    };

    /// <summary>A <c>*.chunks.txt</c> file in typed-event framing (Anthropic, OpenAI Responses): <c>event: type</c> + <c>data: line</c>; one part per event.</summary>
    public static ReplayResponse TypedEventChunks(string relative) => new()
    {
        Parts = Lines(relative).Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            var type = doc.RootElement.GetProperty("type").GetString();
            return Encoding.UTF8.GetBytes($"event: {type}\ndata: {l}\n\n");
        }).ToArray(),
    };

    /// <summary>A raw wire file (<c>*.sse</c>, <c>raw-sse/*.txt</c>, <c>*.ndjson</c>) served byte for byte, one part per line.</summary>
    public static ReplayResponse Raw(string relative, string contentType = "text/event-stream")
    {
        var bytes = File.ReadAllBytes(PathOf(relative));
        var parts = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                parts.Add(bytes[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < bytes.Length)
        {
            parts.Add(bytes[start..]);
        }

        return new ReplayResponse { ContentType = contentType, Parts = parts };
    }

    public static IEnumerable<string> Lines(string relative) =>
        File.ReadLines(PathOf(relative)).Where(l => l.Trim().Length > 0);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures not found above " + AppContext.BaseDirectory);
    }
}

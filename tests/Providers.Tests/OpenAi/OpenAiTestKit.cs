using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Providers.Tests.Replay;

namespace Providers.Tests.OpenAi;

/// <summary>Helpers shared by the OpenAI and OpenRouter tests.</summary>
public static class OpenAiTestKit
{
    /// <summary>A distinctive key that must never appear in an exception.</summary>
    public const string Key = "sk-test-SECRET-0123456789";

    public static async Task<List<ApiStreamChunk>> CollectAsync(IAsyncEnumerable<ApiStreamChunk> stream, CancellationToken cancellationToken = default)
    {
        var chunks = new List<ApiStreamChunk>();
        await foreach (var chunk in stream.WithCancellation(cancellationToken))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    /// <summary>Collects until the stream fails; returns what arrived and the failure.</summary>
    public static async Task<(List<ApiStreamChunk> Chunks, ProviderException Error)> CollectUntilErrorAsync(IAsyncEnumerable<ApiStreamChunk> stream)
    {
        var chunks = new List<ApiStreamChunk>();
        try
        {
            await foreach (var chunk in stream)
            {
                chunks.Add(chunk);
            }
        }
        catch (ProviderException ex)
        {
            AssertNoKey(ex);
            return (chunks, ex);
        }

        throw new Xunit.Sdk.XunitException("The stream ended without the expected ProviderException.");
    }

    public static void AssertNoKey(Exception exception)
    {
        Assert.DoesNotContain(Key, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, exception.ToString(), StringComparison.Ordinal);
    }

    public static string TextOf(IEnumerable<ApiStreamChunk> chunks) => string.Concat(chunks.OfType<TextChunk>().Select(c => c.Text));

    public static string ReasoningOf(IEnumerable<ApiStreamChunk> chunks) => string.Concat(chunks.OfType<ReasoningChunk>().Select(c => c.Reasoning));

    /// <summary>Tool calls assembled the way a consumer does: fragments concatenated per call id, in order of first appearance.</summary>
    public static List<(string CallId, string FunctionId, string Name, string Arguments)> ToolCallsOf(IEnumerable<ApiStreamChunk> chunks)
    {
        var order = new List<string>();
        var calls = new Dictionary<string, (string FunctionId, string Name, StringBuilder Arguments)>();
        foreach (var call in chunks.OfType<ToolCallChunk>())
        {
            if (!calls.TryGetValue(call.CallId, out var entry))
            {
                order.Add(call.CallId);
                calls[call.CallId] = entry = (call.FunctionId, call.Name, new StringBuilder());
            }

            entry.Arguments.Append(call.Arguments);
        }

        return order.Select(id => (id, calls[id].FunctionId, calls[id].Name, calls[id].Arguments.ToString())).ToList();
    }

    public static UsageChunk? UsageOf(IEnumerable<ApiStreamChunk> chunks) =>
        chunks.OfType<UsageChunk>().Aggregate((UsageChunk?)null, (sum, u) => sum is null ? u : sum.Add(u));

    /// <summary>Concatenated text / reasoning of a chunks.txt fixture, read from the fixture where a literal would be unreadable.</summary>
    public static (string Text, string Reasoning, int TextEvents) ChatFixtureText(string relative)
    {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var events = 0;
        foreach (var line in Fixtures.Lines(relative))
        {
            using var doc = JsonDocument.Parse(line);
            if (!doc.RootElement.TryGetProperty("choices", out var choices))
            {
                continue;
            }

            foreach (var choice in choices.EnumerateArray())
            {
                if (!choice.TryGetProperty("delta", out var delta))
                {
                    continue;
                }

                if (delta.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String && c.GetString()!.Length > 0)
                {
                    text.Append(c.GetString());
                    events++;
                }

                foreach (var name in new[] { "reasoning_content", "reasoning" })
                {
                    if (delta.TryGetProperty(name, out var r) && r.ValueKind == JsonValueKind.String)
                    {
                        reasoning.Append(r.GetString());
                        break;
                    }
                }
            }
        }

        return (text.ToString(), reasoning.ToString(), events);
    }

    public static ReplayResponse MaybeOneByte(this ReplayResponse response, bool oneByteAtATime) =>
        oneByteAtATime ? response.OneByteAtATime() : response;

    public static byte[] Sse(string data) => Encoding.UTF8.GetBytes($"data: {data}\n\n");

    public static byte[] TypedSse(string type, string data) => Encoding.UTF8.GetBytes($"event: {type}\ndata: {data}\n\n");

    public static JsonElement Json(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}

/// <summary>
/// The system clock, except that the retry waits reported through <see cref="ProviderOptions.OnRetryAttempt"/> elapse at
/// once: tests assert the requested waits without sleeping, while request and idle timeouts stay real.
/// </summary>
public sealed class RetryClock : TimeProvider
{
    private readonly ConcurrentDictionary<TimeSpan, int> _expected = new();

    public List<TimeSpan> Delays { get; } = [];

    /// <summary>Wire this into options: records the wait and makes it instant.</summary>
    public void Attach(ProviderOptions options)
    {
        options.TimeProvider = this;
        options.OnRetryAttempt = (_, _, delay, _) =>
        {
            lock (Delays)
            {
                Delays.Add(delay);
            }

            _expected.AddOrUpdate(delay, 1, (_, n) => n + 1);
        };
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (_expected.TryGetValue(dueTime, out var n) && n > 0 && _expected.TryUpdate(dueTime, n - 1, n))
        {
            return base.CreateTimer(callback, state, TimeSpan.Zero, period);
        }

        return base.CreateTimer(callback, state, dueTime, period);
    }
}

using System.Text;
using System.Text.Json;
using Providers.Gemini;
using Providers.Tests.Replay;

namespace Providers.Tests.Gemini;

internal static class GeminiTestKit
{
    public const string Secret = "AIzaSy-test-SECRET-0123456789";

    /// <summary>A fixture of tests/fixtures/gemini served byte for byte, one part per line (or one byte per part).</summary>
    public static ReplayResponse Sse(string name, bool oneByteAtATime = false)
    {
        var response = Fixtures.Raw("gemini/" + name);
        return oneByteAtATime ? response.OneByteAtATime() : response;
    }

    /// <summary>An error body of tests/fixtures/gemini with its status.</summary>
    public static ReplayResponse Error(int status, string name, IReadOnlyDictionary<string, string>? headers = null) =>
        ReplayResponse.Json(status, Fixtures.Text("gemini/" + name), headers);

    /// <summary>An SSE response made of the given events, framed as Google frames them (<c>data: ...\r\n\r\n</c>).</summary>
    public static ReplayResponse Events(params string[] events) => new()
    {
        Parts = events.Select(e => Encoding.UTF8.GetBytes($"data: {e}\r\n\r\n")).ToArray(),
    };

    public static GeminiHandler Handler(ReplayServer server, FastRetryClock clock, Action<GeminiOptions>? configure = null)
    {
        var options = clock.Attach(new GeminiOptions { BaseUrl = server.BaseUri, ApiKey = Secret });
        configure?.Invoke(options);
        return new GeminiHandler(options);
    }

    public static IAsyncEnumerable<ApiStreamChunk> Ask(IApiHandler handler, CancellationToken cancellationToken = default) =>
        handler.CreateMessageAsync("You are terse.", [ChatMessage.User("Why is the sky blue?")], null, cancellationToken);

    public static void AssertNoSecret(Exception exception) =>
        Assert.DoesNotContain(Secret, exception.ToString(), StringComparison.Ordinal);

    /// <summary>
    /// The assistant message an agent keeps from the chunks, by the rules of the CLI's builder: consecutive text joins,
    /// consecutive reasoning joins and keeps its last signature, tool calls are whole.
    /// </summary>
    public static ChatMessage Assemble(IEnumerable<ApiStreamChunk> chunks)
    {
        var blocks = new List<ContentBlock>();
        foreach (var chunk in chunks)
        {
            switch (chunk)
            {
                case TextChunk { Text.Length: > 0 } text:
                    if (blocks.Count > 0 && blocks[^1] is TextBlock last)
                    {
                        blocks[^1] = new TextBlock(last.Text + text.Text);
                    }
                    else
                    {
                        blocks.Add(new TextBlock(text.Text));
                    }

                    break;
                case ReasoningChunk reasoning:
                    if (blocks.Count > 0 && blocks[^1] is ThinkingBlock thinking)
                    {
                        blocks[^1] = new ThinkingBlock(thinking.Thinking + reasoning.Reasoning, reasoning.Signature ?? thinking.Signature);
                    }
                    else
                    {
                        blocks.Add(new ThinkingBlock(reasoning.Reasoning, reasoning.Signature));
                    }

                    break;
                case ToolCallChunk call:
                    blocks.Add(new ToolUseBlock(call.CallId, call.Name, JsonDocument.Parse(call.Arguments).RootElement.Clone()));
                    break;
            }
        }

        return new ChatMessage(ChatRole.Assistant, blocks);
    }
}

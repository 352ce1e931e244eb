using System.Text;
using System.Text.Json.Nodes;

namespace Providers.Differential.Tests;

/// <summary>One tool call as both sides assemble it: arguments compared as parsed JSON, not as text.</summary>
public sealed record Call(string Id, string Name, string Arguments)
{
    public JsonNode? ParsedArguments => Arguments.Length == 0 ? null : JsonNode.Parse(Arguments);
}

/// <summary>What a whole stream amounts to, read by one side.</summary>
public sealed class Outcome
{
    public StringBuilder Text { get; } = new();

    public StringBuilder Reasoning { get; } = new();

    public List<Call> ToolCalls { get; } = [];

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public long CacheReadTokens { get; set; }

    public long CacheWriteTokens { get; set; }

    /// <summary>Appends an argument fragment to the call with <paramref name="id"/>, opening it on first sight.</summary>
    public void AddToolFragment(string id, string name, string fragment)
    {
        var index = ToolCalls.FindIndex(c => c.Id == id);
        if (index < 0)
        {
            ToolCalls.Add(new Call(id, name, fragment));
        }
        else
        {
            ToolCalls[index] = ToolCalls[index] with { Arguments = ToolCalls[index].Arguments + fragment };
        }
    }

    public static void AssertSameToolCalls(IReadOnlyList<Call> expected, IReadOnlyList<Call> actual, bool compareIds = true)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            if (compareIds)
            {
                Assert.Equal(expected[i].Id, actual[i].Id);
            }

            Assert.Equal(expected[i].Name, actual[i].Name);
            Assert.True(
                JsonNode.DeepEquals(expected[i].ParsedArguments, actual[i].ParsedArguments),
                $"arguments of {expected[i].Name}: expected {expected[i].Arguments}, got {actual[i].Arguments}");
        }
    }
}

/// <summary>Reads our handler's chunks into an <see cref="Outcome"/>: usage chunks are increments and are summed.</summary>
public static class Ours
{
    public static readonly IReadOnlyList<ChatMessage> Conversation = [new(ChatRole.User, [new TextBlock("Hello")])];

    public static async Task<Outcome> ReadAsync(IApiHandler handler)
    {
        var outcome = new Outcome();
        await foreach (var chunk in handler.CreateMessageAsync("You are terse.", Conversation, null))
        {
            switch (chunk)
            {
                case TextChunk text:
                    outcome.Text.Append(text.Text);
                    break;
                case ReasoningChunk reasoning:
                    outcome.Reasoning.Append(reasoning.Reasoning);
                    break;
                case ToolCallChunk call:
                    outcome.AddToolFragment(call.CallId, call.Name, call.Arguments);
                    break;
                case UsageChunk usage:
                    outcome.InputTokens += usage.InputTokens;
                    outcome.OutputTokens += usage.OutputTokens;
                    outcome.CacheReadTokens += usage.CacheReadTokens ?? 0;
                    outcome.CacheWriteTokens += usage.CacheWriteTokens ?? 0;
                    break;
            }
        }

        return outcome;
    }
}

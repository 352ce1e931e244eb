using System.Diagnostics;
using Providers.Cli.Chat;

namespace Providers.Cli.Tests.Hardening;

public class LinearAssemblyTests
{
    [Fact]
    public void Two_hundred_thousand_tool_calls_are_assembled_in_bounded_time_each_with_its_own_arguments()
    {
        // A linear search per chunk took 38 s for 100k calls; by id it is milliseconds. The bound is about hangs, not speed.
        const int Calls = 200_000;
        var builder = new AssistantMessageBuilder();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Calls; i++)
        {
            builder.Add(new ToolCallChunk($"call_{i}", $"call_{i}", "f", "{\"a\":"));
            builder.Add(new ToolCallChunk($"call_{i}", $"call_{i}", "f", $"{i}}}"));
        }

        var calls = builder.ToolCalls.ToList();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(Calls, calls.Count);
        Assert.Equal(("call_123456", "f", "{\"a\":123456}"), calls[123_456]);
    }
}

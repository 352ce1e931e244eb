using System.Text.Json;
using Providers.Cli.Chat;
using Providers.Cli.Rendering;

namespace Providers.Cli.Tests;

/// <summary>The renderers and the assistant message builder, chunk by chunk.</summary>
public class RenderingTests
{
    [Fact]
    public void Jsonl_writes_every_optional_field_that_is_present_and_none_that_is_absent()
    {
        var output = new StringWriter();
        var renderer = new JsonlRenderer(output);

        renderer.Write(new ReasoningChunk("", Signature: "sig==", RedactedData: null, Details: """[{"type":"reasoning.text"}]"""));
        renderer.Write(new ReasoningChunk("", RedactedData: "ENCRYPTED"));
        renderer.Write(new UsageChunk(10, 20, CacheReadTokens: 5, CacheWriteTokens: 7, ReasoningTokens: 3, TotalCost: 0.0125m));
        renderer.Write(new UsageChunk(1, 2));
        renderer.Write(new TextChunk("quote \" backslash \\ tab \t é"));

        Assert.Equal(
            """
            {"type":"reasoning","reasoning":"","signature":"sig==","details":[{"type":"reasoning.text"}]}
            {"type":"reasoning","reasoning":"","redacted_data":"ENCRYPTED"}
            {"type":"usage","inputTokens":10,"outputTokens":20,"cacheReadTokens":5,"cacheWriteTokens":7,"thoughtsTokenCount":3,"totalCost":0.0125}
            {"type":"usage","inputTokens":1,"outputTokens":2}
            {"type":"text","text":"quote \" backslash \\ tab \t é"}

            """.ReplaceLineEndings("\n"),
            output.ToString());
    }

    [Fact]
    public void Text_holds_a_tool_call_until_its_arguments_are_complete_and_separates_it_from_text()
    {
        var output = new StringWriter();
        var renderer = new TextRenderer(output, color: false);

        renderer.Write(new TextChunk("Checking"));
        renderer.Write(new ToolCallChunk("c1", "c1", "read_file", "{\"pa"));
        Assert.Equal("Checking", output.ToString());
        renderer.Write(new ToolCallChunk("c1", "c1", "read_file", "th\":\"a.txt\"}"));
        renderer.Write(new ToolCallChunk("c2", "c2", "list_files", ""));
        Assert.Equal("Checking\n[tool call] read_file({\"path\":\"a.txt\"})\n", output.ToString());
        renderer.Complete();

        Assert.Equal("Checking\n[tool call] read_file({\"path\":\"a.txt\"})\n[tool call] list_files({})\n", output.ToString());
    }

    [Fact]
    public void Text_abandoned_mid_reasoning_resets_the_colour_and_ends_the_line()
    {
        var output = new StringWriter();
        var renderer = new TextRenderer(output, color: true);

        renderer.Write(new ReasoningChunk("thinking"));
        renderer.Abandon();

        Assert.Equal("\u001b[2mthinking\u001b[0m\n", output.ToString());
    }

    [Fact]
    public void Text_abandoned_while_a_tool_call_streams_does_not_print_the_partial_call()
    {
        var output = new StringWriter();
        var renderer = new TextRenderer(output, color: false);

        renderer.Write(new TextChunk("Let me check"));
        renderer.Write(new ToolCallChunk("c1", "c1", "half", "{\"a\":"));
        renderer.Abandon();

        Assert.Equal("Let me check\n", output.ToString());
    }
}

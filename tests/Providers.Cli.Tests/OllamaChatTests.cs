using System.Text.Json;
using System.Text.RegularExpressions;
using Providers.Tests.Replay;

namespace Providers.Cli.Tests;

/// <summary><c>providers chat</c> against replayed Ollama NDJSON streams, text and jsonl, with the exact output.</summary>
public class OllamaChatTests
{
    private static string[] Chat(ReplayServer server, params string[] extra) =>
        ["chat", "-p", "ollama", "-m", "llama3.2", "--base-url", CliRunner.Url(server), .. extra];

    private static ReplayResponse Ndjson(string fixture, bool oneByte = false)
    {
        var response = Fixtures.Raw("ollama/" + fixture, "application/x-ndjson");
        return oneByte ? response.OneByteAtATime() : response;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Text_mode_prints_the_streamed_text_exactly_and_one_summary_line_on_stderr(bool oneByteAtATime)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Ndjson("chat-text.ndjson", oneByteAtATime));

        var result = await CliRunner.RunAsync(Chat(server, "Why is the sky blue?"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("The sky looks blue because of Rayleigh scattering \u2014 short wavelengths scatter more.\n", result.Stdout);
        Assert.Matches(new Regex(@"^31 in / 17 out tokens, cost \$0, first token \d+ ms(, \d+\.\d tokens/s)?\n$"), result.Stderr);
    }

    [Fact]
    public async Task Jsonl_mode_prints_each_chunk_as_one_json_object_with_the_cline_field_names()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Ndjson("chat-text.ndjson"));

        var result = await CliRunner.RunAsync(Chat(server, "--format", "jsonl", "Why is the sky blue?"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            {"type":"text","text":"The"}
            {"type":"text","text":" sky"}
            {"type":"text","text":" looks"}
            {"type":"text","text":" blue"}
            {"type":"text","text":" because of Rayleigh scattering — short wavelengths scatter more.\n"}
            {"type":"usage","inputTokens":31,"outputTokens":17,"totalCost":0}

            """,
            result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Reasoning_is_printed_on_its_own_lines_before_the_answer_without_colour_when_stdout_is_not_a_terminal()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Ndjson("chat-thinking.ndjson"));

        var result = await CliRunner.RunAsync(Chat(server, "17 * 23?"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("The user asks for 17 * 23. 17*20=340, 17*3=51, total 391.\n17 \u00d7 23 = 391\n", result.Stdout);
        Assert.StartsWith("18 in / 44 out tokens", result.Stderr);
    }

    [Fact]
    public async Task Reasoning_is_dimmed_on_a_terminal()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Ndjson("chat-thinking.ndjson"));

        var result = await CliRunner.RunAsync(Chat(server, "17 * 23?"), "", stdinIsTerminal: false, stdoutIsTerminal: true);

        Assert.Equal("\u001b[2mThe user asks for 17 * 23. 17*20=340, 17*3=51, total 391.\u001b[0m\n17 \u00d7 23 = 391\n", result.Stdout);
    }

    [Fact]
    public async Task NO_COLOR_keeps_reasoning_plain_on_a_terminal()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Ndjson("chat-thinking.ndjson"));

        var result = await CliRunner.RunAsync(Chat(server, "17 * 23?"), "", stdinIsTerminal: false, new Dictionary<string, string?> { ["NO_COLOR"] = "1" }, stdoutIsTerminal: true);

        Assert.DoesNotContain('\u001b', result.Stdout);
    }

    [Fact]
    public async Task Jsonl_mode_prints_reasoning_chunks_with_their_field_names()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Ndjson("chat-thinking.ndjson"));

        var result = await CliRunner.RunAsync(Chat(server, "--format", "jsonl", "17 * 23?"));

        Assert.Equal(
            """
            {"type":"reasoning","reasoning":"The user asks"}
            {"type":"reasoning","reasoning":" for 17 * 23. 17*20=340, 17*3=51,"}
            {"type":"reasoning","reasoning":" total 391."}
            {"type":"text","text":"17 × 23"}
            {"type":"text","text":" = 391"}
            {"type":"usage","inputTokens":18,"outputTokens":44,"totalCost":0}

            """,
            result.Stdout);
    }

    [Fact]
    public async Task Tool_calls_are_printed_readably_with_name_and_arguments_and_the_tools_file_is_sent()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Ndjson("chat-tool-calls.ndjson"));
        var tools = Path.GetTempFileName();
        await File.WriteAllTextAsync(tools, """
            [
              {"name": "get_weather", "description": "Weather of a city", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}},
              {"name": "get_time", "description": "Time in a zone", "input_schema": {"type": "object", "properties": {"timezone": {"type": "string"}}}}
            ]
            """);

        var result = await CliRunner.RunAsync(Chat(server, "--tools", tools, "Weather and time in Tokyo?"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            [tool call] get_weather({"city":"Tokyo"})
            [tool call] get_time({"timezone":"Asia/Tokyo","format":"24h"})

            """,
            result.Stdout);
        using var body = JsonDocument.Parse(server.Requests.Single().Body);
        Assert.Equal(["get_weather", "get_time"], body.RootElement.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Jsonl_tool_calls_carry_call_id_function_id_name_and_arguments()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Ndjson("chat-tool-calls.ndjson"));

        var result = await CliRunner.RunAsync(Chat(server, "--format", "jsonl", "Weather and time in Tokyo?"));

        // Ollama sends no call ids; the provider derives them from a hash, which is all that is not literal here.
        var normalized = Regex.Replace(result.Stdout, "ollama_call_([0-9])_[0-9a-f]{12}", "ollama_call_$1_HASH");
        Assert.Equal(
            """
            {"type":"tool_calls","tool_call":{"call_id":"ollama_call_0_HASH","function":{"id":"ollama_call_0_HASH","name":"get_weather","arguments":"{\"city\":\"Tokyo\"}"}}}
            {"type":"tool_calls","tool_call":{"call_id":"ollama_call_1_HASH","function":{"id":"ollama_call_1_HASH","name":"get_time","arguments":"{\"timezone\":\"Asia/Tokyo\",\"format\":\"24h\"}"}}}
            {"type":"usage","inputTokens":169,"outputTokens":15,"totalCost":0}

            """,
            normalized);
    }

    [Fact]
    public async Task The_request_carries_the_model_system_prompt_and_prompt_from_the_options()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Ndjson("chat-text.ndjson"));

        var result = await CliRunner.RunAsync(Chat(server, "--system", "Answer briefly.", "--set", "ollamaApiOptionsCtxNum=8192", "Why", "is", "the", "sky", "blue?"));

        Assert.Equal(0, result.ExitCode);
        var request = server.Requests.Single();
        Assert.Equal("/api/chat", request.PathAndQuery);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("llama3.2", body.RootElement.GetProperty("model").GetString());
        Assert.Equal(8192, body.RootElement.GetProperty("options").GetProperty("num_ctx").GetInt32());
        var messages = body.RootElement.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString())).ToList();
        Assert.Equal([("system", "Answer briefly."), ("user", "Why is the sky blue?")], messages);
    }

    [Fact]
    public async Task A_mid_stream_error_exits_1_after_the_partial_answer_and_says_it_is_incomplete()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Ndjson("chat-midstream-error.ndjson"));

        var result = await CliRunner.RunAsync(Chat(server, "Is it?"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(" Yes.\n", result.Stdout);
        Assert.Contains("an error was encountered while running the model", result.Stderr);
        Assert.Contains("The answer above is incomplete.", result.Stderr);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_model_that_is_not_installed_exits_1_with_the_servers_message_and_what_to_do()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(404, Fixtures.Text("ollama/error-model-not-found.json")));

        var result = await CliRunner.RunAsync(Chat(server, "hi"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("404", result.Stderr);
        Assert.Contains("ollama pull llama3.2", result.Stderr);
    }
}

using System.Text.Json;
using Providers.Tests.Replay;

namespace Providers.Cli.Tests;

/// <summary>Prompts from stdin, the interactive conversation with its history, and Ctrl+C.</summary>
public class StdinAndConversationTests
{
    private static string[] Chat(ReplayServer server, params string[] extra) =>
        ["chat", "-p", "ollama", "-m", "llama3.2", "--base-url", CliRunner.Url(server), .. extra];

    private static ReplayResponse Ndjson(string fixture) => Fixtures.Raw("ollama/" + fixture, "application/x-ndjson");

    private static List<(string Role, string Content)> Messages(RecordedRequest request)
    {
        using var body = JsonDocument.Parse(request.Body);
        return body.RootElement.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString()!, m.TryGetProperty("content", out var c) ? c.GetString() ?? "" : ""))
            .ToList();
    }

    [Fact]
    public async Task A_piped_prompt_is_read_from_stdin()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Ndjson("chat-text.ndjson"));

        var result = await CliRunner.RunAsync(Chat(server), "Why is the sky blue?\nAnswer in one line.\n", stdinIsTerminal: false);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(("user", "Why is the sky blue?\nAnswer in one line.\n"), Messages(server.Requests.Single())[1]);
    }

    [Fact]
    public async Task An_empty_piped_prompt_exits_2()
    {
        await using var server = await ReplayServer.StartAsync();

        var result = await CliRunner.RunAsync(Chat(server), "  \n", stdinIsTerminal: false);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no prompt", result.Stderr);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task The_interactive_conversation_keeps_the_history_of_both_turns()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Ndjson("chat-text.ndjson"), Ndjson("chat-thinking.ndjson"));

        var result = await CliRunner.RunAsync(Chat(server), "Why is the sky blue?\n\nAnd 17 * 23?\n", stdinIsTerminal: true);

        Assert.Equal(0, result.ExitCode);
        const string FirstAnswer = "The sky looks blue because of Rayleigh scattering \u2014 short wavelengths scatter more.\n";
        Assert.Equal(FirstAnswer + "The user asks for 17 * 23. 17*20=340, 17*3=51, total 391.\n17 \u00d7 23 = 391\n", result.Stdout);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(
            [("system", "You are a helpful assistant."), ("user", "Why is the sky blue?"), ("assistant", FirstAnswer), ("user", "And 17 * 23?")],
            Messages(server.Requests[1]));
        Assert.StartsWith("chatting with ollama (llama3.2, act mode)", result.Stderr);
    }

    [Fact]
    public async Task After_tool_calls_the_conversation_asks_for_each_result_and_sends_them_back()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Ndjson("chat-tool-calls.ndjson"), Ndjson("chat-text.ndjson"));

        var result = await CliRunner.RunAsync(Chat(server), "Weather and time in Tokyo?\n{\"temp_c\": 21}\n{\"time\": \"14:05\"}\n", stdinIsTerminal: true);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("result of get_weather (ollama_call_0_", result.Stderr);
        Assert.Contains("result of get_time (ollama_call_1_", result.Stderr);
        var second = Messages(server.Requests[1]);
        Assert.Equal(["system", "user", "assistant", "tool", "tool"], second.Select(m => m.Role));
        Assert.Equal(["{\"temp_c\": 21}", "{\"time\": \"14:05\"}"], second.Skip(3).Select(m => m.Content));
    }

    [Fact]
    public async Task A_failed_turn_is_reported_and_dropped_and_the_conversation_goes_on()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(404, Fixtures.Text("ollama/error-model-not-found.json")), Ndjson("chat-text.ndjson"));

        var result = await CliRunner.RunAsync(Chat(server), "first\nsecond\n/exit\nnever sent\n", stdinIsTerminal: true);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("404", result.Stderr);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal([("system", "You are a helpful assistant."), ("user", "second")], Messages(server.Requests[1]));
    }

    [Fact]
    public async Task Cancelling_mid_stream_exits_130_and_releases_the_connection()
    {
        await using var server = await ReplayServer.StartAsync();
        var first = Ndjson("chat-text.ndjson");
        server.Enqueue(first with { Parts = first.Parts.Take(2).ToArray(), HangAfterParts = true });
        using var cancellation = new CancellationTokenSource();
        var stdout = new SignallingWriter();

        var run = CliRunner.RunAsync(Chat(server, "hi"), "", false, stdout: stdout, cancellationToken: cancellation.Token);
        await stdout.FirstWrite.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(130, result.ExitCode);
        Assert.Equal("The sky\n", result.Stdout);
        Assert.Equal("providers: cancelled.\n", result.Stderr);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (server.ClientDisconnects == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, server.ClientDisconnects);
    }

    private sealed class SignallingWriter : StringWriter
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstWrite => _first.Task;

        public override void Write(string? value)
        {
            base.Write(value);
            if (value?.Contains("sky", StringComparison.Ordinal) == true)
            {
                _first.TrySetResult();
            }
        }
    }
}

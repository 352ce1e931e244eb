using System.Diagnostics;
using System.Text;
using Providers.Cli.Rendering;
using Providers.Tests.Replay;

namespace Providers.Cli.Tests.Hardening;

/// <summary>The tool against a hostile server and a hostile pipe: escape sequences, a failing usage lookup, a closed stdout.</summary>
public class CliHardeningTests
{
    private static string[] Ollama(ReplayServer server, params string[] extra) =>
        ["chat", "-p", "ollama", "-m", "llama3.2", "--base-url", CliRunner.Url(server), .. extra];

    private static byte[] Line(string text, bool done = false) => Encoding.UTF8.GetBytes(
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = "llama3.2",
            ["message"] = new Dictionary<string, string> { ["role"] = "assistant", ["content"] = text },
            ["done"] = done,
        }) + "\n");

    [Fact]
    public async Task Terminal_escape_sequences_from_the_server_are_neutralised_in_text_mode()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(new ReplayResponse
        {
            ContentType = "application/x-ndjson",
            Parts = [Line("safe \u001b]0;pwned\u0007\u001b[2J\rover\u009bwritten"), Line("", done: true)],
        });

        var result = await CliRunner.RunAsync(Ollama(server, "hi"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("safe \uFFFD]0;pwned\uFFFD\uFFFD[2J\uFFFDover\uFFFDwritten\n", result.Stdout);
    }

    [Fact]
    public void Neutralize_keeps_newlines_tabs_and_ordinary_text()
    {
        Assert.Equal("a\tb\nc — ü", TextRenderer.Neutralize("a\tb\nc — ü"));
        Assert.Equal("\uFFFD[31mred", TextRenderer.Neutralize("\u001b[31mred"));
    }

    [Fact]
    public async Task A_server_error_message_with_escape_sequences_is_printed_neutralised_on_one_line()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(400, """{"error":"bad \u001b[2J\nrequest"}"""));

        var result = await CliRunner.RunAsync(Ollama(server, "hi"));

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain('\u001b', result.Stderr);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task A_failed_openrouter_usage_lookup_leaves_the_answer_and_exit_code_and_warns_once()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(
            new ReplayResponse { Parts = [Encoding.UTF8.GetBytes("data: {\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")] },
            ReplayResponse.Json(404, """{"error":{"code":404,"message":"Generation not found"}}"""));

        var result = await CliRunner.RunAsync(
            ["chat", "-p", "openrouter", "-m", "openai/gpt-4.1", "--base-url", CliRunner.Url(server) + "/api/v1", "--api-key", CliRunner.SecretKey, "hi"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Hello\n", result.Stdout);
        var lines = result.Stderr.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("providers: warning: the usage of this answer could not be looked up, so it is unknown: 'openrouter' answered 404", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("usage not reported", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(CliRunner.SecretKey, result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stdout_that_fails_with_a_broken_pipe_cancels_the_request_and_exits_1()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(new ReplayResponse
        {
            ContentType = "application/x-ndjson",
            Parts = [Line("first "), Line("second ")],
            HangAfterParts = true,
        });
        var stdout = new BrokenPipeWriter(writesBeforeFailure: 1);

        var run = CliRunner.RunAsync(Ollama(server, "hi"), "", stdinIsTerminal: false, stdout: stdout);
        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))));
        var result = await run;

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("providers: the output was closed (broken pipe); the request was cancelled.\n", result.Stderr);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (server.ClientDisconnects == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, server.ClientDisconnects);
    }

    [Fact]
    public async Task The_real_process_exits_promptly_when_the_reader_of_its_stdout_goes_away()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Providers.Cli.dll");
        Assert.True(File.Exists(cli) && File.Exists(Path.ChangeExtension(cli, ".runtimeconfig.json")), "Providers.Cli.dll and its runtimeconfig must be next to the tests");
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(new ReplayResponse
        {
            ContentType = "application/x-ndjson",
            Parts = Enumerable.Range(0, 3000).Select(i => Line($"token{i} ")).ToArray(),
            DelayBetweenParts = TimeSpan.FromMilliseconds(10),
        });
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { cli }.Concat(Ollama(server, "hi")))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var first = new char[10];
        var read = 0;
        while (read < first.Length)
        {
            read += await process.StandardOutput.ReadAsync(first.AsMemory(read));
        }

        // `| head -c 10`: the reader takes ten characters and goes away.
        process.StandardOutput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(limit.Token);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("broken pipe", await stderr, StringComparison.Ordinal);
        Assert.Equal("token0 tok", new string(first));
    }

    private sealed class BrokenPipeWriter(int writesBeforeFailure) : StringWriter
    {
        private int _writes;

        public override void Write(string? value)
        {
            if (++_writes > writesBeforeFailure)
            {
                throw new IOException("Broken pipe", 32);
            }

            base.Write(value);
        }
    }
}

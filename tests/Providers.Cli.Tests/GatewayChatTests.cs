using Providers.Tests.Replay;

namespace Providers.Cli.Tests;

/// <summary><c>providers chat</c> with <c>cline</c>, <c>oca</c> and <c>asksage</c>: each takes <c>--base-url</c> and <c>--api-key</c> under its own Cline keys.</summary>
public class GatewayChatTests
{
    [Fact]
    public async Task Cline_takes_its_token_from_CLINE_API_KEY_and_its_host_from_base_url()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("cline/chat-text.sse"));

        var result = await CliRunner.RunAsync(
            ["chat", "--provider", "cline", "--base-url", CliRunner.Url(server), "--model", "anthropic/claude-sonnet-4.5", "What does the README say?"],
            stdin: "",
            stdinIsTerminal: false,
            environment: new Dictionary<string, string?> { ["CLINE_API_KEY"] = CliRunner.SecretKey });

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.Equal("The README says hello.", result.Stdout.TrimEnd());
        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/v1/chat/completions", request.PathAndQuery);
        Assert.Equal("Bearer " + CliRunner.SecretKey, request.Headers["Authorization"]);
        Assert.DoesNotContain(CliRunner.SecretKey, result.AllOutput);
    }

    [Fact]
    public async Task Oca_sends_the_access_token_given_as_the_api_key()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("oca/litellm-reasoning-text.sse"));

        var result = await CliRunner.RunAsync(
            ["chat", "--provider", "oca", "--base-url", CliRunner.Url(server) + "/litellm", "--api-key", CliRunner.SecretKey, "Hi"]);

        Assert.True(result.ExitCode == 0, result.AllOutput);
        // The reasoning, then the answer.
        Assert.Equal("Greeting back.\nHello there.", result.Stdout.TrimEnd().ReplaceLineEndings("\n"));
        var request = Assert.Single(server.Requests);
        Assert.Equal("/litellm/chat/completions", request.PathAndQuery);
        Assert.Equal("Bearer " + CliRunner.SecretKey, request.Headers["Authorization"]);
        Assert.DoesNotContain(CliRunner.SecretKey, result.AllOutput);
    }

    [Fact]
    public async Task Asksage_prints_the_json_answer_and_sends_the_key_in_x_access_tokens()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(200, Fixtures.Text("asksage/query-text.json")));

        var result = await CliRunner.RunAsync(
            ["chat", "--provider", "asksage", "--base-url", CliRunner.Url(server) + "/server", "--api-key", CliRunner.SecretKey, "--model", "gpt-5", "Hi"]);

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.Equal("Hello! The file lists three tasks.", result.Stdout.TrimEnd());
        var request = Assert.Single(server.Requests);
        Assert.Equal("/server/query", request.PathAndQuery);
        Assert.Equal(CliRunner.SecretKey, request.Headers["x-access-tokens"]);
        Assert.DoesNotContain(CliRunner.SecretKey, result.AllOutput);
    }
}

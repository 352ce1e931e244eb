using Providers.Tests.Replay;

namespace Providers.Cli.Tests;

/// <summary><c>providers chat</c> with the <c>gemini</c> and <c>vertex</c> providers against replayed Gemini streams.</summary>
public class GoogleChatTests
{
    [Fact]
    public async Task Gemini_takes_its_key_from_GEMINI_API_KEY_and_prints_the_text_with_its_cost()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("gemini/text.sse").OneByteAtATime());

        var result = await CliRunner.RunAsync(
            ["chat", "--provider", "gemini", "--base-url", CliRunner.Url(server), "--model", "gemini-2.0-flash-001", "Why is the sky blue?"],
            stdin: "",
            stdinIsTerminal: false,
            environment: new Dictionary<string, string?> { ["GEMINI_API_KEY"] = CliRunner.SecretKey });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("The sky is blue because air molecules scatter short blue wavelengths more than red ones.", result.Stdout.TrimEnd());
        Assert.StartsWith("9 in / 17 out tokens", result.Stderr);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1beta/models/gemini-2.0-flash-001:streamGenerateContent?alt=sse", request.PathAndQuery);
        Assert.Equal(CliRunner.SecretKey, request.Headers["x-goog-api-key"]);
        Assert.DoesNotContain(CliRunner.SecretKey, result.AllOutput);
    }

    [Fact]
    public async Task Vertex_sends_the_access_token_given_as_the_api_key()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("gemini/text.sse"));

        var result = await CliRunner.RunAsync(
            ["chat", "--provider", "vertex", "--base-url", CliRunner.Url(server), "--model", "gemini-2.5-flash", "--api-key", CliRunner.SecretKey,
             "--set", "vertexProjectId=my-project", "--set", "vertexRegion=us-central1", "Why is the sky blue?"]);

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.StartsWith("The sky is blue", result.Stdout);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse", request.PathAndQuery);
        Assert.Equal("Bearer " + CliRunner.SecretKey, request.Headers["Authorization"]);
    }
}

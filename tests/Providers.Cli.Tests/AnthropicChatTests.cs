using System.Text.Json;
using System.Text.RegularExpressions;
using Providers.Tests.Replay;

namespace Providers.Cli.Tests;

/// <summary><c>providers chat</c> against replayed Anthropic SSE streams, API keys, errors and retries.</summary>
public class AnthropicChatTests
{
    private static string[] Chat(ReplayServer server, params string[] extra) =>
        ["chat", "--provider", "anthropic", "--base-url", CliRunner.Url(server), .. extra];

    [Fact]
    public async Task Text_mode_prints_the_streamed_text_and_a_summary_with_cache_and_cost()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("anthropic/raw-sse/basic_response.txt"));

        var result = await CliRunner.RunAsync(Chat(server, "--api-key", CliRunner.SecretKey, "Hello"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Hello there!\n", result.Stdout);
        Assert.Matches(new Regex(@"^11 in / 6 out tokens, cache 0 read / 0 written, cost \$0\.000123, first token \d+ ms(, \d+\.\d tokens/s)?\n$"), result.Stderr);
    }

    [Fact]
    public async Task Jsonl_mode_prints_tool_call_fragments_and_usage_increments_exactly_as_yielded()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("anthropic/raw-sse/tool_use_response.txt").OneByteAtATime());

        var result = await CliRunner.RunAsync(Chat(server, "--api-key", CliRunner.SecretKey, "--format", "jsonl", "Weather in Paris?"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            {"type":"usage","inputTokens":377,"outputTokens":1,"cacheReadTokens":0,"cacheWriteTokens":0,"totalCost":0.001146}
            {"type":"text","text":"I"}
            {"type":"text","text":"'ll check the current weather in Paris for you."}
            {"type":"tool_calls","tool_call":{"call_id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","function":{"id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","name":"get_weather","arguments":""}}}
            {"type":"tool_calls","tool_call":{"call_id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","function":{"id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","name":"get_weather","arguments":"{\"locati"}}}
            {"type":"tool_calls","tool_call":{"call_id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","function":{"id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","name":"get_weather","arguments":"on\": \"P"}}}
            {"type":"tool_calls","tool_call":{"call_id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","function":{"id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","name":"get_weather","arguments":"ar"}}}
            {"type":"tool_calls","tool_call":{"call_id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","function":{"id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","name":"get_weather","arguments":"is\"}"}}}
            {"type":"usage","inputTokens":0,"outputTokens":64,"cacheReadTokens":0,"cacheWriteTokens":0,"totalCost":0.000960}

            """,
            result.Stdout);
        Assert.DoesNotContain(CliRunner.SecretKey, result.AllOutput);
    }

    [Fact]
    public async Task Text_mode_prints_a_tool_call_once_its_arguments_are_complete()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("anthropic/raw-sse/tool_use_response.txt"));

        var result = await CliRunner.RunAsync(Chat(server, "--api-key", CliRunner.SecretKey, "Weather in Paris?"));

        Assert.Equal("I'll check the current weather in Paris for you.\n[tool call] get_weather({\"location\": \"Paris\"})\n", result.Stdout);
        Assert.StartsWith("377 in / 65 out tokens, cache 0 read / 0 written, cost $0.002106, first token ", result.Stderr);
    }

    [Fact]
    public async Task Thinking_with_a_signature_is_printed_as_reasoning_and_the_signature_kept_in_jsonl()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.TypedEventChunks("anthropic/anthropic-clear-thinking.1.chunks.txt"));

        var result = await CliRunner.RunAsync(Chat(server, "--api-key", CliRunner.SecretKey, "--format", "jsonl", "Think"));

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(lines, l => l.GetProperty("type").GetString() == "reasoning" && l.TryGetProperty("signature", out var s) && s.GetString()!.Length > 0);
        Assert.All(lines, l => Assert.Contains(l.GetProperty("type").GetString(), new[] { "text", "reasoning", "usage", "tool_calls" }));
    }

    [Fact]
    public async Task Unauthorized_exits_1_with_status_and_the_providers_message_and_the_key_appears_nowhere()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(401, $$$"""{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key {{{CliRunner.SecretKey}}}"}}"""));

        var result = await CliRunner.RunAsync(Chat(server, "--api-key", CliRunner.SecretKey, "Hello"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.StartsWith("providers: 'anthropic' answered 401 Unauthorized (authentication_error): invalid x-api-key", result.Stderr);
        Assert.Contains("Check the API key", result.Stderr);
        Assert.DoesNotContain(CliRunner.SecretKey, result.AllOutput);
        Assert.Single(server.Requests);
        Assert.Equal(CliRunner.SecretKey, server.Requests[0].Headers["x-api-key"]);
    }

    [Fact]
    public async Task Rate_limited_then_success_prints_one_retry_line_before_the_wait_and_exits_0()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(
            ReplayResponse.Json(429, """{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}""", new Dictionary<string, string> { ["Retry-After"] = "0.01" }),
            Fixtures.Raw("anthropic/raw-sse/basic_response.txt"));

        var result = await CliRunner.RunAsync(Chat(server, "--api-key", CliRunner.SecretKey, "Hello"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Hello there!\n", result.Stdout);
        var stderr = result.Stderr.Split('\n');
        Assert.Equal("retrying in 0.01 s (attempt 1 of 3): 429 Too Many Requests", stderr[0]);
        Assert.StartsWith("11 in / 6 out tokens", stderr[1]);
        Assert.Equal(2, server.Requests.Count);
        Assert.DoesNotContain(CliRunner.SecretKey, result.AllOutput);
    }

    [Fact]
    public async Task The_key_comes_from_ANTHROPIC_API_KEY_when_neither_option_nor_settings_give_one()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("anthropic/raw-sse/basic_response.txt"));

        var result = await CliRunner.RunAsync(Chat(server, "Hello"), "", false, new Dictionary<string, string?> { ["ANTHROPIC_API_KEY"] = CliRunner.SecretKey });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(CliRunner.SecretKey, server.Requests.Single().Headers["x-api-key"]);
    }

    [Fact]
    public async Task The_api_key_option_wins_over_the_environment_variable()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("anthropic/raw-sse/basic_response.txt"));

        await CliRunner.RunAsync(Chat(server, "--api-key", "sk-from-option", "Hello"), "", false, new Dictionary<string, string?> { ["ANTHROPIC_API_KEY"] = "sk-from-env" });

        Assert.Equal("sk-from-option", server.Requests.Single().Headers["x-api-key"]);
    }

    [Fact]
    public async Task A_missing_key_exits_2_naming_the_setting_the_option_and_the_environment_variable()
    {
        var result = await CliRunner.RunAsync("chat", "-p", "anthropic", "Hello");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("apiKey: missing", result.Stderr);
        Assert.Contains("--api-key KEY or the environment variable ANTHROPIC_API_KEY sets apiKey", result.Stderr);
    }

    [Fact]
    public async Task The_model_option_writes_the_per_mode_api_model_id()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("anthropic/raw-sse/basic_response.txt"));

        await CliRunner.RunAsync(Chat(server, "--api-key", CliRunner.SecretKey, "--mode", "plan", "-m", "claude-haiku-4-5", "Hello"));

        var request = server.Requests.Single();
        Assert.Equal("/v1/messages", request.PathAndQuery);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("claude-haiku-4-5", body.RootElement.GetProperty("model").GetString());
    }
}

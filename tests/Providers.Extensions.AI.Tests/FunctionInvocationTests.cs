using System.Text.Json;
using Microsoft.Extensions.AI;
using Providers.Ollama;
using Providers.Tests.Replay;
using MEAI = Microsoft.Extensions.AI;

namespace Providers.Extensions.AI.Tests;

/// <summary>The M.E.AI function-invocation loop over a real handler, against a real loopback server.</summary>
public sealed class FunctionInvocationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Function_invocation_runs_the_recorded_ollama_tool_calls_and_returns_the_final_answer(bool oneByteAtATime)
    {
        await using var server = await ReplayServer.StartAsync();
        var toolCalls = Fixtures.Raw("ollama/chat-tool-calls.ndjson", Ndjson.ContentType);
        var answer = Ndjson.OllamaText(231, 18, "Sunny and 21 °C in Tokyo;", " it is 18:31 there.");
        server.Enqueue(oneByteAtATime ? toolCalls.OneByteAtATime() : toolCalls, oneByteAtATime ? answer.OneByteAtATime() : answer);
        var handler = new OllamaHandler(new OllamaOptions { BaseUrl = server.BaseUri, ModelId = "llama3.2" });
        var invoked = new List<string>();
        var weather = AIFunctionFactory.Create(
            (string city) =>
            {
                invoked.Add($"get_weather(city: {city})");
                return $"Sunny, 21 °C in {city}";
            },
            "get_weather",
            "The current weather in a city.");
        var time = AIFunctionFactory.Create(
            (string timezone, string format) =>
            {
                invoked.Add($"get_time(timezone: {timezone}, format: {format})");
                return "18:31";
            },
            "get_time",
            "The local time in a time zone.");

        using var client = new ChatClientBuilder(handler.AsChatClient("ollama")).UseFunctionInvocation().Build();
        var response = await client.GetResponseAsync(
            [new MEAI.ChatMessage(MEAI.ChatRole.System, "You are terse."), new MEAI.ChatMessage(MEAI.ChatRole.User, "Weather and time in Tokyo?")],
            new ChatOptions { Tools = [weather, time] });

        Assert.Equal(["get_weather(city: Tokyo)", "get_time(timezone: Asia/Tokyo, format: 24h)"], invoked);
        Assert.Equal("Sunny and 21 °C in Tokyo; it is 18:31 there.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("llama3.2", response.ModelId);
        Assert.Equal(169 + 231, response.Usage?.InputTokenCount);
        Assert.Equal(15 + 18, response.Usage?.OutputTokenCount);
        Assert.Equal(169 + 231 + 15 + 18, response.Usage?.TotalTokenCount);
        Assert.Equal(2, server.Requests.Count);

        // The second request carries the assistant's calls and both results, in Ollama's shape.
        using var second = JsonDocument.Parse(server.Requests[1].Body);
        var messages = second.RootElement.GetProperty("messages");
        Assert.Equal(["system", "user", "assistant", "tool", "tool"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("""[{"function":{"name":"get_weather","arguments":{"city":"Tokyo"}}},{"function":{"name":"get_time","arguments":{"timezone":"Asia/Tokyo","format":"24h"}}}]""",
            messages[2].GetProperty("tool_calls").GetRawText());
        Assert.Equal(("get_weather", "Sunny, 21 °C in Tokyo"), (messages[3].GetProperty("tool_name").GetString(), messages[3].GetProperty("content").GetString()));
        Assert.Equal(("get_time", "18:31"), (messages[4].GetProperty("tool_name").GetString(), messages[4].GetProperty("content").GetString()));
        Assert.Equal(["get_weather", "get_time"], second.RootElement.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()));
        Assert.Equal("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""",
            second.RootElement.GetProperty("tools")[0].GetProperty("function").GetProperty("parameters").GetRawText());
    }

    [Fact]
    public async Task The_final_message_history_holds_each_call_with_its_parsed_arguments_and_result()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("ollama/chat-tool-calls.ndjson", Ndjson.ContentType), Ndjson.OllamaText(231, 18, "Done."));
        var handler = new OllamaHandler(new OllamaOptions { BaseUrl = server.BaseUri, ModelId = "llama3.2" });
        var weather = AIFunctionFactory.Create((string city) => "sunny", "get_weather");
        var time = AIFunctionFactory.Create((string timezone, string format) => "18:31", "get_time");
        using var client = new ChatClientBuilder(handler.AsChatClient()).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync("Weather and time in Tokyo?", new ChatOptions { Tools = [weather, time] });

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal("get_weather", calls[0].Name);
        Assert.Equal("Tokyo", ((JsonElement)calls[0].Arguments!["city"]!).GetString());
        Assert.Equal(["timezone", "format"], calls[1].Arguments!.Keys);
        Assert.StartsWith("ollama_call_0_", calls[0].CallId, StringComparison.Ordinal);
        Assert.StartsWith("ollama_call_1_", calls[1].CallId, StringComparison.Ordinal);
        var results = response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        Assert.Equal([calls[0].CallId, calls[1].CallId], results.Select(r => r.CallId));
        Assert.Equal("Done.", response.Messages[^1].Text);
    }
}

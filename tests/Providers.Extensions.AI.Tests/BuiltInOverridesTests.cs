using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Providers.Ollama;
using Providers.Tests.Replay;

namespace Providers.Extensions.AI.Tests;

/// <summary>ChatOptions reaching a built-in provider's wire through <see cref="IApiHandlerWithOverrides"/>.</summary>
public sealed class BuiltInOverridesTests
{
    [Fact]
    public async Task Chat_options_model_temperature_and_max_output_tokens_reach_the_ollama_request_and_nothing_is_ignored()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Ndjson.OllamaText(12, 3, "Blue."));
        var handler = new OllamaHandler(new OllamaOptions { BaseUrl = server.BaseUri, ModelId = "llama3.2" });

        var response = await handler.AsChatClient("ollama").GetResponseAsync(
            "Why is the sky blue?", new ChatOptions { ModelId = "qwen3:8b", Temperature = 0.25f, MaxOutputTokens = 128 });

        var body = JsonNode.Parse(Assert.Single(server.Requests).Body)!;
        Assert.Equal("qwen3:8b", (string?)body["model"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"num_ctx":32768,"temperature":0.25,"num_predict":128}"""), body["options"]), body.ToJsonString());
        Assert.Equal(("Blue.", "qwen3:8b"), (response.Text, response.ModelId));
        Assert.False(response.AdditionalProperties?.ContainsKey(ProvidersChatClientExtensions.IgnoredOptionsKey) ?? false);
        Assert.All(response.Messages, m => Assert.False(m.AdditionalProperties?.ContainsKey(ProvidersChatClientExtensions.IgnoredOptionsKey) ?? false));
    }
}

using System.Net;
using System.Text.Json;
using Providers.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAi;

/// <summary>Every recorded Responses API stream, replayed at real chunk boundaries and one byte at a time.</summary>
public class OpenAiResponsesStreamTests
{
    private static async Task<(List<ApiStreamChunk> Chunks, RecordedRequest Request)> ReplayAsync(ReplayResponse response, string modelId, bool azure = false)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(response);
        var options = new OpenAiOptions
        {
            ApiKey = Key,
            BaseUrl = azure ? server.BaseUri : new Uri(server.BaseUri, "v1"),
            AzureApiVersion = azure ? "2025-04-01-preview" : null,
            ModelId = modelId,
            UseResponsesApi = true,
        };

        var chunks = await CollectAsync(new OpenAiHandler(options).CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        return (chunks, Assert.Single(server.Requests));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Azure_text_yields_the_exact_sequence_from_the_azure_responses_endpoint(bool oneByte)
    {
        var (chunks, request) = await ReplayAsync(Fixtures.TypedEventChunks("openai-responses/azure-text.1.chunks.txt").MaybeOneByte(oneByte), "gpt-5.1", azure: true);
        // gpt-5.1 is in the table now: $1.25 in, $10 out per million.
        Assert.Equal([new TextChunk("Hello"), new UsageChunk(11, 11, 0, null, 0, TotalCost: 0.00012375m)], chunks);
        Assert.Equal("/openai/responses?api-version=2025-04-01-preview", request.PathAndQuery);
        Assert.Equal(Key, request.Headers["api-key"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Function_call_deltas_carry_the_call_id_and_the_fc_item_id(bool oneByte)
    {
        var (chunks, request) = await ReplayAsync(Fixtures.TypedEventChunks("openai-responses/azure-tool-call.1.chunks.txt").MaybeOneByte(oneByte), "gpt-5.1");
        const string Call = "call_H5DxLSFnsGhiROnUiDHmgyc8";
        const string Fc = "fc_04041325ab8ae30400698c51c5468c8197a395f18875a5339f";
        Assert.Equal(
            [
                new ToolCallChunk(Call, Fc, "weather", ""),
                new ToolCallChunk(Call, Fc, "weather", "{\""),
                new ToolCallChunk(Call, Fc, "weather", "location"),
                new ToolCallChunk(Call, Fc, "weather", "\":\""),
                new ToolCallChunk(Call, Fc, "weather", "San"),
                new ToolCallChunk(Call, Fc, "weather", " Francisco"),
                new ToolCallChunk(Call, Fc, "weather", "\"}"),
                new UsageChunk(45, 24, 0, null, 0, TotalCost: 0.00029625m),
            ],
            chunks);
        Assert.Equal("/v1/responses", request.PathAndQuery);
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reasoning_summaries_encrypted_content_and_calls_over_four_responses(bool oneByte)
    {
        var (chunks, _) = await ReplayAsync(Fixtures.TypedEventChunks("openai-responses/openai-reasoning-encrypted-content.1.chunks.txt").MaybeOneByte(oneByte), "gpt-5.1-codex-max");
        Assert.Equal(
            "**Calculating step-by-step using calculator**\n\nI'll compute 12 plus 7, then multiply the result by 3, and finally multiply that by 10, reporting the final product.",
            ReasoningOf(chunks));
        // The finished reasoning item comes whole, to be replayed before the call it preceded.
        Assert.DoesNotContain(chunks.OfType<ReasoningChunk>(), c => c.RedactedData is not null);
        var state = Assert.Single(chunks.OfType<ReasoningChunk>(), c => c.Details is not null);
        Assert.Equal(ReasoningStateFormats.OpenAiResponses, state.DetailsFormat);
        using (var item = System.Text.Json.JsonDocument.Parse(state.Details!))
        {
            Assert.Equal(["type", "id", "summary", "encrypted_content"], item.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal("rs_01830d662ab3856501693c321405c88190be3ab04d5782d5f9", item.RootElement.GetProperty("id").GetString());
            var redacted = item.RootElement.GetProperty("encrypted_content").GetString()!;
            Assert.Equal(1060, redacted.Length);
            Assert.StartsWith("gAAAAABpPDIVOKrsHNZ0", redacted, StringComparison.Ordinal);
            Assert.EndsWith("at0wz4uQ==", redacted, StringComparison.Ordinal);
            Assert.Equal("summary_text", item.RootElement.GetProperty("summary")[0].GetProperty("type").GetString());
        }

        Assert.True(chunks.IndexOf(state) < chunks.FindIndex(c => c is ToolCallChunk));
        Assert.Equal(
            [
                ("call_AB6AaRZ1FYZB2RwS6A5vbdqn", "fc_01830d662ab3856501693c32151234819091cfca267e98cc5f", "calculator", """{"a":12,"b":7,"op":"add"}"""),
                ("call_Q6pW65MUgW9vF59BmItYGos3", "fc_01830d662ab3856501693c32165be4819098c08f205f8932ef", "calculator", """{"a":19,"b":3,"op":"multiply"}"""),
                ("call_Zl5vIMnD7dVAjgU6FkhmiCZh", "fc_01830d662ab3856501693c32173d5081908f2121e1c3ff2901", "calculator", """{"a":57,"b":10,"op":"multiply"}"""),
            ],
            ToolCallsOf(chunks));
        Assert.Equal("The final result is **570**.", TextOf(chunks));
        Assert.Equal(4, chunks.OfType<UsageChunk>().Count());
        Assert.Equal(new UsageChunk(134 + 221 + 260 + 299, 28 + 26 + 26 + 12, 0, null, 0), UsageOf(chunks));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_error_event_fails_with_its_type_and_is_not_retried(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.TypedEventChunks("openai-responses/openai-error.1.chunks.txt").MaybeOneByte(oneByte));
        var options = new OpenAiOptions { ApiKey = Key, BaseUrl = new Uri(server.BaseUri, "v1"), ModelId = "gpt-5-nano", UseResponsesApi = true };
        var (chunks, error) = await CollectUntilErrorAsync(new OpenAiHandler(options).CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        Assert.Empty(chunks);
        Assert.Equal("insufficient_quota", error.ErrorType);
        Assert.Contains("You exceeded your current quota", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
        Assert.False(error.OutputStarted);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Response_failed_without_an_error_event_fails_with_the_response_error()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(new ReplayResponse
        {
            Parts =
            [
                TypedSse("response.created", """{"type":"response.created","response":{"id":"r","status":"in_progress"}}"""),
                TypedSse("response.failed", """{"type":"response.failed","response":{"id":"r","status":"failed","error":{"code":"invalid_prompt","message":"bad prompt"}}}"""),
            ],
        });
        var options = new OpenAiOptions { ApiKey = Key, BaseUrl = server.BaseUri, ModelId = "gpt-4.1", UseResponsesApi = true };
        var (_, error) = await CollectUntilErrorAsync(new OpenAiHandler(options).CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        Assert.Equal("invalid_prompt", error.ErrorType);
        Assert.Contains("bad prompt", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }
}

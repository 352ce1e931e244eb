using System.Net;
using System.Text;
using System.Text.Json;
using Providers.SapAiCore;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.SapAiCore;

/// <summary>
/// The error type of an orchestration error comes from a code the server chose, so it is one of a fixed set: the HTTP
/// statuses the service reports keep their own type, any other code becomes <c>orchestration_error</c>, and the message
/// still names the code the server sent.
/// </summary>
public sealed class OrchestrationErrorTypeTests
{
    private static readonly IReadOnlyList<ChatMessage> Question = [ChatMessage.User("List the files in src.")];

    /// <summary>Streams <paramref name="body"/> as the answer of the running orchestration deployment, over sockets, until it fails.</summary>
    private static async Task<(List<ApiStreamChunk> Chunks, ProviderException Error)> StreamUntilErrorAsync(string body)
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(ReplayResponse.Json(200, Fixtures.Text("sapaicore/token.json")));
        api.Enqueue(
            ReplayResponse.Json(200, Fixtures.Text("sapaicore/deployments-orchestration.json")),
            new ReplayResponse { Parts = [Encoding.UTF8.GetBytes(body)] });
        var options = SapAiCoreTests.Options(tokens.BaseUri, api.BaseUri, "gpt-4o");
        options.UseOrchestrationMode = true;
        return await CollectUntilErrorAsync(new SapAiCoreHandler(options).CreateMessageAsync("", Question));
    }

    private static ProviderException ErrorOf(string json) =>
        OrchestrationStream.ErrorOf("sapaicore", new SapAiCoreOptions(), JsonDocument.Parse(json).RootElement.Clone());

    [Theory]
    [InlineData(400, "orchestration_400")]
    [InlineData(401, "orchestration_401")]
    [InlineData(403, "orchestration_403")]
    [InlineData(404, "orchestration_404")]
    [InlineData(408, "orchestration_408")]
    [InlineData(409, "orchestration_409")]
    [InlineData(413, "orchestration_413")]
    [InlineData(422, "orchestration_422")]
    [InlineData(429, "orchestration_429")]
    [InlineData(500, "orchestration_500")]
    [InlineData(502, "orchestration_502")]
    [InlineData(503, "orchestration_503")]
    [InlineData(504, "orchestration_504")]
    public void A_status_the_service_reports_keeps_its_own_type(int code, string errorType)
    {
        var error = ErrorOf($$"""{"code":{{code}},"message":"m","location":"LLM Module"}""");

        Assert.Equal(errorType, error.ErrorType);
        Assert.Equal((HttpStatusCode)code, error.StatusCode);
    }

    [Theory]
    [InlineData("418")]
    [InlineData("599")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("123456789")]
    [InlineData("2147483647")]
    public void Any_other_code_is_one_fixed_type_and_the_message_names_the_code(string code)
    {
        var error = ErrorOf($$"""{"code":{{code}},"message":"odd","location":"LLM Module"}""");

        Assert.Equal("orchestration_error", error.ErrorType);
        Assert.Equal($"SAP AI Core's orchestration service reported an error {code} in LLM Module: odd", error.Message);
    }

    [Theory]
    [InlineData("""{"message":"no code"}""")]
    [InlineData("""{"code":"429","message":"a string"}""")]
    [InlineData("""{"code":4.29e2,"message":"not an integer literal"}""")]
    [InlineData("""{"code":99999999999999999999,"message":"too large"}""")]
    [InlineData("""[{"code":77777,"message":"in a list"}]""")]
    public void A_missing_or_odd_code_is_the_fixed_type(string json)
    {
        Assert.Equal("orchestration_error", ErrorOf(json).ErrorType);
    }

    [Fact]
    public void Every_type_of_every_int_code_is_one_of_fourteen()
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var code in Enumerable.Range(-1000, 3000).Append(int.MinValue).Append(int.MaxValue))
        {
            types.Add(OrchestrationStream.ErrorTypeOf(code));
        }

        types.Add(OrchestrationStream.ErrorTypeOf(null));
        Assert.Equal(14, types.Count);
    }

    [Fact]
    public async Task An_unknown_code_in_the_stream_ends_it_with_the_fixed_type_and_the_raw_code_in_the_message()
    {
        var (chunks, error) = await StreamUntilErrorAsync(
            "data: {\"final_result\":{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}}\n\n"
            + "data: {\"error\":{\"code\":31337,\"message\":\"made up\",\"location\":\"Somewhere\"}}\n\n");

        Assert.Equal<ApiStreamChunk>([new TextChunk("Hel")], chunks);
        Assert.Equal("orchestration_error", error.ErrorType);
        Assert.Null(error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.Equal("SAP AI Core's orchestration service reported an error 31337 in Somewhere: made up", error.Message);
    }

    [Fact]
    public async Task An_event_s_text_leaves_before_a_failure_later_in_the_same_event()
    {
        // Text, then in the same event arguments for a tool call the stream never started.
        var (chunks, error) = await StreamUntilErrorAsync(
            "data: {\"final_result\":{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\",\"tool_calls\":[{\"index\":3,\"function\":{\"arguments\":\"{}\"}}]}}]}}\n\n"
            + "data: [DONE]\n\n");

        Assert.Equal<ApiStreamChunk>([new TextChunk("a")], chunks);
        Assert.Equal("malformed_stream", error.ErrorType);
        Assert.True(error.OutputStarted);
    }
}

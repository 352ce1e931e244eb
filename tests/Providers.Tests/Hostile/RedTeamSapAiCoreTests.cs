using System.Text;
using Providers.SapAiCore;
using Providers.Tests.Replay;
using Providers.Tests.SapAiCore;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.Hostile;

/// <summary>SAP AI Core against hostile servers on 127.0.0.1: secrets echoed back, hostile orchestration streams.</summary>
public sealed class RedTeamSapAiCoreTests
{
    private const string Secret = "sap-RedTeam-client-secret-0123456789";
    private static readonly IReadOnlyList<ChatMessage> Question = [ChatMessage.User("hi")];

    [Fact]
    public async Task A_client_secret_with_surrounding_spaces_is_redacted_as_it_was_sent()
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();

        // The secret is sent trimmed; the token server echoes what it received.
        tokens.Enqueue(ReplayResponse.Json(401, $$$"""{"error":{"message":"Bad credentials: {{{Secret}}}"}}"""));
        var options = SapAiCoreTests.Options(tokens.BaseUri, api.BaseUri, "gpt-4o", "d1", secret: "  " + Secret + " ");

        var (_, error) = await CollectUntilErrorAsync(new SapAiCoreHandler(options).CreateMessageAsync("", Question));

        Assert.Contains("Bad credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret[..8], error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Secret[..8], error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("client_secret=" + Secret + "&", tokens.Requests[0].Body + "&", StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_orchestration_error_event_echoing_the_token_and_the_secret_never_shows_them()
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(ReplayResponse.Json(200, Fixtures.Text("sapaicore/token.json")));
        var sse = "data: {\"request_id\":\"r\",\"error\":{\"code\":400,\"message\":\"token " + SapAiCoreTests.AccessToken.ToUpperInvariant()
            + " secret " + Secret + "\",\"location\":\"at " + Secret + "\"}}\n\n";
        api.Enqueue(
            ReplayResponse.Json(200, Fixtures.Text("sapaicore/deployments-orchestration.json")),
            new ReplayResponse { Parts = [Encoding.UTF8.GetBytes(sse)] });
        var options = SapAiCoreTests.Options(tokens.BaseUri, api.BaseUri, "gpt-4o", secret: Secret);
        options.UseOrchestrationMode = true;

        var (_, error) = await CollectUntilErrorAsync(new SapAiCoreHandler(options).CreateMessageAsync("", Question));

        Assert.Contains("orchestration service reported an error 400", error.Message, StringComparison.Ordinal);
        foreach (var text in new[] { error.Message, error.ToString(), error.ErrorType ?? "" })
        {
            Assert.DoesNotContain(Secret[..8], text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(SapAiCoreTests.AccessToken[..8], text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("data: {\"final_result\":{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}}\n\n", "stream_truncated")]
    [InlineData("data: {\"final_result\":{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}}\n\ndata: {\"final_result\":\n\n", "malformed_stream")]
    [InlineData("data: {\"final_result\":{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":3,\"function\":{\"arguments\":\"{}\"}}]}}]}}\n\ndata: [DONE]\n\n", "malformed_stream")]
    [InlineData("data: {\"final_result\":{\"usage\":{\"prompt_tokens\":1e400}}}\n\ndata: [DONE]\n\n", "malformed_stream")]
    public async Task A_hostile_orchestration_stream_ends_in_one_provider_exception(string sse, string errorType)
    {
        await using var tokens = await ReplayServer.StartAsync();
        await using var api = await ReplayServer.StartAsync();
        tokens.Enqueue(ReplayResponse.Json(200, Fixtures.Text("sapaicore/token.json")));
        api.Enqueue(
            ReplayResponse.Json(200, Fixtures.Text("sapaicore/deployments-orchestration.json")),
            new ReplayResponse { Parts = [Encoding.UTF8.GetBytes(sse)] });
        var options = SapAiCoreTests.Options(tokens.BaseUri, api.BaseUri, "gpt-4o", secret: Secret);
        options.UseOrchestrationMode = true;

        var (_, error) = await CollectUntilErrorAsync(new SapAiCoreHandler(options).CreateMessageAsync("", Question));

        Assert.Equal(errorType, error.ErrorType);
    }
}

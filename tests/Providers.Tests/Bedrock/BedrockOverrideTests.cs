using Providers.Bedrock;
using Providers.Tests.Replay;
using static Providers.Tests.Bedrock.BedrockTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Bedrock;

/// <summary>Per-request overrides on <c>bedrock</c>: what ConverseStream receives, over a real socket.</summary>
public class BedrockOverrideTests
{
    private static async Task<RecordedRequest> SendAsync(RequestOverrides overrides, Action<BedrockOptions>? configure = null)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("bedrock-text.chunks.txt"));
        IApiHandlerWithOverrides handler = Handler(server, clock, configure);

        await CollectAsync(handler.CreateMessageAsync("You are terse.", [ChatMessage.User("Hello")], null, overrides));

        return Assert.Single(server.Requests);
    }

    private static string PathOf(RecordedRequest request) => Uri.UnescapeDataString(request.PathAndQuery);

    [Fact]
    public async Task A_model_override_goes_to_that_model_with_its_cross_region_prefix_and_its_own_limits()
    {
        var request = await SendAsync(new RequestOverrides { ModelId = "amazon.nova-pro-v1:0" }, o => o.UseCrossRegionInference = true);

        Assert.Equal("/model/us.amazon.nova-pro-v1:0/converse-stream", PathOf(request));
        Assert.Equal("""{"maxTokens":5000,"temperature":0}""", Member(request.Body, "inferenceConfig"));
        Assert.Equal("<absent>", Member(request.Body, "additionalModelRequestFields"));
    }

    [Fact]
    public async Task An_arn_override_is_sent_unchanged_even_with_cross_region_inference()
    {
        const string Arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123";

        var request = await SendAsync(new RequestOverrides { ModelId = Arn }, o => o.UseCrossRegionInference = true);

        Assert.Equal($"/model/{Arn}/converse-stream", PathOf(request));
    }

    [Fact]
    public async Task Output_limit_and_temperature_overrides_are_sent_in_inference_config()
    {
        var request = await SendAsync(new RequestOverrides { MaxOutputTokens = 1000, Temperature = 0.3 });

        Assert.Equal("/model/anthropic.claude-sonnet-4-5-20250929-v1:0/converse-stream", PathOf(request));
        Assert.Equal("""{"maxTokens":1000,"temperature":0.3}""", Member(request.Body, "inferenceConfig"));
        Assert.Equal("<absent>", Member(request.Body, "additionalModelRequestFields"));
    }

    [Theory]
    [InlineData(ReasoningEffort.Low, 1024)]
    [InlineData(ReasoningEffort.Medium, 4096)]
    [InlineData(ReasoningEffort.High, 16000)]
    [InlineData(ReasoningEffort.ExtraHigh, 32000)]
    public async Task A_reasoning_effort_override_on_a_budget_model_sends_that_thinking_budget_at_temperature_1(ReasoningEffort effort, int budget)
    {
        var request = await SendAsync(new RequestOverrides { ReasoningEffort = effort });

        Assert.Equal("""{"maxTokens":64000,"temperature":1}""", Member(request.Body, "inferenceConfig"));
        Assert.Equal("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":" + budget + "}}", Member(request.Body, "additionalModelRequestFields"));
    }

    [Fact]
    public async Task A_thinking_budget_stays_below_an_overridden_output_limit()
    {
        var request = await SendAsync(new RequestOverrides { ReasoningEffort = ReasoningEffort.High, MaxOutputTokens = 8000 });

        Assert.Equal("""{"maxTokens":8000,"temperature":1}""", Member(request.Body, "inferenceConfig"));
        Assert.Equal("""{"thinking":{"type":"enabled","budget_tokens":7999}}""", Member(request.Body, "additionalModelRequestFields"));
    }

    [Fact]
    public async Task Reasoning_effort_none_turns_the_configured_thinking_off()
    {
        var request = await SendAsync(new RequestOverrides { ReasoningEffort = ReasoningEffort.None }, o => o.ThinkingBudgetTokens = 8000);

        Assert.Equal("""{"maxTokens":64000,"temperature":0}""", Member(request.Body, "inferenceConfig"));
        Assert.Equal("<absent>", Member(request.Body, "additionalModelRequestFields"));
    }

    [Theory]
    [InlineData(ReasoningEffort.Low, "low")]
    [InlineData(ReasoningEffort.High, "high")]
    [InlineData(ReasoningEffort.ExtraHigh, "xhigh")]
    public async Task A_reasoning_effort_override_on_an_adaptive_model_is_sent_as_its_effort_without_a_temperature(ReasoningEffort effort, string wire)
    {
        var request = await SendAsync(new RequestOverrides { ReasoningEffort = effort }, o => o.ModelId = "anthropic.claude-opus-4-6-v1");

        Assert.Equal("""{"maxTokens":128000}""", Member(request.Body, "inferenceConfig"));
        Assert.Equal("{\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"" + wire + "\"}}", Member(request.Body, "additionalModelRequestFields"));
    }

    [Fact]
    public async Task A_temperature_with_a_reasoning_effort_fails_before_sending_and_says_which_to_drop()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        IApiHandlerWithOverrides handler = Handler(server, clock);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => CollectAsync(handler.CreateMessageAsync(
            "sys", [ChatMessage.User("Hi")], null, new RequestOverrides { Temperature = 0.5, ReasoningEffort = ReasoningEffort.High })));

        Assert.Contains("not both", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_temperature_override_is_not_applied_while_the_configuration_thinks()
    {
        var request = await SendAsync(new RequestOverrides { Temperature = 0.5 }, o => o.ThinkingBudgetTokens = 4000);

        Assert.Equal("""{"maxTokens":64000,"temperature":1}""", Member(request.Body, "inferenceConfig"));
        Assert.Equal("""{"thinking":{"type":"enabled","budget_tokens":4000}}""", Member(request.Body, "additionalModelRequestFields"));
    }

    [Fact]
    public async Task Supported_overrides_follow_the_configured_model_and_thinking()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        const RequestOverrideKinds ModelAndLimit = RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens;

        Assert.Equal(ModelAndLimit | RequestOverrideKinds.Temperature | RequestOverrideKinds.ReasoningEffort, Handler(server, clock).SupportedOverrides);
        Assert.Equal(ModelAndLimit | RequestOverrideKinds.ReasoningEffort, Handler(server, clock, o => o.ThinkingBudgetTokens = 4000).SupportedOverrides);
        Assert.Equal(ModelAndLimit | RequestOverrideKinds.ReasoningEffort, Handler(server, clock, o => o.ModelId = "anthropic.claude-opus-4-6-v1").SupportedOverrides);
        Assert.Equal(ModelAndLimit | RequestOverrideKinds.Temperature, Handler(server, clock, o => o.ModelId = "amazon.nova-pro-v1:0").SupportedOverrides);
    }

    [Fact]
    public async Task Overrides_leave_the_configured_model_as_get_model_reports_it()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("bedrock-text.chunks.txt"));
        var handler = Handler(server, clock);

        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")], null, new RequestOverrides { ModelId = "amazon.nova-pro-v1:0" }));

        Assert.Equal("anthropic.claude-sonnet-4-5-20250929-v1:0", handler.GetModel().Id);
    }
}

using Providers.Tests.Replay;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.ClaudeCode;

/// <summary>Per-request overrides of <c>claude-code</c>, as flags and environment of the fake <c>claude</c> process.</summary>
public class ClaudeCodeOverrideTests
{
    private static IAsyncEnumerable<ApiStreamChunk> Ask(IApiHandlerWithOverrides handler, RequestOverrides overrides) =>
        handler.CreateMessageAsync("You are terse.", [ChatMessage.User("List the files")], null, overrides);

    private static string ModelFlag(FakeClaude claude)
    {
        var arguments = claude.Arguments();
        return arguments[Array.IndexOf(arguments, "--model") + 1];
    }

    [Fact]
    public void Offers_the_model_the_output_limit_and_the_effort_but_no_temperature()
    {
        using var claude = new FakeClaude();
        using var clock = new FastRetryClock();

        IApiHandlerWithOverrides handler = claude.Handler(clock);

        Assert.Equal(RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens | RequestOverrideKinds.ReasoningEffort, handler.SupportedOverrides);
    }

    [Fact]
    public async Task A_model_and_output_limit_override_go_to_model_flag_and_max_output_tokens_for_that_request_only()
    {
        using var claude = new FakeClaude("stream-json-subscription-text.jsonl", "stream-json-subscription-text.jsonl");
        using var clock = new FastRetryClock();
        IApiHandlerWithOverrides handler = claude.Handler(clock, o => o.ModelId = "claude-sonnet-4-5-20250929");

        var chunks = await CollectAsync(Ask(handler, new RequestOverrides { ModelId = "opus", MaxOutputTokens = 12_000, Temperature = 0.2 }));
        await CollectAsync(Ask(handler, RequestOverrides.None));

        Assert.NotEmpty(chunks);
        Assert.Equal("opus", ModelFlag(claude));
        Assert.Contains("CLAUDE_CODE_MAX_OUTPUT_TOKENS=12000", claude.Environment(1));
        Assert.Equal("claude-sonnet-4-5-20250929", claude.Arguments(2)[Array.IndexOf(claude.Arguments(2), "--model") + 1]);
        Assert.Contains("CLAUDE_CODE_MAX_OUTPUT_TOKENS=32000", claude.Environment(2));
        Assert.Equal("claude-sonnet-4-5-20250929", handler.GetModel().Id);
    }

    [Theory]
    [InlineData(ReasoningEffort.None, "0", "unset")]
    [InlineData(ReasoningEffort.Low, "1024", "low")]
    [InlineData(ReasoningEffort.Medium, "4096", "medium")]
    [InlineData(ReasoningEffort.High, "16000", "high")]
    [InlineData(ReasoningEffort.ExtraHigh, "32000", "max")]
    public async Task An_effort_override_sets_the_thinking_budget_and_the_effort_level(ReasoningEffort effort, string budget, string level)
    {
        using var claude = new FakeClaude("stream-json-subscription-text.jsonl");
        using var clock = new FastRetryClock();
        IApiHandlerWithOverrides handler = claude.Handler(clock, o => o.ThinkingBudgetTokens = 2048);

        await CollectAsync(Ask(handler, new RequestOverrides { ReasoningEffort = effort }));

        var environment = claude.Environment();
        Assert.Contains("MAX_THINKING_TOKENS=" + budget, environment);
        Assert.Contains("CLAUDE_CODE_EFFORT_LEVEL=" + level, environment);
    }

    [Fact]
    public async Task Without_overrides_the_configured_budget_applies_and_no_effort_level_is_set()
    {
        using var claude = new FakeClaude("stream-json-subscription-text.jsonl");
        using var clock = new FastRetryClock();
        IApiHandlerWithOverrides handler = claude.Handler(clock, o => o.ThinkingBudgetTokens = 2048);

        await CollectAsync(Ask(handler, RequestOverrides.None));

        var environment = claude.Environment();
        Assert.Contains("MAX_THINKING_TOKENS=2048", environment);
        Assert.Contains("CLAUDE_CODE_EFFORT_LEVEL=unset", environment);
        Assert.Contains("CLAUDE_CODE_MAX_OUTPUT_TOKENS=32000", environment);
    }
}

using System.Net;
using Providers.ClaudeCode;
using Providers.Tests.Replay;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.ClaudeCode;

/// <summary>
/// A fake <c>claude</c> executable (a shell script in a temporary folder) that records its arguments, environment and
/// standard input, then prints the stream-json lines of a fixture of <c>tests/fixtures/claude-code</c> (one file per
/// invocation: <c>1.jsonl</c>, <c>2.jsonl</c>...) and exits with the code in <c>exit.N</c> (default 0).
/// </summary>
public sealed class FakeClaude : IDisposable
{
    public FakeClaude(params string[] fixtures)
    {
        Directory.CreateDirectory(Folder);
        for (var i = 0; i < fixtures.Length; i++)
        {
            File.Copy(Fixtures.PathOf("claude-code/" + fixtures[i]), System.IO.Path.Combine(Folder, $"{i + 1}.jsonl"));
        }

        File.WriteAllText(Executable, $$"""
            #!/bin/sh
            dir='{{Folder}}'
            n=$(cat "$dir/count" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$dir/count"
            : > "$dir/args.$n"
            for a in "$@"; do printf '%s\n' "$a" >> "$dir/args.$n"; done
            if [ "$1" = "--system-prompt-file" ]; then cp "$2" "$dir/prompt.$n"; fi
            printf 'MAX_THINKING_TOKENS=%s\nCLAUDE_CODE_MAX_OUTPUT_TOKENS=%s\nCLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=%s\nANTHROPIC_API_KEY=%s\n' "$MAX_THINKING_TOKENS" "$CLAUDE_CODE_MAX_OUTPUT_TOKENS" "$CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC" "${ANTHROPIC_API_KEY-unset}" > "$dir/env.$n"
            printf 'CLAUDE_CODE_EFFORT_LEVEL=%s\n' "${CLAUDE_CODE_EFFORT_LEVEL-unset}" >> "$dir/env.$n"
            cat > "$dir/stdin.$n"
            cat "$dir/$n.jsonl" 2>/dev/null
            if [ -f "$dir/stderr.$n" ]; then cat "$dir/stderr.$n" >&2; fi
            exit $(cat "$dir/exit.$n" 2>/dev/null || echo 0)
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(Executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Folder { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fake-claude-" + Guid.NewGuid().ToString("N"));

    public string Executable => System.IO.Path.Combine(Folder, "claude");

    public int Invocations => File.Exists(System.IO.Path.Combine(Folder, "count")) ? int.Parse(File.ReadAllText(System.IO.Path.Combine(Folder, "count")).Trim(), System.Globalization.CultureInfo.InvariantCulture) : 0;

    public string[] Arguments(int invocation = 1) => File.ReadAllLines(System.IO.Path.Combine(Folder, $"args.{invocation}"));

    public string Stdin(int invocation = 1) => File.ReadAllText(System.IO.Path.Combine(Folder, $"stdin.{invocation}"));

    public string[] Environment(int invocation = 1) => File.ReadAllLines(System.IO.Path.Combine(Folder, $"env.{invocation}"));

    public string? PromptFile(int invocation = 1) => File.Exists(System.IO.Path.Combine(Folder, $"prompt.{invocation}")) ? File.ReadAllText(System.IO.Path.Combine(Folder, $"prompt.{invocation}")) : null;

    public void Fail(int invocation, int exitCode, string stderr)
    {
        File.WriteAllText(System.IO.Path.Combine(Folder, $"exit.{invocation}"), exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.WriteAllText(System.IO.Path.Combine(Folder, $"stderr.{invocation}"), stderr);
    }

    public ClaudeCodeHandler Handler(FastRetryClock clock, Action<ClaudeCodeOptions>? configure = null)
    {
        var options = clock.Attach(new ClaudeCodeOptions { Path = Executable });
        configure?.Invoke(options);
        return new ClaudeCodeHandler(options);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

public class ClaudeCodeTests
{
    private static IAsyncEnumerable<ApiStreamChunk> Ask(IApiHandler handler) =>
        handler.CreateMessageAsync("You are terse.", [ChatMessage.User("List the files")]);

    [Fact]
    public async Task Streams_thinking_text_and_a_tool_call_then_the_usage_with_the_reported_cost()
    {
        using var claude = new FakeClaude("stream-json-thinking-text-tool.jsonl");
        using var clock = new FastRetryClock();

        var chunks = await CollectAsync(Ask(claude.Handler(clock)));

        const string Id = "toolu_01D7FLrfh4GYq7yT1ULFeyMV";
        ApiStreamChunk[] expected =
        [
            new ReasoningChunk("The user wants the files listed.", Signature: "ErUBCkYIBxgCIkDqQx0vLq7Xb1n2SIGNATURE=="),
            new TextChunk("Listing the files."),
            new ToolCallChunk(Id, Id, "list_files", """{"path":".","recursive":false}"""),
            new UsageChunk(4, 41, CacheReadTokens: 11800, CacheWriteTokens: 2100, TotalCost: 0.01542m),
        ];
        Assert.Equal(expected, chunks);
    }

    [Fact]
    public async Task Runs_claude_with_clines_flags_and_the_conversation_on_standard_input()
    {
        using var claude = new FakeClaude("stream-json-subscription-text.jsonl");
        using var clock = new FastRetryClock();
        var handler = claude.Handler(clock, o =>
        {
            o.ModelId = "opus[1m]";
            o.ThinkingBudgetTokens = 2048;
        });

        await CollectAsync(handler.CreateMessageAsync("You are terse.", [
            ChatMessage.User("Hello"),
            ChatMessage.Assistant("Hi."),
            new ChatMessage(ChatRole.User, [new ImageBlock("iVBORw0KGgo=", "image/png"), new TextBlock("What is this?")]),
        ]));

        Assert.Equal(
            [
                "--system-prompt", "You are terse.", "--verbose", "--output-format", "stream-json", "--disallowedTools",
                "Task,TaskOutput,Bash,Glob,Grep,Read,Edit,Write,NotebookEdit,WebFetch,TodoWrite,WebSearch,TaskStop,AskUserQuestion,Skill,EnterPlanMode,ExitPlanMode,EnterWorktree,ExitWorktree,CronCreate,CronDelete,CronList,ToolSearch",
                "--max-turns", "1", "--model", "opus[1m]", "-p",
            ],
            claude.Arguments());
        Assert.Equal(
            """[{"role":"user","content":[{"type":"text","text":"Hello"}]},{"role":"assistant","content":[{"type":"text","text":"Hi."}]},{"role":"user","content":[{"type":"text","text":"[Image (base64): image/png not supported by Claude Code]"},{"type":"text","text":"What is this?"}]}]""",
            claude.Stdin());
        var environment = claude.Environment();
        Assert.Contains("MAX_THINKING_TOKENS=2048", environment);
        Assert.Contains("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", environment);
        Assert.Contains("ANTHROPIC_API_KEY=unset", environment);
        Assert.Equal(1_000_000, handler.GetModel().Info.ContextWindow);
        Assert.False(handler.GetModel().Info.SupportsImages);
    }

    [Fact]
    public async Task A_subscription_costs_nothing_and_rate_limit_events_are_skipped()
    {
        using var claude = new FakeClaude("stream-json-subscription-text.jsonl");
        using var clock = new FastRetryClock();

        var chunks = await CollectAsync(Ask(claude.Handler(clock)));

        Assert.Equal([new TextChunk("Hello!"), new UsageChunk(3, 5, CacheReadTokens: 14200, CacheWriteTokens: 0, TotalCost: 0m)], chunks);
    }

    [Fact]
    public async Task A_long_system_prompt_goes_through_a_file_that_is_deleted_afterwards()
    {
        using var claude = new FakeClaude("stream-json-subscription-text.jsonl");
        using var clock = new FastRetryClock();
        var prompt = new string('x', ClaudeCodeHandler.MaxSystemPromptLength + 1);

        await CollectAsync(claude.Handler(clock).CreateMessageAsync(prompt, [ChatMessage.User("Hi")]));

        var arguments = claude.Arguments();
        Assert.Equal("--system-prompt-file", arguments[0]);
        Assert.Equal(prompt, claude.PromptFile());
        Assert.False(File.Exists(arguments[1]));
    }

    [Fact]
    public async Task An_overloaded_api_error_is_retried_then_succeeds()
    {
        using var claude = new FakeClaude("stream-json-api-error-529.jsonl", "stream-json-subscription-text.jsonl");
        using var clock = new FastRetryClock();

        var chunks = await CollectAsync(Ask(claude.Handler(clock)));

        Assert.Equal("Hello!", StreamCollector.Text(chunks));
        Assert.Equal(2, claude.Invocations);
        var error = Assert.IsType<ProviderException>(Assert.Single(clock.Retries).Error);
        Assert.Equal((HttpStatusCode)529, error.StatusCode);
        Assert.Equal("overloaded_error", error.ErrorType);
    }

    [Fact]
    public async Task A_failing_process_reports_its_exit_code_and_error_output()
    {
        using var claude = new FakeClaude("stream-json-subscription-text.jsonl");
        claude.Fail(1, 1, "error: unknown option '--system-prompt-file'");
        using var clock = new FastRetryClock();

        var (_, error) = await CollectUntilErrorAsync(Ask(claude.Handler(clock)));

        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("process_failed", ex.ErrorType);
        Assert.Contains("exited with code 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("outdated", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, claude.Invocations);
    }

    [Fact]
    public async Task A_missing_executable_says_how_to_install_or_configure_it()
    {
        using var clock = new FastRetryClock();
        var handler = new ClaudeCodeHandler(clock.Attach(new ClaudeCodeOptions { Path = "/nonexistent/claude-" + Guid.NewGuid().ToString("N") }));

        var (_, error) = await CollectUntilErrorAsync(Ask(handler));

        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("executable_not_found", ex.ErrorType);
        Assert.Contains("claudeCodePath", ex.Message, StringComparison.Ordinal);
        Assert.Empty(clock.Retries);
    }

    [Fact]
    public void Clines_keys_bind_through_the_registry()
    {
        var settings = ProviderSettings.Parse("""{"planModeApiProvider":"claude-code","claudeCodePath":"/opt/claude/bin/claude","planModeApiModelId":"sonnet","planModeThinkingBudgetTokens":1024}""");

        var handler = Assert.IsType<ClaudeCodeHandler>(ProviderRegistry.Build(settings, Mode.Plan));

        Assert.Equal("sonnet", handler.GetModel().Id);
        Assert.Equal(3m, handler.GetModel().Info.InputPrice);
    }
}

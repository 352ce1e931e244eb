using System.Reflection;

namespace Providers.Cli.Tests;

/// <summary>The commands other than chat, and the precise errors of the argument parser.</summary>
public class CommandLineTests
{
    [Fact]
    public async Task Version_prints_the_informational_version()
    {
        var result = await CliRunner.RunAsync("--version");

        var version = typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"providers {version}\n", result.Stdout);
        Assert.StartsWith("providers 0.1.0", result.Stdout);
    }

    [Fact]
    public async Task List_prints_every_registered_provider_with_its_keys_and_their_flags()
    {
        var result = await CliRunner.RunAsync("list");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n');
        foreach (var provider in ProviderRegistry.Providers)
        {
            Assert.Contains($"{provider.Id} ({provider.DisplayName})", lines);
            foreach (var key in provider.AllKeys)
            {
                Assert.Contains(key, result.Stdout);
            }
        }

        Assert.Contains(lines, l => l.StartsWith("  apiKey ", StringComparison.Ordinal) && l.Contains("string") && l.EndsWith("required, secret", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  planModeOllamaModelId, actModeOllamaModelId ", StringComparison.Ordinal) && l.EndsWith("required, per-mode", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  ollamaBaseUrl ", StringComparison.Ordinal) && l.EndsWith("url", StringComparison.Ordinal));
        Assert.Contains("deepseek (DeepSeek)", lines);
        Assert.Contains(lines, l => l.StartsWith("  deepSeekApiKey ", StringComparison.Ordinal) && l.EndsWith("required, secret", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  groqBaseUrl ", StringComparison.Ordinal) && l.EndsWith("url", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  openai-codex-oauth-credentials ", StringComparison.Ordinal) && l.EndsWith("secret", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  qwenCodeOauthPath ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task Help_lists_the_commands(string option)
    {
        var result = await CliRunner.RunAsync(option);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("providers chat [options] [PROMPT]", result.Stdout);
        Assert.Contains("providers list", result.Stdout);
    }

    [Fact]
    public async Task Chat_help_lists_every_option()
    {
        var result = await CliRunner.RunAsync("chat", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--provider", "--model", "--mode", "--base-url", "--api-key", "--system", "--settings", "--set", "--tools", "--format" })
        {
            Assert.Contains(option, result.Stdout);
        }
    }

    [Fact]
    public async Task No_arguments_exits_2_with_the_help_on_stderr()
    {
        var result = await CliRunner.RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Usage:", result.Stderr);
    }

    [Fact]
    public async Task An_unknown_command_exits_2_and_suggests_the_nearest()
    {
        var result = await CliRunner.RunAsync("chta");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("providers: unknown command 'chta'. Did you mean 'chat'? Run 'providers --help'.\n", result.Stderr);
    }

    [Fact]
    public async Task An_unknown_option_exits_2_and_suggests_the_nearest()
    {
        var result = await CliRunner.RunAsync("chat", "--modle", "x", "hi");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("providers: unknown option '--modle' for 'chat'. Did you mean '--mode'? Run 'providers chat --help' for the options.\n", result.Stderr);
    }

    [Theory]
    [InlineData(new[] { "chat", "--model" }, "option '--model' needs a value: --model ID.")]
    [InlineData(new[] { "chat", "--model", "--provider", "ollama" }, "option '--model' needs a value: --model ID.")]
    [InlineData(new[] { "chat", "--mode", "build" }, "option '--mode' got 'build': expected plan or act.")]
    [InlineData(new[] { "chat", "--format", "xml" }, "option '--format' got 'xml': expected text or jsonl.")]
    [InlineData(new[] { "chat", "--set", "novalue" }, "option '--set' needs KEY=VALUE with a key before the '=', for example --set ollamaApiOptionsCtxNum=8192.")]
    [InlineData(new[] { "chat", "-m", "a", "--model=b" }, "option '--model' was given more than once; give it once.")]
    [InlineData(new[] { "list", "extra" }, "'list' takes no arguments, got 'extra'.")]
    public async Task Bad_usage_exits_2_with_a_precise_message(string[] args, string message)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"providers: {message}\n", result.Stderr);
    }

    [Fact]
    public async Task Options_take_inline_values_and_a_double_dash_ends_them()
    {
        var result = await CliRunner.RunAsync("chat", "--provider=nope", "--", "--model", "is", "prompt");

        // The provider is read from the inline value; the words after "--" are the prompt, not options.
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("providers: unknown provider 'nope'.", result.Stderr);
    }
}

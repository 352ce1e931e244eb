namespace Providers.ClaudeCode;

/// <summary>
/// Settings of the <c>claude-code</c> provider, under Cline's keys: <c>claudeCodePath</c>,
/// <c>planModeApiModelId</c> / <c>actModeApiModelId</c>, <c>planModeThinkingBudgetTokens</c> / <c>actModeThinkingBudgetTokens</c>.
/// </summary>
public sealed class ClaudeCodeOptions : ProviderOptions
{
    /// <summary>The <c>claude</c> executable (setting <c>claudeCodePath</c>); empty means <c>claude</c> on <c>PATH</c>.</summary>
    [SettingKey("claudeCodePath")]
    public string? Path { get; set; }

    /// <summary>The model passed as <c>--model</c> (settings <c>planModeApiModelId</c> / <c>actModeApiModelId</c>): an id or an alias such as <c>sonnet</c> or <c>opus[1m]</c>.</summary>
    [PerMode, SettingKey("apiModelId")]
    public string ModelId { get; set; } = ClaudeCodeHandler.DefaultModelId;

    /// <summary>Thinking tokens, passed as <c>MAX_THINKING_TOKENS</c> (settings <c>planModeThinkingBudgetTokens</c> / <c>actModeThinkingBudgetTokens</c>); 0 is off.</summary>
    [PerMode, SettingKey("thinkingBudgetTokens")]
    public int ThinkingBudgetTokens { get; set; }

    /// <summary>The directory the process runs in; <see langword="null"/> is the current directory.</summary>
    [SettingIgnore]
    public string? WorkingDirectory { get; set; }
}

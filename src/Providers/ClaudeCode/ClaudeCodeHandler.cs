using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Providers.Anthropic;
using Providers.Http;

namespace Providers.ClaudeCode;

/// <summary>
/// Drives the Claude Code command line as a subprocess: <c>claude -p --output-format stream-json --verbose</c> with the
/// system prompt as an argument (or a file when it is long), the conversation as Anthropic messages on standard input,
/// Claude Code's own tools disabled and one turn, as Cline runs it. Text, thinking (with signatures), tool calls, and at
/// the end the usage with the cost Claude Code reports (0 on a subscription).
/// </summary>
/// <remarks>
/// <para>
/// Images are replaced by a text placeholder (Claude Code takes none on standard input); tool definitions are not passed
/// (Claude Code has no way to accept them). The process is killed when the caller stops reading.
/// </para>
/// <para>
/// Per-request overrides, as far as the <c>claude</c> command takes them: <see cref="RequestOverrides.ModelId"/> as
/// <c>--model</c>; <see cref="RequestOverrides.MaxOutputTokens"/> as
/// <c>CLAUDE_CODE_MAX_OUTPUT_TOKENS</c> (replacing the user's own value for that request);
/// <see cref="RequestOverrides.ReasoningEffort"/> as the thinking budget <c>MAX_THINKING_TOKENS</c> (None 0, Low 1024,
/// Medium 4096, High 16000, ExtraHigh 32000, as the <c>anthropic</c> provider) and, above None, as
/// <c>CLAUDE_CODE_EFFORT_LEVEL</c> <c>low</c>/<c>medium</c>/<c>high</c>/<c>max</c> for the models that take an effort.
/// Claude Code has no temperature setting, so <see cref="RequestOverrideKinds.Temperature"/> is not offered.
/// </para>
/// </remarks>
[Provider("claude-code", DisplayName = "Claude Code")]
[WithRetry(BaseDelayMs = 2000, MaxDelayMs = 15000)]
public sealed partial class ClaudeCodeHandler : IApiHandlerWithOverrides
{
    /// <summary>Cline's default Claude Code model.</summary>
    public const string DefaultModelId = "claude-sonnet-4-5-20250929";

    /// <summary>Longer system prompts go through <c>--system-prompt-file</c>, below the argument length limits.</summary>
    internal const int MaxSystemPromptLength = 65_536;

    private const string ProviderId = "claude-code";

    /// <summary>Claude Code's built-in tools, disabled so the model answers in text and the caller's tool format.</summary>
    private const string DisallowedTools =
        "Task,TaskOutput,Bash,Glob,Grep,Read,Edit,Write,NotebookEdit,WebFetch,TodoWrite,WebSearch,TaskStop,AskUserQuestion,Skill,"
        + "EnterPlanMode,ExitPlanMode,EnterWorktree,ExitWorktree,CronCreate,CronDelete,CronList,ToolSearch";

    private const int MaxStderr = 16 * 1024;

    private readonly ClaudeCodeOptions _options;
    private readonly string _modelId;
    private readonly ModelInfo _info;
    private readonly InFlightRequests _inFlight = new();

    /// <summary>Creates the handler.</summary>
    /// <exception cref="ProviderConfigurationException">The thinking budget is negative.</exception>
    public ClaudeCodeHandler(ClaudeCodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ThinkingBudgetTokens < 0)
        {
            throw new ProviderConfigurationException(ProviderId, [new SettingProblem("planModeThinkingBudgetTokens/actModeThinkingBudgetTokens", $"must be 0 (off) or a positive number of tokens, not {options.ThinkingBudgetTokens}")]);
        }

        _options = options;
        _modelId = string.IsNullOrWhiteSpace(options.ModelId) ? DefaultModelId : options.ModelId.Trim();
        _info = InfoFor(_modelId);
    }

    /// <inheritdoc />
    public ApiHandlerModel GetModel() => new(_modelId, _info);

    /// <summary>The model, the output limit and the reasoning effort; see the class remarks.</summary>
    public RequestOverrideKinds SupportedOverrides =>
        RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens | RequestOverrideKinds.ReasoningEffort;

    /// <summary>Kills the Claude Code process tree of every request in flight: their streams end with <see cref="OperationCanceledException"/>, without a retry.</summary>
    public void Abort() => _inFlight.AbortAll();

    private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        overrides = overrides.Only(SupportedOverrides);
        using var inFlight = _inFlight.Begin(cancellationToken);
        cancellationToken = inFlight.Token;
        var executable = string.IsNullOrWhiteSpace(_options.Path) ? "claude" : _options.Path.Trim();
        string? promptFile = null;
        if (systemPrompt.Length > MaxSystemPromptLength || OperatingSystem.IsWindows())
        {
            promptFile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"providers-system-prompt-{Guid.NewGuid():N}.txt");
            await File.WriteAllTextAsync(promptFile, systemPrompt, cancellationToken).ConfigureAwait(false);
        }

        using var process = new Process { StartInfo = StartInfo(executable, systemPrompt, promptFile, overrides) };
        var stderr = new StringBuilder();
        try
        {
            try
            {
                process.Start();
            }
            catch (Win32Exception ex)
            {
                throw new ProviderException(
                    ProviderId,
                    $"Could not start Claude Code ('{executable}'): {ex.Message}. Install it (npm install -g @anthropic-ai/claude-code) "
                    + "and make sure 'claude' is on PATH, or set 'claudeCodePath' to the executable.",
                    isRetryable: false,
                    innerException: ex)
                { ErrorType = "executable_not_found" };
            }

            // Cancelling (the caller's token or Abort) kills the process tree at once, whatever the stream is waiting on.
            using var kill = cancellationToken.Register(() => Stop(process));

            var stderrTask = ReadBoundedAsync(process.StandardError, stderr, cancellationToken);
            await WriteMessagesAsync(process.StandardInput, messages, cancellationToken).ConfigureAwait(false);

            var usage = new UsageChunk(0, 0, 0, 0);
            var paid = true;
            string? partial = null;
            while (await ReadLineAsync(process.StandardOutput, cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0 || line.AsSpan().Trim().IsEmpty)
                {
                    continue;
                }

                // A line cut by the pipe continues on the next one.
                var text = partial is null ? line : partial + line;
                var parsed = Parse(text);
                if (parsed is null)
                {
                    partial = text;
                    continue;
                }

                partial = null;
                switch (parsed.Type)
                {
                    case "system" when parsed.Subtype == "init":
                        // A subscription reports "none": its requests cost nothing extra.
                        paid = parsed.ApiKeySource != "none";
                        break;
                    case "assistant" when parsed.Message is { } message:
                        ThrowIfError(message);
                        foreach (var chunk in Chunks(message))
                        {
                            yield return chunk;
                        }

                        usage = new UsageChunk(
                            message.Usage?.InputTokens ?? 0,
                            message.Usage?.OutputTokens ?? 0,
                            CacheReadTokens: message.Usage?.CacheReadInputTokens ?? 0,
                            CacheWriteTokens: message.Usage?.CacheCreationInputTokens ?? 0);
                        break;
                    case "result":
                        if (parsed.IsError)
                        {
                            throw new ProviderException(ProviderId, $"Claude Code returned an error: {ServerText.Clean(parsed.Result ?? "no details")}", isRetryable: false) { ErrorType = "result_error" };
                        }

                        yield return usage with { TotalCost = paid ? parsed.TotalCostUsd : 0m };
                        break;
                    default:
                        // rate_limit_event, user (Claude Code's own tool results), and newer line types: nothing to show.
                        break;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await stderrTask.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                var output = stderr.ToString().Trim();
                var outdated = output.Contains("unknown option '--system-prompt-file'", StringComparison.Ordinal)
                    ? " The Claude Code executable is outdated: update it."
                    : "";
                throw new ProviderException(
                    ProviderId,
                    $"Claude Code exited with code {process.ExitCode}.{(output.Length > 0 ? " Error output: " + ServerText.Clean(output) : "")}{outdated}",
                    isRetryable: false)
                { ErrorType = "process_failed" };
            }
        }
        finally
        {
            Stop(process);
            if (promptFile is not null)
            {
                File.Delete(promptFile);
            }
        }
    }

    private ProcessStartInfo StartInfo(string executable, string systemPrompt, string? promptFile, RequestOverrides overrides)
    {
        var modelId = string.IsNullOrWhiteSpace(overrides.ModelId) ? _modelId : overrides.ModelId.Trim();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            WorkingDirectory = _options.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(promptFile is null ? "--system-prompt" : "--system-prompt-file");
        start.ArgumentList.Add(promptFile ?? systemPrompt);
        foreach (var argument in (string[])["--verbose", "--output-format", "stream-json", "--disallowedTools", DisallowedTools, "--max-turns", "1", "--model", modelId, "-p"])
        {
            start.ArgumentList.Add(argument);
        }

        // The user's own values win; Claude Code resolves its authentication itself, never from ANTHROPIC_API_KEY.
        SetDefault(start, "CLAUDE_CODE_MAX_OUTPUT_TOKENS", "32000");
        SetDefault(start, "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        SetDefault(start, "DISABLE_NON_ESSENTIAL_MODEL_CALLS", "1");
        if (overrides.MaxOutputTokens is { } maxOutput)
        {
            start.Environment["CLAUDE_CODE_MAX_OUTPUT_TOKENS"] = maxOutput.ToString(CultureInfo.InvariantCulture);
        }

        var budget = overrides.ReasoningEffort is { } effort ? AnthropicThinking.BudgetFor(effort) : _options.ThinkingBudgetTokens;
        start.Environment["MAX_THINKING_TOKENS"] = budget.ToString(CultureInfo.InvariantCulture);
        if (overrides.ReasoningEffort is { } level and not ReasoningEffort.None)
        {
            start.Environment["CLAUDE_CODE_EFFORT_LEVEL"] = level switch
            {
                ReasoningEffort.Low => "low",
                ReasoningEffort.Medium => "medium",
                ReasoningEffort.High => "high",
                _ => "max",
            };
        }

        start.Environment.Remove("ANTHROPIC_API_KEY");
        return start;
    }

    private static void SetDefault(ProcessStartInfo start, string name, string value)
    {
        if (string.IsNullOrEmpty(start.Environment.TryGetValue(name, out var existing) ? existing : null))
        {
            start.Environment[name] = value;
        }
    }

    private static async Task WriteMessagesAsync(StreamWriter input, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var withoutImages = messages.Select(m => m with
        {
            Content = m.Content.Select(b => b is ImageBlock image
                ? new TextBlock($"[Image (base64): {image.MediaType} not supported by Claude Code]")
                : b).ToList(),
        }).ToList();
        var json = JsonSerializer.Serialize(AnthropicMessageConverter.Messages(withoutImages, cache: false), ClaudeCodeJsonContext.Default.ListMessageParam);
        try
        {
            await input.WriteAsync(json.AsMemory(), cancellationToken).ConfigureAwait(false);
            await input.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The process ended before reading its input; its exit code and error output say why.
        }
        finally
        {
            input.Close();
        }
    }

    private async Task<string?> ReadLineAsync(StreamReader output, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.StreamIdleTimeout != Timeout.InfiniteTimeSpan)
        {
            idle.CancelAfter(_options.StreamIdleTimeout);
        }

        try
        {
            return await output.ReadLineAsync(idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(
                ProviderId,
                $"Claude Code printed nothing for {_options.StreamIdleTimeout.TotalSeconds:0.###} s (setting 'streamIdleTimeoutMs') and was stopped. "
                + "Raise 'streamIdleTimeoutMs' if the model pauses longer than that.",
                isRetryable: true,
                innerException: ex)
            { ErrorType = "idle_timeout" };
        }
    }

    private static async Task ReadBoundedAsync(StreamReader error, StringBuilder into, CancellationToken cancellationToken)
    {
        var buffer = new char[1024];
        try
        {
            int read;
            while ((read = await error.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                lock (into)
                {
                    into.Append(buffer, 0, Math.Min(read, Math.Max(0, MaxStderr - into.Length)));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The process was stopped: what was read is enough.
        }
    }

    private static IEnumerable<ApiStreamChunk> Chunks(AssistantMessage message)
    {
        foreach (var content in message.Content ?? [])
        {
            switch (content.Type)
            {
                case "text" when !string.IsNullOrEmpty(content.Text):
                    yield return new TextChunk(content.Text);
                    break;
                case "thinking":
                    yield return new ReasoningChunk(content.Thinking ?? "", Signature: string.IsNullOrEmpty(content.Signature) ? null : content.Signature);
                    break;
                case "redacted_thinking":
                    yield return new ReasoningChunk("", RedactedData: content.Data ?? "");
                    break;
                case "tool_use":
                    var id = content.Id ?? "";
                    yield return new ToolCallChunk(id, id, content.Name ?? "", content.Input.ValueKind == JsonValueKind.Undefined ? "{}" : content.Input.GetRawText());
                    break;
                default:
                    // Block types newer than this code: their text, if they have any.
                    if (content.Type is not ("text" or "thinking") && !string.IsNullOrEmpty(content.Text))
                    {
                        yield return new TextChunk(content.Text);
                    }

                    break;
            }
        }
    }

    /// <summary>Claude Code reports API failures as an assistant message: <c>error</c>, or text <c>API Error: 529 {json}</c>.</summary>
    private static void ThrowIfError(AssistantMessage message)
    {
        var first = message.Content is { Count: > 0 } content ? content[0].Text : null;
        if (message.Error is { } error)
        {
            throw new ProviderException(ProviderId, ServerText.Clean(first ?? $"Claude Code error: {error}"), isRetryable: false) { ErrorType = error };
        }

        if (message.StopReason is null || first is null || !first.StartsWith("API Error", StringComparison.Ordinal))
        {
            return;
        }

        var rest = first["API Error".Length..].TrimStart(':', ' ');
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        HttpStatusCode? status = int.TryParse(space > 0 ? rest[..space] : rest, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? (HttpStatusCode)code : null;
        var brace = first.IndexOf('{', StringComparison.Ordinal);
        var body = brace >= 0 ? ErrorBody.Parse(first[brace..]) : default;
        var advice = body.Message?.Contains("Invalid model name", StringComparison.Ordinal) == true
            ? " API keys and subscription plans allow different models: make sure the selected model is included in your plan."
            : "";
        throw new ProviderException(ProviderId, $"Claude Code reported: {ServerText.Clean(first)}{advice}", status) { ErrorType = body.Type ?? "api_error" };
    }

    private static StreamJsonLine? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, ClaudeCodeJsonContext.Default.StreamJsonLine);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // Never started, or already gone.
        }
    }

    /// <summary>Cline's model table for Claude Code: the Anthropic figures, without images or prompt caching (Claude Code manages its cache).</summary>
    private static ModelInfo InfoFor(string modelId)
    {
        var oneMillion = modelId.EndsWith("[1m]", StringComparison.OrdinalIgnoreCase);
        var id = oneMillion ? modelId[..^4] : modelId;
        id = id.ToLowerInvariant() switch
        {
            "sonnet" => "claude-sonnet-4-5-20250929",
            "opus" => "claude-opus-4-7",
            _ => id,
        };
        var info = AnthropicModels.Resolve(oneMillion ? id + AnthropicModels.OneMillionSuffix : id).Info;
        return info with { SupportsImages = false, SupportsPromptCache = false };
    }
}

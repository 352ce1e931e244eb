using System.Globalization;
using System.Net;
using Providers.Cli.CommandLine;
using Providers.Cli.Rendering;
using Providers.Cli.Settings;
using Providers.Cline;

namespace Providers.Cli.Chat;

/// <summary>
/// <c>providers chat</c>: one answer for a prompt given as words or piped on stdin, or an interactive conversation
/// when stdin is a terminal. Every failure is printed on stderr with secrets blanked out, and mapped to an exit code.
/// </summary>
internal sealed class ChatCommand(TextReader stdin, TextWriter stdout, TextWriter stderr, bool stdinIsTerminal, bool color)
{
    /// <summary>Used when <c>--system</c> is not given: some APIs reject an empty system prompt.</summary>
    public const string DefaultSystemPrompt = "You are a helpful assistant.";

    private IReadOnlyList<string> _secrets = [];
    private ChatSettings? _chat;

    public async Task<int> RunAsync(ChatArguments args, IDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        try
        {
            var chat = ChatSettings.Resolve(args, environment);
            _secrets = chat.Secrets;
            _chat = chat;
            var tools = args.ToolsFile is null ? null : ToolsFile.Read(args.ToolsFile);
            var handler = ProviderRegistry.Create(chat.ProviderId, chat.Settings, args.Mode, options => options.OnRetryAttempt = ReportRetry);
            var system = args.System ?? DefaultSystemPrompt;

            if (args.HistoryFile is not null || args.SaveHistoryFile is not null)
            {
                return await ContinueHistoryAsync(handler, chat.ProviderId, system, tools, args, cancellationToken).ConfigureAwait(false);
            }

            if (args.Prompt is not null || !stdinIsTerminal)
            {
                var prompt = args.Prompt ?? await ReadAllAsync(cancellationToken).ConfigureAwait(false);
                if (string.IsNullOrWhiteSpace(prompt))
                {
                    throw new UsageException("no prompt: give it as words after the options, or pipe it on stdin.");
                }

                var turn = await TurnRunner.RunAsync(handler, system, [ChatMessage.User(prompt)], tools, NewRenderer(args.Format), cancellationToken, Warn).ConfigureAwait(false);
                PrintSummary(args.Format, turn);
                return ExitCodes.Success;
            }

            return await ConverseAsync(handler, chat.ProviderId, system, tools, args, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            Error(ex.Message);
            return ExitCodes.Usage;
        }
        catch (ProviderConfigurationException ex)
        {
            Error(ex.Message + OptionHints(ex, args.Mode));
            return ExitCodes.Usage;
        }
        catch (ProviderException ex)
        {
            ReportProviderError(ex);
            return ExitCodes.ProviderError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Error("cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (IOException ex) when (IsBrokenPipe(ex))
        {
            // `providers chat ... | head`: the reader is gone. Leaving the stream disposed the response, which cancels
            // the request, so no more tokens are spent on output nobody reads.
            Error("the output was closed (broken pipe); the request was cancelled.");
            return ExitCodes.ProviderError;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Network failures arrive as ProviderException; what is left is local, such as stdout closed by `| head`.
            Error($"{ex.GetType().Name}: {ex.Message}");
            return ExitCodes.ProviderError;
        }
    }

    /// <summary>
    /// The interactive conversation: each line is a user message; the answer, its reasoning and its tool calls stay in
    /// the history. After tool calls, the result of each is asked for and sent back. Ends at end of input or <c>/exit</c>.
    /// A failed answer is reported and dropped from the history, and the conversation goes on.
    /// </summary>
    private async Task<int> ConverseAsync(IApiHandler handler, string providerId, string system, IReadOnlyList<ToolDefinition>? tools, ChatArguments args, CancellationToken cancellationToken)
    {
        stderr.WriteLine($"chatting with {providerId} ({handler.GetModel().Id}, {args.Mode.ToString().ToLowerInvariant()} mode); /exit or end of input (Ctrl+D) ends.");
        var history = new List<ChatMessage>();
        IReadOnlyList<ToolUseBlock> pendingCalls = [];
        while (true)
        {
            ChatMessage next;
            if (pendingCalls.Count > 0)
            {
                var results = new List<ContentBlock>();
                foreach (var call in pendingCalls)
                {
                    stderr.Write($"result of {call.Name} ({call.Id})> ");
                    var result = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                    if (result is null)
                    {
                        return ExitCodes.Success;
                    }

                    results.Add(new ToolResultBlock(call.Id, result));
                }

                next = new ChatMessage(ChatRole.User, results);
            }
            else
            {
                stderr.Write("> ");
                var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line is null || line.Trim() is "/exit" or "/quit")
                {
                    return ExitCodes.Success;
                }

                if (line.Trim().Length == 0)
                {
                    continue;
                }

                next = ChatMessage.User(line);
            }

            history.Add(next);
            try
            {
                var turn = await TurnRunner.RunAsync(handler, system, history, tools, NewRenderer(args.Format), cancellationToken, Warn).ConfigureAwait(false);
                PrintSummary(args.Format, turn);
                if (turn.Message is { } answer)
                {
                    history.Add(answer);
                }

                pendingCalls = turn.ToolCalls;
            }
            catch (ProviderException ex) when (ex is not ProviderConfigurationException)
            {
                ReportProviderError(ex);
                history.RemoveAt(history.Count - 1);
                pendingCalls = [];
            }
        }
    }

    /// <summary>
    /// <c>--history</c>/<c>--save-history</c>: one answer to the conversation in the history file (Cline's format) with the
    /// prompt, if any, appended; then the file to save gets the stored messages as they were read (unknown fields
    /// kept), the prompt and the answer, written atomically.
    /// </summary>
    private async Task<int> ContinueHistoryAsync(
        IApiHandler handler, string providerId, string system, IReadOnlyList<ToolDefinition>? tools, ChatArguments args, CancellationToken cancellationToken)
    {
        var stored = args.HistoryFile is null ? [] : HistoryFile.Read(args.HistoryFile);
        var prompt = args.Prompt ?? (stdinIsTerminal ? null : await ReadAllAsync(cancellationToken).ConfigureAwait(false));
        if (string.IsNullOrWhiteSpace(prompt))
        {
            if (stored.Count == 0 || stored[^1].Role != "user")
            {
                throw new UsageException(
                    "no prompt: give it as words after the options, or pipe it on stdin; with --history it may be left out only when the conversation ends with a user message (tool results, for instance).");
            }

            prompt = null;
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var appended = new List<ClineStorageMessage>();
        if (prompt is not null)
        {
            var user = ClineConversation.FromChatMessage(ChatMessage.User(prompt));
            user.Ts = now;
            appended.Add(user);
        }

        var history = ClineConversation.ToChatMessages([.. stored, .. appended]);
        var turn = await TurnRunner.RunAsync(handler, system, history, tools, NewRenderer(args.Format), cancellationToken).ConfigureAwait(false);
        PrintSummary(args.Format, turn);
        if (args.SaveHistoryFile is { } savePath)
        {
            if (turn.Message is { } answer)
            {
                appended.Add(HistoryFile.AssistantMessage(answer, history, handler.GetModel().Id, providerId, args.Mode, turn.Usage));
            }

            HistoryFile.Write(savePath, [.. stored, .. appended]);
        }

        return ExitCodes.Success;
    }

    /// <summary>For bad keys that an option sets, says which option (and, for the API key, which environment variable).</summary>
    private string OptionHints(ProviderConfigurationException ex, Mode mode)
    {
        if (_chat is null || ProviderRegistry.Find(_chat.ProviderId) is not { } descriptor)
        {
            return "";
        }

        var keys = ProviderKeys.For(descriptor, mode);
        var hints = new List<string>();
        foreach (var key in ex.Keys.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (key.Equals(keys.ModelKey, StringComparison.OrdinalIgnoreCase))
            {
                hints.Add($"--model ID sets {key}");
            }
            else if (key.Equals(keys.BaseUrlKey, StringComparison.OrdinalIgnoreCase))
            {
                hints.Add($"--base-url URL sets {key}");
            }
            else if (key.Equals(keys.ApiKeyKey, StringComparison.OrdinalIgnoreCase))
            {
                hints.Add($"--api-key KEY or the environment variable {ProviderKeys.EnvironmentVariable(descriptor, _chat.Settings)} sets {key}");
            }
        }

        return hints.Count == 0 ? "" : Environment.NewLine + "  (" + string.Join("; ", hints) + ".)";
    }

    private IChunkRenderer NewRenderer(OutputFormat format) =>
        format == OutputFormat.Jsonl ? new JsonlRenderer(stdout) : new TextRenderer(stdout, color);

    private void PrintSummary(OutputFormat format, TurnResult turn)
    {
        if (format == OutputFormat.Text)
        {
            stderr.WriteLine(Summary.Format(turn));
        }
    }

    private void ReportRetry(int attempt, int maxRetries, TimeSpan delay, Exception exception) =>
        stderr.WriteLine(Redact(string.Create(
            CultureInfo.InvariantCulture,
            $"retrying in {delay.TotalSeconds:0.0#} s (attempt {attempt} of {maxRetries}): {Reason(exception)}")));

    private void ReportProviderError(ProviderException ex)
    {
        var message = ex.Message;
        if (ex.OutputStarted)
        {
            message += " The answer above is incomplete.";
        }

        Error(message);
    }

    private void Error(string message) => stderr.WriteLine(Redact("providers: " + TextRenderer.Neutralize(message)));

    private void Warn(string message) => stderr.WriteLine(Redact("providers: " + TextRenderer.Neutralize(message)));

    // EPIPE on Linux and macOS; ERROR_NO_DATA / ERROR_BROKEN_PIPE on Windows.
    private static bool IsBrokenPipe(IOException ex) =>
        ex.HResult is 32 or unchecked((int)0x800700E8) or unchecked((int)0x8007006D)
        || ex.Message.Contains("pipe", StringComparison.OrdinalIgnoreCase);

    private string Redact(string text) => Providers.Http.ProviderHttp.Redact(text, _secrets);

    private async Task<string> ReadAllAsync(CancellationToken cancellationToken) =>
        await stdin.ReadToEndAsync(cancellationToken).ConfigureAwait(false);

    // Console.In reads synchronously whatever the API says; reading on the pool lets Ctrl+C end the wait at once.
    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        await Task.Run(stdin.ReadLine, CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The status with its reason phrase (<c>429 Too Many Requests</c>), else the error type, for the retry line.</summary>
    internal static string Reason(Exception exception) => exception switch
    {
        ProviderException { StatusCode: { } status } => $"{(int)status} {ReasonPhrase(status)}".TrimEnd(),
        ProviderException { ErrorType: { } type } => type.Replace('_', ' '),
        _ => exception.GetType().Name,
    };

    private static string ReasonPhrase(HttpStatusCode status) => (int)status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        529 => "Overloaded",
        _ => "",
    };
}

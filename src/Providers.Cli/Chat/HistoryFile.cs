using System.Text.Json;
using Providers.Cli.CommandLine;
using Providers.Cline;

namespace Providers.Cli.Chat;

/// <summary><c>--history</c> and <c>--save-history</c> files: Cline's <c>api_conversation_history.json</c>.</summary>
internal static class HistoryFile
{
    /// <exception cref="UsageException">The file is unreadable or not in that format; the message says where.</exception>
    public static List<ClineStorageMessage> Read(string path)
    {
        try
        {
            return ClineConversation.ReadFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the history file '{path}': {ex.Message}");
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : "";
            throw new UsageException(
                $"the history file '{path}' is not a conversation in Cline's api_conversation_history.json format{where}: expected a JSON array of {{\"role\", \"content\"}} messages.");
        }
    }

    /// <exception cref="UsageException">The file cannot be written.</exception>
    public static void Write(string path, IReadOnlyList<ClineStorageMessage> messages)
    {
        try
        {
            ClineConversation.WriteFile(path, messages);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write the history file '{path}': {ex.Message}");
        }
    }

    /// <summary>The answer as Cline stores it: with the model, the turn's tokens and cost, and the time.</summary>
    public static ClineStorageMessage AssistantMessage(
        ChatMessage answer, IReadOnlyList<ChatMessage> history, string modelId, string providerId, Mode mode, UsageChunk? usage)
    {
        // Converted with the conversation before it, so its tool uses are stored under the ids Cline gives them.
        var message = ClineConversation.FromChatMessages([.. history, answer])[^1];
        message.ModelInfo = new ClineMessageModelInfo { ModelId = modelId, ProviderId = providerId, Mode = mode == Mode.Plan ? "plan" : "act" };
        if (usage is not null)
        {
            message.Metrics = new ClineMessageMetrics
            {
                Tokens = new ClineTokens
                {
                    Prompt = usage.InputTokens + (usage.CacheReadTokens ?? 0) + (usage.CacheWriteTokens ?? 0),
                    Completion = usage.OutputTokens,
                    Cached = usage.CacheReadTokens ?? 0,
                },
                Cost = usage.TotalCost,
            };
        }

        message.Ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return message;
    }
}

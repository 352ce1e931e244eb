namespace Providers.Cli.CommandLine;

/// <summary>How <c>chat</c> prints the answer.</summary>
internal enum OutputFormat
{
    /// <summary>Text as it arrives, reasoning dimmed, tool calls readable, a summary line on stderr.</summary>
    Text,

    /// <summary>One JSON object per chunk, with the field names of Cline's stream chunks.</summary>
    Jsonl,
}

/// <summary>The parsed options of <c>providers chat</c>.</summary>
internal sealed class ChatArguments
{
    public string? Provider { get; set; }

    public string? Model { get; set; }

    public Mode Mode { get; set; } = Mode.Act;

    public string? BaseUrl { get; set; }

    public string? ApiKey { get; set; }

    public string? System { get; set; }

    public string? SettingsFile { get; set; }

    /// <summary>The <c>--set KEY=VALUE</c> pairs in command-line order; an empty value removes the key.</summary>
    public List<KeyValuePair<string, string>> Sets { get; } = [];

    public string? ToolsFile { get; set; }

    public OutputFormat Format { get; set; } = OutputFormat.Text;

    /// <summary><c>--history FILE</c>: the conversation to continue, in Cline's <c>api_conversation_history.json</c> format.</summary>
    public string? HistoryFile { get; set; }

    /// <summary><c>--save-history FILE</c>: where to write the conversation with the new messages appended.</summary>
    public string? SaveHistoryFile { get; set; }

    /// <summary>The prompt words, joined by spaces; <see langword="null"/> when none was given.</summary>
    public string? Prompt { get; set; }

    public bool Help { get; set; }
}

namespace Providers.Cli.CommandLine;

/// <summary>
/// Parses <c>providers chat</c> options: <c>--name value</c>, <c>--name=value</c>, <c>-p value</c>, <c>--</c> ends the
/// options, every other word is part of the prompt. Errors name the option and what it expects.
/// </summary>
internal static class ChatArgumentParser
{
    private sealed record Option(string Name, string? Short, string ValueName, bool Repeatable, Action<ChatArguments, string> Apply);

    private static readonly Option[] Options =
    [
        new("--provider", "-p", "ID", false, (a, v) => a.Provider = v),
        new("--model", "-m", "ID", false, (a, v) => a.Model = v),
        new("--mode", null, "plan|act", false, (a, v) => a.Mode = ParseMode(v)),
        new("--base-url", null, "URL", false, (a, v) => a.BaseUrl = v),
        new("--api-key", null, "KEY", false, (a, v) => a.ApiKey = v),
        new("--system", null, "TEXT", false, (a, v) => a.System = v),
        new("--settings", null, "FILE", false, (a, v) => a.SettingsFile = v),
        new("--set", null, "KEY=VALUE", true, (a, v) => a.Sets.Add(ParseSet(v))),
        new("--tools", null, "FILE", false, (a, v) => a.ToolsFile = v),
        new("--format", null, "text|jsonl", false, (a, v) => a.Format = ParseFormat(v)),
        new("--history", null, "FILE", false, (a, v) => a.HistoryFile = v),
        new("--save-history", null, "FILE", false, (a, v) => a.SaveHistoryFile = v),
    ];

    /// <summary>Every option name, for "did you mean" hints and help.</summary>
    public static IEnumerable<string> OptionNames => Options.Select(o => o.Name).Append("--help");

    public static ChatArguments Parse(IReadOnlyList<string> args)
    {
        var result = new ChatArguments();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var promptWords = new List<string>();
        var optionsEnded = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded || arg.Length < 2 || arg[0] != '-')
            {
                promptWords.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            if (arg is "-h" or "--help")
            {
                result.Help = true;
                continue;
            }

            var (name, inlineValue) = SplitInline(arg);
            var option = Find(name) ?? throw new UsageException(
                $"unknown option '{name}' for 'chat'.{EditDistance.Hint(name.TrimStart('-'), OptionNames.Select(n => n[2..]), "--")} Run 'providers chat --help' for the options.");

            string value;
            if (inlineValue is not null)
            {
                value = inlineValue;
            }
            else if (i + 1 < args.Count && !IsOption(args[i + 1]))
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"option '{option.Name}' needs a value: {option.Name} {option.ValueName}.");
            }

            if (!option.Repeatable && !seen.Add(option.Name))
            {
                throw new UsageException($"option '{option.Name}' was given more than once; give it once.");
            }

            option.Apply(result, value);
        }

        result.Prompt = promptWords.Count == 0 ? null : string.Join(' ', promptWords);
        return result;
    }

    private static Option? Find(string name)
    {
        foreach (var option in Options)
        {
            if (name == option.Name || name == option.Short)
            {
                return option;
            }
        }

        return null;
    }

    // Only the long form takes an inline value: "-p=x" would more likely be a typo than a convention here.
    private static (string Name, string? Value) SplitInline(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 2 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    // A following word that is itself a known option means the value was forgotten; "-" alone or "-5" are values.
    private static bool IsOption(string next) => next == "--" || next is "-h" or "--help" || Find(SplitInline(next).Name) is not null;

    private static Mode ParseMode(string value) => value.Trim().ToLowerInvariant() switch
    {
        "plan" => Mode.Plan,
        "act" => Mode.Act,
        _ => throw new UsageException($"option '--mode' got '{value}': expected plan or act."),
    };

    private static OutputFormat ParseFormat(string value) => value.Trim().ToLowerInvariant() switch
    {
        "text" => OutputFormat.Text,
        "jsonl" => OutputFormat.Jsonl,
        _ => throw new UsageException($"option '--format' got '{value}': expected text or jsonl."),
    };

    private static KeyValuePair<string, string> ParseSet(string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || value[..equals].Trim().Length == 0)
        {
            // The value is not echoed: it may be a key pasted without its name.
            throw new UsageException("option '--set' needs KEY=VALUE with a key before the '=', for example --set ollamaApiOptionsCtxNum=8192.");
        }

        return new(value[..equals].Trim(), value[(equals + 1)..]);
    }
}

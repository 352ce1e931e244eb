using System.Globalization;
using System.Text;
using Providers.Cli.Chat;

namespace Providers.Cli.Rendering;

/// <summary>The one line printed on stderr after an answer: tokens, cost, time to first token, output speed.</summary>
internal static class Summary
{
    public static string Format(TurnResult turn)
    {
        var line = new StringBuilder();
        if (turn.Usage is { } usage)
        {
            line.Append(CultureInfo.InvariantCulture, $"{usage.InputTokens} in / {usage.OutputTokens} out tokens");
            if (usage.CacheReadTokens is not null || usage.CacheWriteTokens is not null)
            {
                line.Append(CultureInfo.InvariantCulture, $", cache {usage.CacheReadTokens ?? 0} read / {usage.CacheWriteTokens ?? 0} written");
            }

            if (usage.TotalCost is { } cost)
            {
                line.Append(", cost $").Append(cost.ToString("0.######", CultureInfo.InvariantCulture));
            }
        }
        else
        {
            line.Append("usage not reported");
        }

        if (turn.FirstToken is { } first)
        {
            line.Append(", first token ").Append(Duration(first));
            var streaming = turn.Elapsed - first;
            if (turn.Usage is { OutputTokens: > 0 } counted && streaming > TimeSpan.FromMilliseconds(1))
            {
                line.Append(", ").Append((counted.OutputTokens / streaming.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture)).Append(" tokens/s");
            }
        }

        return line.ToString();
    }

    public static string Duration(TimeSpan span) => span.TotalSeconds < 10
        ? span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms"
        : span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}

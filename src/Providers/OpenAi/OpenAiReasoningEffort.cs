namespace Providers.OpenAi;

/// <summary>
/// The <c>reasoning_effort</c> a reasoning model takes, from what was asked. OpenAI documents different levels per
/// model: o-series <c>low</c>/<c>medium</c>/<c>high</c>; gpt-5 (and mini, nano) adds <c>minimal</c>; gpt-5.1 takes
/// <c>none</c>/<c>low</c>/<c>medium</c>/<c>high</c>; gpt-5.2 and later add <c>xhigh</c>; the codex models take no
/// <c>none</c>; gpt-5-pro takes only <c>high</c>. A level the model does not take is never sent: the nearest one it
/// takes is, upwards for <c>none</c>/<c>minimal</c> and downwards for <c>xhigh</c>.
/// </summary>
internal static class OpenAiReasoningEffort
{
    /// <summary>The levels in increasing order.</summary>
    private static readonly string[] Levels = ["none", "minimal", "low", "medium", "high", "xhigh"];

    /// <summary>The level to send to <paramref name="modelId"/> for a configured value; unknown values are <c>medium</c> (OpenAI's default, and Cline's).</summary>
    public static string For(string modelId, string? configured)
    {
        var value = string.IsNullOrWhiteSpace(configured) ? "medium" : configured.Trim().ToLowerInvariant();
        return For(modelId, Array.IndexOf(Levels, value) is >= 0 and var level ? level : 3);
    }

    /// <summary>The level to send to <paramref name="modelId"/> for a <see cref="ReasoningEffort"/> override.</summary>
    public static string For(string modelId, ReasoningEffort effort) => For(modelId, effort switch
    {
        ReasoningEffort.None => 0,
        ReasoningEffort.Low => 2,
        ReasoningEffort.Medium => 3,
        ReasoningEffort.High => 4,
        _ => 5,
    });

    private static string For(string modelId, int requested)
    {
        var supported = SupportedBy(modelId);
        if (supported[requested])
        {
            return Levels[requested];
        }

        if (requested < 3)
        {
            for (var i = requested + 1; i < Levels.Length; i++)
            {
                if (supported[i])
                {
                    return Levels[i];
                }
            }
        }

        for (var i = requested - 1; i >= 0; i--)
        {
            if (supported[i])
            {
                return Levels[i];
            }
        }

        return "high";
    }

    /// <summary>Which of <see cref="Levels"/> the model takes, from its id (any vendor prefix such as <c>openai/</c> ignored).</summary>
    private static bool[] SupportedBy(string modelId)
    {
        var id = modelId[(modelId.LastIndexOf('/') + 1)..].ToLowerInvariant();
        //                 none   minimal low   medium high  xhigh
        bool[] oSeries = [false, false, true, true, true, false];
        if (!id.StartsWith("gpt-5", StringComparison.Ordinal))
        {
            return oSeries;
        }

        if (id.StartsWith("gpt-5-pro", StringComparison.Ordinal))
        {
            return [false, false, false, false, true, false];
        }

        var codex = id.Contains("codex", StringComparison.Ordinal);
        var minor = MinorVersion(id);
        if (minor == 0)
        {
            return codex ? oSeries : [false, true, true, true, true, false];
        }

        if (minor == 1)
        {
            return id.Contains("codex-max", StringComparison.Ordinal) ? [false, false, true, true, true, true]
                : codex ? oSeries
                : [true, false, true, true, true, false];
        }

        return [!codex, false, true, true, true, true];
    }

    /// <summary>The <c>x</c> of <c>gpt-5.x</c>, 0 for <c>gpt-5</c> and <c>gpt-5-…</c>.</summary>
    private static int MinorVersion(string id)
    {
        if (id.Length < 7 || id[5] != '.')
        {
            return 0;
        }

        var end = 6;
        while (end < id.Length && char.IsAsciiDigit(id[end]))
        {
            end++;
        }

        return int.TryParse(id.AsSpan(6, end - 6), System.Globalization.CultureInfo.InvariantCulture, out var minor) ? minor : 0;
    }
}

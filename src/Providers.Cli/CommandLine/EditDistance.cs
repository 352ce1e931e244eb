namespace Providers.Cli.CommandLine;

/// <summary>Finds the known name nearest to a mistyped one, for "did you mean" hints.</summary>
internal static class EditDistance
{
    /// <summary>The Levenshtein distance, ignoring case.</summary>
    public static int Between(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var same = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]);
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (same ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>
    /// The candidate nearest to <paramref name="name"/>, or <see langword="null"/> when even the nearest differs in more
    /// than about half of its letters (a suggestion that far off misleads more than it helps).
    /// </summary>
    public static string? Nearest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Between(name, candidate);
            if (distance < bestDistance || (distance == bestDistance && best is not null && string.CompareOrdinal(candidate, best) < 0))
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best is not null && bestDistance <= Math.Max(2, name.Length / 2) ? best : null;
    }

    /// <summary><c> Did you mean 'x'?</c>, or nothing.</summary>
    public static string Hint(string name, IEnumerable<string> candidates, string prefix = "") =>
        Nearest(name, candidates) is { } nearest ? $" Did you mean '{prefix}{nearest}'?" : "";
}

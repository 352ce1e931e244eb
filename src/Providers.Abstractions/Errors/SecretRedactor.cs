using System.Collections.Concurrent;

namespace Providers;

/// <summary>
/// The one redaction rule of the library: a configured secret (an API key, a secret-marked setting, a custom header
/// value, the user information of a base URL), or any prefix of it of <see cref="MinimumPrefixLength"/> or more
/// characters, is replaced by <c>[redacted]</c>, whatever its letter case. Applied to every exception message,
/// <see cref="Exception.ToString"/>, error type, log line and telemetry tag the library writes.
/// </summary>
/// <remarks>
/// A prefix counts because a server that echoes a key in an error body may be cut off mid-key, and a partial key is
/// still a leak; case is ignored because servers upper-case what they echo. Secrets shorter than the minimum prefix
/// are redacted only where they occur whole, and values shorter than four characters not at all (they would blank
/// ordinary words).
/// </remarks>
public sealed class SecretRedactor
{
    /// <summary>The shortest prefix of a secret that is redacted on its own.</summary>
    public const int MinimumPrefixLength = 8;

    /// <summary>What a redacted secret is replaced with.</summary>
    public const string Replacement = "[redacted]";

    private const int MinimumSecretLength = 4;
    private const int MaxSecrets = 256;

    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);

    /// <summary>Whether no secret is known.</summary>
    public bool IsEmpty => _secrets.IsEmpty;

    /// <summary>Adds a secret; blank and very short values are ignored.</summary>
    public void Add(string? secret)
    {
        // Every request adds its options' secrets again: a known one is found without a lock, while Count takes them all.
        if (secret is null || secret.Length < MinimumSecretLength || _secrets.ContainsKey(secret) || string.IsNullOrWhiteSpace(secret)
            || _secrets.Count >= MaxSecrets)
        {
            return;
        }

        _secrets.TryAdd(secret, 0);
    }

    /// <summary>Adds the user information (<c>user:password</c>) of <paramref name="uri"/> and its password alone.</summary>
    public void AddUserInfo(Uri? uri)
    {
        // No '@', no user information: the common case is told without parsing the address's components.
        if (uri is not { IsAbsoluteUri: true } || !uri.OriginalString.Contains('@', StringComparison.Ordinal) || uri.UserInfo.Length == 0)
        {
            return;
        }

        var userInfo = Uri.UnescapeDataString(uri.UserInfo);
        Add(uri.UserInfo);
        Add(userInfo);
        if (userInfo.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
        {
            Add(userInfo[(colon + 1)..]);
        }
    }

    /// <summary>Redacts every known secret from <paramref name="text"/>.</summary>
    public string Redact(string text) => IsEmpty ? text : Redact(text, _secrets.Keys);

    /// <summary>Redacts each of <paramref name="secrets"/>, and each prefix of 8 or more characters of one, from <paramref name="text"/>, ignoring case.</summary>
    public static string Redact(string text, IEnumerable<string?>? secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (secrets is null || text.Length == 0)
        {
            return text;
        }

        foreach (var secret in secrets)
        {
            if (secret is not null && secret.Length >= MinimumSecretLength && !string.IsNullOrWhiteSpace(secret))
            {
                text = RedactOne(text, secret);
            }
        }

        return text;
    }

    /// <summary>Redacts, then cuts to <paramref name="maxLength"/> characters (redacting first, so a cut never leaves part of a secret).</summary>
    public static string RedactAndTruncate(string text, IEnumerable<string?>? secrets, int maxLength)
    {
        var redacted = Redact(text, secrets);
        return redacted.Length <= maxLength ? redacted : redacted[..maxLength] + "…";
    }

    private static string RedactOne(string text, string secret)
    {
        var probe = secret.Length >= MinimumPrefixLength ? secret.AsSpan(0, MinimumPrefixLength) : secret.AsSpan();
        var first = text.AsSpan().IndexOf(probe, StringComparison.OrdinalIgnoreCase);
        if (first < 0)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length);
        var position = 0;
        var at = first;
        while (at >= 0)
        {
            // Extend the match as far as the text keeps following the secret.
            var length = probe.Length;
            while (length < secret.Length && at + length < text.Length
                && char.ToUpperInvariant(text[at + length]) == char.ToUpperInvariant(secret[length]))
            {
                length++;
            }

            builder.Append(text, position, at - position).Append(Replacement);
            position = at + length;
            var next = text.AsSpan(position).IndexOf(probe, StringComparison.OrdinalIgnoreCase);
            at = next < 0 ? -1 : position + next;
        }

        builder.Append(text, position, text.Length - position);
        return builder.ToString();
    }
}

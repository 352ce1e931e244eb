using System.Globalization;
using System.Text;

namespace Providers;

/// <summary>
/// The one home for text a server chose (an error message, an error type, a reason phrase) on its way into an exception
/// message, <see cref="ProviderException.ErrorType"/>, a log line or a telemetry tag. Every byte from a server is
/// untrusted: such text is bounded in length, cannot forge a log line or drive a terminal, and secrets stay redacted.
/// </summary>
/// <remarks>
/// <para>
/// <b>Control characters.</b> Line breaks (CR, LF, NEL, U+2028, U+2029), tabs and form feeds become one space, so a
/// message cannot start a fake log line. Every other C0 or C1 control character (ESC, and so ANSI/VT escape sequences),
/// DEL, the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) and Unicode
/// noncharacters are written as a visible <c>\uXXXX</c>; a lone surrogate becomes U+FFFD.
/// </para>
/// <para>
/// <b>Length.</b> A server's text is shown up to <see cref="MaxLength"/> (2,000) characters, then
/// <c>… [cut: 2000 of N characters shown]</c>. The cut is made after redaction, on the whole text, so a secret that
/// straddles the cut is redacted whole and no part of it survives: <see cref="Clean(string?)"/> marks the text, and
/// <see cref="ProviderException.Message"/> redacts the whole message with the provider's secrets before it cuts
/// (<see cref="Render"/>). At most <see cref="RetainedLength"/> characters are kept in memory at all.
/// </para>
/// <para>
/// <b>Error types.</b> <see cref="ErrorTypeToken"/> keeps a server's error type as written when it is a short token of
/// <c>[A-Za-z0-9_.-]</c> (at most <see cref="MaxErrorTypeLength"/> characters, so <c>ThrottlingException</c> and
/// <c>RESOURCE_EXHAUSTED</c> read as the providers document them); anything else becomes <see cref="FallbackErrorType"/>.
/// </para>
/// </remarks>
public static class ServerText
{
    /// <summary>How many characters of one server text a message shows (2,000).</summary>
    public const int MaxLength = 2000;

    /// <summary>How many characters of one server text are kept at all, before redaction and the cut (8,000).</summary>
    public const int RetainedLength = 4 * MaxLength;

    /// <summary>The longest <see cref="ProviderException.ErrorType"/> (64 characters).</summary>
    public const int MaxErrorTypeLength = 64;

    /// <summary>The error type given for a server's error type that is not a short <c>[A-Za-z0-9_.-]</c> token.</summary>
    public const string FallbackErrorType = "unrecognized_error";

    // Unicode noncharacters, "for internal use": they mark server text inside a message until it is rendered. Any a
    // server sends are escaped by Neutralize, so a server cannot forge or close a mark.
    private const char Open = '\uFDD0';
    private const char Close = '\uFDD1';
    private const char LengthMark = '\uFDD2';

    /// <summary>
    /// Marks <paramref name="text"/>, a server's text, for a <see cref="ProviderException"/> message: control characters
    /// neutralised, at most <see cref="RetainedLength"/> characters kept. The exception's <see cref="ProviderException.Message"/>
    /// redacts and then cuts it to <see cref="MaxLength"/>; anywhere else, pass the result through <see cref="Render"/>.
    /// </summary>
    /// <param name="text">The server's text; <see langword="null"/> or empty gives an empty string.</param>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var original = text.Length;
        var kept = original > RetainedLength ? text.AsSpan(0, RetainedLength) : text.AsSpan();
        var builder = new StringBuilder(kept.Length + 16);
        builder.Append(Open);
        Neutralize(kept, builder);
        if (builder.Length - 1 > MaxLength || original > RetainedLength)
        {
            builder.Append(LengthMark).Append(original.ToString(CultureInfo.InvariantCulture));
        }

        return builder.Append(Close).ToString();
    }

    /// <summary>
    /// Redacts <paramref name="secrets"/> from the whole of <paramref name="text"/>, then neutralises control characters
    /// and cuts to <paramref name="maxLength"/> characters: for server text that goes straight into a log line or a
    /// message part that is not rendered later (a reason phrase, say).
    /// </summary>
    /// <param name="text">The server's text.</param>
    /// <param name="secrets">The secrets to redact first; <see langword="null"/> for none.</param>
    /// <param name="maxLength">The most characters shown; at least 1.</param>
    public static string Clean(string? text, SecretRedactor? secrets, int maxLength = MaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var original = text.Length;
        // Redaction runs on everything that could be shown plus a secret's worth beyond it, so a secret across the cut goes whole.
        if (text.Length > RetainedLength + maxLength)
        {
            text = text[..(RetainedLength + maxLength)];
        }

        if (secrets is { IsEmpty: false })
        {
            text = secrets.Redact(text);
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 48);
        Neutralize(text, builder);
        Cut(builder, 0, maxLength, original);
        return builder.ToString();
    }

    /// <summary>
    /// Renders the server texts marked by <see cref="Clean(string?)"/> in <paramref name="message"/>: each cut to
    /// <see cref="MaxLength"/> characters with a note of its full length. Redact <paramref name="message"/> before, never after.
    /// </summary>
    public static string Render(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var open = message.IndexOf(Open, StringComparison.Ordinal);
        if (open < 0)
        {
            return message;
        }

        var builder = new StringBuilder(Math.Min(message.Length, 2 * MaxLength));
        var position = 0;
        while (open >= 0)
        {
            builder.Append(message, position, open - position);
            var close = message.IndexOf(Close, open + 1);
            var end = close < 0 ? message.Length : close;
            var segment = message.AsSpan(open + 1, end - open - 1);
            var original = -1;
            if (segment.LastIndexOf(LengthMark) is var mark and >= 0)
            {
                original = int.TryParse(segment[(mark + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
                segment = segment[..mark];
            }

            var start = builder.Length;
            builder.Append(segment);
            Cut(builder, start, MaxLength, original < 0 ? segment.Length : original);
            position = close < 0 ? message.Length : close + 1;
            open = position < message.Length ? message.IndexOf(Open, position) : -1;
        }

        builder.Append(message, position, message.Length - position);
        // Marks never leave: a stray one (a message assembled by hand) is dropped.
        return builder.Replace(Close.ToString(), "").Replace(LengthMark.ToString(), "").ToString();
    }

    /// <summary>
    /// <paramref name="value"/> as an error type: kept exactly as the server wrote it when it is a token of ASCII letters,
    /// digits, <c>_</c>, <c>-</c> and <c>.</c> that starts with a letter or digit and has at most
    /// <see cref="MaxErrorTypeLength"/> characters (<c>ThrottlingException</c>, <c>RESOURCE_EXHAUSTED</c>,
    /// <c>overloaded_error</c>, the names the providers document); <see cref="FallbackErrorType"/> otherwise. Redact
    /// before: a redacted key's brackets make the fallback.
    /// </summary>
    public static string ErrorTypeToken(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length is 0 or > MaxErrorTypeLength || !char.IsAsciiLetterOrDigit(value[0]))
        {
            return FallbackErrorType;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                return FallbackErrorType;
            }
        }

        return value;
    }

    /// <summary>Whether <paramref name="c"/> is written as <c>\uXXXX</c> by <see cref="Clean(string?)"/>.</summary>
    internal static bool IsEscaped(char c) =>
        c < ' ' || (c >= '\u007f' && c <= '\u009f')
        || c is '\u061c' or '\u200e' or '\u200f' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069')
        || c is (>= '\ufdd0' and <= '\ufdef') or '\ufffe' or '\uffff';

    private static bool IsBreak(char c) => c is '\r' or '\n' or '\t' or '\v' or '\f' or '\u0085' or '\u2028' or '\u2029';

    private static void Neutralize(ReadOnlySpan<char> text, StringBuilder builder)
    {
        var lastWasBreak = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsBreak(c))
            {
                if (!lastWasBreak)
                {
                    builder.Append(' ');
                }

                lastWasBreak = true;
                continue;
            }

            lastWasBreak = false;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                builder.Append('\uFFFD');
            }
            else if (IsEscaped(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
    }

    // Cuts what follows `start` in the builder to `max` characters (never between the halves of a surrogate pair) and notes it.
    private static void Cut(StringBuilder builder, int start, int max, int original)
    {
        var length = builder.Length - start;
        if (length <= max && original <= max)
        {
            return;
        }

        if (length > max)
        {
            var keep = max;
            if (char.IsHighSurrogate(builder[start + keep - 1]))
            {
                keep--;
            }

            builder.Length = start + keep;
        }

        var shown = builder.Length - start;
        builder.Append("… [cut: ").Append(shown.ToString(CultureInfo.InvariantCulture))
            .Append(" of ").Append(Math.Max(original, length).ToString(CultureInfo.InvariantCulture)).Append(" characters shown]");
    }
}

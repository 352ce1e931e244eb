// Compiled into Providers.Abstractions (the runtime) and Providers.Generators (generator and analyzers) through
// <Compile Include Link>: the enum names a settings error lists and those a generated descriptor shows must agree.
namespace Providers.Common;

/// <summary>Lower kebab-case of identifiers and free text: <c>PayAsYouGo</c> -> <c>pay-as-you-go</c>.</summary>
internal static class KebabCase
{
    /// <summary>
    /// Splits at camelCase and PascalCase word boundaries (<c>customProvider</c>, <c>HTTPServer</c> -> <c>http-server</c>)
    /// and at any character that is not an ASCII letter or digit, which is dropped; hyphens never repeat or trail.
    /// </summary>
    public static string Convert(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsAsciiLetterOrDigit(c))
            {
                AppendHyphen(builder);
                continue;
            }

            if (IsUpper(c) && i > 0 && StartsWord(text, i))
            {
                AppendHyphen(builder);
            }

            builder.Append(IsUpper(c) ? (char)(c + ('a' - 'A')) : c);
        }

        while (builder.Length > 0 && builder[builder.Length - 1] == '-')
        {
            builder.Length--;
        }

        return builder.ToString();
    }

    // An upper-case letter starts a word after a lower-case letter or digit, or as the last capital of an acronym: HTTP|Server.
    private static bool StartsWord(string text, int i)
    {
        var previous = text[i - 1];
        return IsLower(previous) || IsDigit(previous) || (IsUpper(previous) && i + 1 < text.Length && IsLower(text[i + 1]));
    }

    private static void AppendHyphen(System.Text.StringBuilder builder)
    {
        if (builder.Length > 0 && builder[builder.Length - 1] != '-')
        {
            builder.Append('-');
        }
    }

    private static bool IsUpper(char c) => c >= 'A' && c <= 'Z';

    private static bool IsLower(char c) => c >= 'a' && c <= 'z';

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static bool IsAsciiLetterOrDigit(char c) => IsUpper(c) || IsLower(c) || IsDigit(c);
}

using System.Text;
using Providers.Generators.Parsing;

namespace Providers.Generators.Analyzers;

/// <summary>Suggests a valid provider id for an invalid one.</summary>
internal static class ProviderIds
{
    /// <summary>
    /// <c>My_Provider</c> -> <c>my-provider</c>, <c>customProvider</c> -> <c>custom-provider</c>; when nothing usable is left,
    /// the class name without its <c>Handler</c> suffix: <c>CustomProviderHandler</c> -> <c>custom-provider</c>.
    /// </summary>
    public static string Suggest(string? id, string typeName)
    {
        var fromId = Kebab(id ?? "");
        if (SettingKeys.IsValidId(fromId))
        {
            return fromId;
        }

        var stem = typeName.EndsWith("Handler", System.StringComparison.Ordinal) && typeName.Length > "Handler".Length
            ? typeName.Substring(0, typeName.Length - "Handler".Length)
            : typeName;
        var fromType = Kebab(stem);
        return SettingKeys.IsValidId(fromType) ? fromType : "my-provider";
    }

    private static string Kebab(string text)
    {
        var builder = new StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var isAsciiLetterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!isAsciiLetterOrDigit)
            {
                AppendHyphen(builder);
                continue;
            }

            // A word boundary inside camelCase or PascalCase: customProvider, HTTPServer.
            if (c >= 'A' && c <= 'Z' && i > 0
                && (char.IsLower(text[i - 1]) || char.IsDigit(text[i - 1]) || (char.IsUpper(text[i - 1]) && i + 1 < text.Length && char.IsLower(text[i + 1]))))
            {
                AppendHyphen(builder);
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        while (builder.Length > 0 && builder[builder.Length - 1] == '-')
        {
            builder.Length--;
        }

        return builder.ToString();
    }

    private static void AppendHyphen(StringBuilder builder)
    {
        if (builder.Length > 0 && builder[builder.Length - 1] != '-')
        {
            builder.Append('-');
        }
    }
}

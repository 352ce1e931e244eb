using System.Text;

namespace Providers.Generators.Parsing;

/// <summary>
/// Derives settings keys: provider id in camelCase plus property name (<c>custom-provider</c> + <c>ApiKey</c> ->
/// <c>customProviderApiKey</c>); per-mode keys get <c>planMode</c>/<c>actMode</c> in front
/// (<c>planModeCustomProviderModelId</c>); an explicit key replaces the derived one; a duration gets an <c>Ms</c> suffix.
/// </summary>
internal static class SettingKeys
{
    public static string CamelId(string providerId)
    {
        var builder = new StringBuilder(providerId.Length);
        var upperNext = false;
        foreach (var c in providerId)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upperNext = builder.Length > 0;
                continue;
            }

            builder.Append(upperNext ? char.ToUpperInvariant(c) : builder.Length == 0 ? char.ToLowerInvariant(c) : c);
            upperNext = false;
        }

        return builder.ToString();
    }

    public static string Pascal(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

    public static (string Plan, string Act) Derive(string providerId, string propertyName, string? explicitKey, bool perMode, bool isDuration)
    {
        string baseKey;
        if (explicitKey is not null)
        {
            baseKey = explicitKey;
        }
        else
        {
            var suffix = isDuration && !propertyName.EndsWith("Ms", System.StringComparison.Ordinal) ? "Ms" : "";
            baseKey = CamelId(providerId) + propertyName + suffix;
        }

        if (!perMode)
        {
            return (baseKey, baseKey);
        }

        var pascal = Pascal(baseKey);
        return ("planMode" + pascal, "actMode" + pascal);
    }

    /// <summary>Provider id in PascalCase, for member names: <c>custom-provider</c> -> <c>CustomProvider</c>.</summary>
    public static string MemberStem(string providerId)
    {
        var camel = CamelId(providerId);
        return camel.Length == 0 ? "Provider" : char.IsDigit(camel[0]) ? "P" + camel : Pascal(camel);
    }

    /// <summary>Whether a provider id is lower kebab-case: <c>a-z</c> and <c>0-9</c> in words joined by single hyphens.</summary>
    public static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id![0] == '-' || id[id.Length - 1] == '-')
        {
            return false;
        }

        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            var ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && id[i - 1] != '-');
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}

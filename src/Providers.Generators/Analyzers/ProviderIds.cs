using Providers.Common;
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
        var fromId = KebabCase.Convert(id ?? "");
        if (SettingKeys.IsValidId(fromId))
        {
            return fromId;
        }

        var fromType = KebabCase.Convert(KnownNames.HandlerStem(typeName));
        return SettingKeys.IsValidId(fromType) ? fromType : "my-provider";
    }
}

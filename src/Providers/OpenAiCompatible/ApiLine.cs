namespace Providers.OpenAiCompatible;

/// <summary>
/// The regional API line some providers offer (Cline's <c>qwenApiLine</c>, <c>zaiApiLine</c>, <c>moonshotApiLine</c>,
/// <c>minimaxApiLine</c>): <c>china</c> for the mainland endpoint, <c>international</c> for the other.
/// </summary>
internal static class ApiLine
{
    public const string China = "china";

    public const string International = "international";

    /// <summary>Whether <paramref name="value"/> names the mainland line; <paramref name="whenUnset"/> when it is empty.</summary>
    public static bool IsChina(string? value, bool whenUnset = false) =>
        string.IsNullOrWhiteSpace(value) ? whenUnset : value.Trim().Equals(China, StringComparison.OrdinalIgnoreCase);
}

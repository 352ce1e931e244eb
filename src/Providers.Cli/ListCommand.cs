using System.Text;

namespace Providers.Cli;

/// <summary><c>providers list</c>: every registered provider and its settings keys, straight from the generated registry.</summary>
internal static class ListCommand
{
    public static string Render()
    {
        var text = new StringBuilder();
        foreach (var provider in ProviderRegistry.Providers)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(provider.Id).Append(" (").Append(provider.DisplayName).Append(")\n");
            var rows = provider.Settings.Select(s => (Key: s.PerMode ? $"{s.PlanModeKey}, {s.ActModeKey}" : s.PlanModeKey, Setting: s)).ToList();
            var keyWidth = rows.Max(r => r.Key.Length);
            var typeWidth = rows.Max(r => r.Setting.TypeName.Length);
            foreach (var (key, setting) in rows)
            {
                var line = $"  {key.PadRight(keyWidth)}  {setting.TypeName.PadRight(typeWidth)}  {Flags(setting)}";
                text.Append(line.TrimEnd()).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Flags(SettingDescriptor setting)
    {
        var flags = new List<string>(3);
        if (setting.Required)
        {
            flags.Add("required");
        }

        if (setting.PerMode)
        {
            flags.Add("per-mode");
        }

        if (setting.IsSecret)
        {
            flags.Add("secret");
        }

        return string.Join(", ", flags);
    }
}

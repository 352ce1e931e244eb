using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Text;
using Providers.Generators.Models;
using static Providers.Generators.Emitting.CodeWriter;

namespace Providers.Generators.Emitting;

/// <summary>
/// Writes the public factory class of an assembly that declares providers: per provider a settings binder, a factory
/// and a descriptor, plus the <c>[assembly: ProviderFactory]</c> attributes that let referencing assemblies find them.
/// </summary>
internal static class FactoriesEmitter
{
    public static SourceText Emit(CompilationModel compilation, ImmutableArray<ProviderModel> providers)
    {
        var factoryType = "global::Providers.Generated." + compilation.FactoriesTypeName;
        var w = new CodeWriter().Header();
        foreach (var p in providers)
        {
            w.Line($"[assembly: global::Providers.ProviderFactory({Quote(p.Id)}, typeof({factoryType}), \"Create{p.MemberStem}\", \"{p.MemberStem}Descriptor\")]");
        }

        w.Line();
        w.Open("namespace Providers.Generated");
        w.Line($"/// <summary>Factories, settings binders and descriptors of the providers declared in {Xml(compilation.AssemblyName)}.</summary>");
        w.Line(CodeWriter.GeneratedCodeAttribute);
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open($"public static class {compilation.FactoriesTypeName}");
        var first = true;
        foreach (var p in providers)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            EmitProvider(w, p);
        }

        w.Close();
        w.Close();
        return w.ToSourceText();
    }

    // Every line is written in place (see CodeWriter.LineHandler): this file grows with every provider of the assembly.
    private static void EmitProvider(CodeWriter w, ProviderModel p)
    {
        var options = p.OptionsTypeName;
        w.Line($"/// <summary>Creates the '{Xml(p.Id)}' provider (<see cref=\"{Xml(p.HandlerTypeName)}\"/>) with options bound from <paramref name=\"settings\"/> for <paramref name=\"mode\"/>.</summary>");
        w.Line("/// <exception cref=\"global::Providers.ProviderConfigurationException\">A required setting is missing or a value is invalid; lists every such key.</exception>");
        w.Line("/// <param name=\"settings\">Flat settings.</param>");
        w.Line("/// <param name=\"mode\">Which per-mode keys to read.</param>");
        w.Line("/// <param name=\"configure\">Sets what settings cannot hold (callbacks, clock, logger, HTTP client) after binding and before the handler is created.</param>");
        w.Open($"public static global::Providers.IApiHandler Create{p.MemberStem}(global::Providers.ProviderSettings settings, global::Providers.Mode mode, global::System.Action<global::Providers.ProviderOptions>? configure = null)");
        w.Line($"var options = Bind{p.MemberStem}Options(settings, mode);");
        w.Line("configure?.Invoke(options);");
        w.Line($"return new {p.HandlerTypeName}(options);");
        w.Close();
        w.Line();

        w.Line($"/// <summary>Binds <see cref=\"{Xml(options)}\"/> from flat settings for <paramref name=\"mode\"/>, reporting every missing or invalid key at once.</summary>");
        w.Line("/// <exception cref=\"global::Providers.ProviderConfigurationException\">A required setting is missing or a value is invalid; lists every such key.</exception>");
        w.Open($"{(p.OptionsArePublic ? "public" : "internal")} static {options} Bind{p.MemberStem}Options(global::Providers.ProviderSettings settings, global::Providers.Mode mode)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(settings);");
        foreach (var s in p.Settings)
        {
            if (s.PerMode)
            {
                w.Line("var plan = mode == global::Providers.Mode.Plan;");
                break;
            }
        }

        w.Line($"var binder = new global::Providers.Settings.SettingsBinder(settings, {Quote(p.Id)});");
        w.Line($"var defaults = new {options}();");
        w.Open($"var options = new {options}");
        foreach (var s in p.Settings)
        {
            WriteRead(w, s);
        }

        w.Close(";");
        w.Line("binder.ThrowIfInvalid();");
        w.Line("return options;");
        w.Close();
        w.Line();

        w.Line($"/// <summary>What the '{Xml(p.Id)}' provider is and which settings it reads.</summary>");
        w.Line($"public static global::Providers.ProviderDescriptor {p.MemberStem}Descriptor {{ get; }} = new(");
        w.Line($"    Id: {Quote(p.Id)},");
        w.Line($"    DisplayName: {Quote(p.DisplayName)},");
        w.Line($"    HandlerTypeName: {Quote(p.HandlerMetadataName)},");
        if (p.Settings.Count == 0)
        {
            w.Line("    Settings: []);");
            return;
        }

        // One line per setting: a shared setting names its one key, a per-mode one its Plan and Act keys; flags that
        // are false are left out (the factories' defaults), the rest named.
        w.Line("    Settings:");
        w.Line("    [");
        var shared = StartsWithProviderOptionsSettings(p.Settings);
        if (shared)
        {
            w.Line("        .. global::Providers.SettingDescriptor.ProviderOptionsSettings,");
        }

        for (var i = shared ? ProviderOptionsSettings.Length : 0; i < p.Settings.Count; i++)
        {
            WriteDescriptor(w, p.Settings[i]);
        }

        w.Line("    ]);");
    }

    // SettingDescriptor.Shared("Name", "type", key: "k", ...) or SettingDescriptor.ByMode("Name", "type", plan: "p", act: "a", ...).
    private static void WriteDescriptor(CodeWriter w, SettingModel s)
    {
        if (s.PerMode)
        {
            w.Write($"        global::Providers.SettingDescriptor.ByMode({Quote(s.PropertyName)}, {Quote(s.Description)}, plan: {Quote(s.PlanModeKey)}, act: {Quote(s.ActModeKey)}");
        }
        else
        {
            w.Write($"        global::Providers.SettingDescriptor.Shared({Quote(s.PropertyName)}, {Quote(s.Description)}, key: {Quote(s.PlanModeKey)}");
        }

        w.Write(s.Required ? ", required: true" : "");
        w.Write(s.IsSecret ? ", isSecret: true" : "");
        if (s.EnvironmentVariables.Count == 0)
        {
            w.Line("),");
            return;
        }

        w.Line(",");
        w.Write("            environmentVariables: [");
        var first = true;
        foreach (var v in s.EnvironmentVariables)
        {
            w.Write(first ? "" : ", ");
            first = false;
            if (v.WhenSettingSet is null)
            {
                w.Write($"new({Quote(v.Name)})");
            }
            else
            {
                w.Write($"new({Quote(v.Name)}, WhenSettingSet: {Quote(v.WhenSettingSet)})");
            }
        }

        w.Line("]),");
    }

    // What SettingDescriptor.ProviderOptionsSettings (Providers.Abstractions) holds: the descriptors of ProviderOptions'
    // own settings. A test keeps the two lists and ProviderOptions' attributes in step.
    internal static readonly (string Name, string Description, string Key)[] ProviderOptionsSettings =
    [
        ("RequestTimeout", "milliseconds", "requestTimeoutMs"),
        ("StreamIdleTimeout", "milliseconds", "streamIdleTimeoutMs"),
        ("RetryAfterCeiling", "milliseconds", "retryAfterCeilingMs"),
        ("MaxEventBytes", "integer", "maxEventBytes"),
        ("MaxResponseBytes", "integer", "maxResponseBytes"),
        ("MaxErrorBodyBytes", "integer", "maxErrorBodyBytes"),
    ];

    // Whether the first settings describe exactly what the shared list does (names, types, flags, keys, no variables):
    // anything else (a class-level [EnvironmentVariable] on one of them, say) is written out in full.
    internal static bool StartsWithProviderOptionsSettings(EquatableArray<SettingModel> settings)
    {
        if (settings.Count < ProviderOptionsSettings.Length)
        {
            return false;
        }

        for (var i = 0; i < ProviderOptionsSettings.Length; i++)
        {
            var (name, description, key) = ProviderOptionsSettings[i];
            var s = settings[i];
            if (s.PropertyName != name || s.Description != description || s.PerMode || s.Required || s.IsSecret
                || s.PlanModeKey != key || s.ActModeKey != key || s.EnvironmentVariables.Count != 0)
            {
                return false;
            }
        }

        return true;
    }

    // "Name = binder.Kind(key, required: ..., fallback)," where key is "plan ? PlanKey : ActKey" for a per-mode setting.
    private static void WriteRead(CodeWriter w, SettingModel s)
    {
        w.Write($"{s.PropertyName} = binder.{Method(s.Kind)}(");
        if (s.PerMode)
        {
            w.Write($"plan ? {Quote(s.PlanModeKey)} : {Quote(s.ActModeKey)}");
        }
        else
        {
            w.Write($"{Quote(s.PlanModeKey)}");
        }

        w.Write($", required: {Bool(s.Required)}, ");
        switch (s.Kind)
        {
            case SettingKind.Enum:
                w.Line($"defaults.{s.PropertyName}),");
                break;
            case SettingKind.String or SettingKind.Url or SettingKind.ModelInfo or SettingKind.StringMap or SettingKind.Json:
                w.Line($"null) ?? defaults.{s.PropertyName},");
                break;
            default:
                w.Line($"defaults.{s.PropertyName}),");
                break;
        }
    }

    // The SettingsBinder method of a kind: its name, Url for a Uri.
    private static string Method(SettingKind kind) => kind switch
    {
        SettingKind.String => "String",
        SettingKind.Boolean => "Boolean",
        SettingKind.Int32 => "Int32",
        SettingKind.Int64 => "Int64",
        SettingKind.Double => "Double",
        SettingKind.Decimal => "Decimal",
        SettingKind.Milliseconds => "Milliseconds",
        SettingKind.Url => "Url",
        SettingKind.Enum => "Enum",
        SettingKind.StringMap => "StringMap",
        SettingKind.Json => "Json",
        SettingKind.ModelInfo => "ModelInfo",
        _ => kind.ToString(),
    };
}

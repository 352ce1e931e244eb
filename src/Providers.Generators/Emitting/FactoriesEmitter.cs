using System.Collections.Immutable;
using System.Linq;
using Providers.Generators.Models;

namespace Providers.Generators.Emitting;

/// <summary>
/// Writes the public factory class of an assembly that declares providers: per provider a settings binder, a factory
/// and a descriptor, plus the <c>[assembly: ProviderFactory]</c> attributes that let referencing assemblies find them.
/// </summary>
internal static class FactoriesEmitter
{
    public static string Emit(CompilationModel compilation, ImmutableArray<ProviderModel> providers)
    {
        var factoryType = "global::Providers.Generated." + compilation.FactoriesTypeName;
        var w = new CodeWriter().Header();
        foreach (var p in providers)
        {
            w.Line($"[assembly: global::Providers.ProviderFactory({CodeWriter.Literal(p.Id)}, typeof({factoryType}), \"Create{p.MemberStem}\", \"{p.MemberStem}Descriptor\")]");
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
        return w.ToString();
    }

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
        if (p.Settings.Any(s => s.PerMode))
        {
            w.Line("var plan = mode == global::Providers.Mode.Plan;");
        }

        w.Line($"var binder = new global::Providers.Settings.SettingsBinder(settings, {CodeWriter.Literal(p.Id)});");
        w.Line($"var defaults = new {options}();");
        w.Open($"var options = new {options}");
        foreach (var s in p.Settings)
        {
            w.Line($"{s.PropertyName} = {ReadExpression(s)},");
        }

        w.Close(";");
        w.Line("binder.ThrowIfInvalid();");
        w.Line("return options;");
        w.Close();
        w.Line();

        w.Line($"/// <summary>What the '{Xml(p.Id)}' provider is and which settings it reads.</summary>");
        w.Line($"public static global::Providers.ProviderDescriptor {p.MemberStem}Descriptor {{ get; }} = new(");
        w.Line($"    Id: {CodeWriter.Literal(p.Id)},");
        w.Line($"    DisplayName: {CodeWriter.Literal(p.DisplayName)},");
        w.Line($"    HandlerTypeName: {CodeWriter.Literal(p.HandlerMetadataName)},");
        if (p.Settings.Count == 0)
        {
            w.Line("    Settings: []);");
            return;
        }

        w.Line("    Settings:");
        w.Line("    [");
        foreach (var s in p.Settings)
        {
            w.Line("        new global::Providers.SettingDescriptor(");
            w.Line($"            PropertyName: {CodeWriter.Literal(s.PropertyName)},");
            w.Line($"            TypeName: {CodeWriter.Literal(s.Description)},");
            w.Line($"            PerMode: {CodeWriter.Bool(s.PerMode)},");
            w.Line($"            Required: {CodeWriter.Bool(s.Required)},");
            w.Line($"            IsSecret: {CodeWriter.Bool(s.IsSecret)},");
            w.Line($"            PlanModeKey: {CodeWriter.Literal(s.PlanModeKey)},");
            if (s.EnvironmentVariables.Count == 0)
            {
                w.Line($"            ActModeKey: {CodeWriter.Literal(s.ActModeKey)}),");
                continue;
            }

            w.Line($"            ActModeKey: {CodeWriter.Literal(s.ActModeKey)})");
            w.Line("        {");
            w.Line("            EnvironmentVariables =");
            w.Line("            [");
            foreach (var v in s.EnvironmentVariables)
            {
                var condition = v.WhenSettingSet is null ? "" : ", WhenSettingSet: " + CodeWriter.Literal(v.WhenSettingSet);
                w.Line($"                new global::Providers.EnvironmentVariableDescriptor({CodeWriter.Literal(v.Name)}{condition}),");
            }

            w.Line("            ],");
            w.Line("        },");
        }

        w.Line("    ]);");
    }

    private static string ReadExpression(SettingModel s)
    {
        var key = s.PerMode ? $"plan ? {CodeWriter.Literal(s.PlanModeKey)} : {CodeWriter.Literal(s.ActModeKey)}" : CodeWriter.Literal(s.PlanModeKey);
        var required = "required: " + CodeWriter.Bool(s.Required);
        var fallback = "defaults." + s.PropertyName;
        return s.Kind switch
        {
            SettingKind.Enum => $"binder.Enum({key}, {required}, {fallback})",
            SettingKind.String or SettingKind.Url or SettingKind.ModelInfo => $"binder.{Method(s.Kind)}({key}, {required}, null) ?? {fallback}",
            SettingKind.StringMap => $"binder.StringMap({key}, {required}, null) ?? {fallback}",
            SettingKind.Json => $"binder.Json({key}, {required}, null) ?? {fallback}",
            _ => $"binder.{Method(s.Kind)}({key}, {required}, {fallback})",
        };
    }

    private static string Method(SettingKind kind) => kind switch
    {
        SettingKind.Url => "Url",
        _ => kind.ToString(),
    };

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}

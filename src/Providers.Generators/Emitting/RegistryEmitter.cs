using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Providers.Generators.Models;

namespace Providers.Generators.Emitting;

/// <summary>
/// Writes <c>Providers.ProviderRegistry</c>: the switch from provider id to constructor call over the providers of
/// this assembly and of every referenced one, plus their descriptors. No reflection, no scanning at run time.
/// </summary>
internal static class RegistryEmitter
{
    public static string Emit(CompilationModel compilation, ImmutableArray<ProviderModel> local)
    {
        var localFactory = "global::Providers.Generated." + compilation.FactoriesTypeName;
        var entries = new SortedDictionary<string, (string Create, string Descriptor)>(StringComparer.Ordinal);
        foreach (var p in local)
        {
            entries[p.Id] = ($"{localFactory}.Create{p.MemberStem}", $"{localFactory}.{p.MemberStem}Descriptor");
        }

        foreach (var r in compilation.ReferencedProviders)
        {
            // A local provider wins over a referenced one with the same id; the duplicate-id analyzer reports the clash.
            if (!entries.ContainsKey(r.Id))
            {
                entries[r.Id] = ($"{r.FactoryTypeName}.{r.CreateMethod}", $"{r.FactoryTypeName}.{r.DescriptorProperty}");
            }
        }

        var w = new CodeWriter().Header();
        w.Open("namespace Providers");
        w.Line("/// <summary>");
        w.Line("/// Every provider this assembly can create: those it declares and those of the assemblies it references,");
        w.Line("/// listed at compile time by the Providers source generator.");
        w.Line("/// </summary>");
        w.Line(CodeWriter.GeneratedCodeAttribute);
        w.Open("internal static partial class ProviderRegistry");
        w.Line("/// <summary>The registered provider ids, in ordinal order.</summary>");
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<string> ProviderIds { get; } =");
        w.Line("[");
        foreach (var id in entries.Keys)
        {
            w.Line($"    {CodeWriter.Literal(id)},");
        }

        w.Line("];");
        w.Line();
        w.Line("/// <summary>The registered providers with their settings, in the order of <see cref=\"ProviderIds\"/>.</summary>");
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<global::Providers.ProviderDescriptor> Providers { get; } =");
        w.Line("[");
        foreach (var entry in entries.Values)
        {
            w.Line($"    {entry.Descriptor},");
        }

        w.Line("];");
        w.Line();
        w.Line("/// <summary>Creates the provider <paramref name=\"providerId\"/> with options bound from <paramref name=\"settings\"/> for <paramref name=\"mode\"/>.</summary>");
        w.Line("/// <exception cref=\"global::Providers.UnknownProviderException\">No provider has that id; the message lists those that do.</exception>");
        w.Line("/// <exception cref=\"global::Providers.ProviderConfigurationException\">Settings are missing or invalid; the message names every such key.</exception>");
        w.Line("/// <param name=\"providerId\">The provider id, for example <c>anthropic</c>.</param>");
        w.Line("/// <param name=\"settings\">Flat settings.</param>");
        w.Line("/// <param name=\"mode\">Which per-mode keys to read.</param>");
        w.Line("/// <param name=\"configure\">Sets what settings cannot hold (callbacks, clock, logger, HTTP client) before the handler is created.</param>");
        w.Line("public static global::Providers.IApiHandler Create(string providerId, global::Providers.ProviderSettings settings, global::Providers.Mode mode, global::System.Action<global::Providers.ProviderOptions>? configure = null) =>");
        w.Line("    Create(providerId, settings, mode, configure, settingKey: null);");
        w.Line();
        w.Line("/// <summary>Creates the provider that <paramref name=\"settings\"/> name for <paramref name=\"mode\"/> (<c>planModeApiProvider</c> or <c>actModeApiProvider</c>).</summary>");
        w.Line("/// <exception cref=\"global::Providers.ProviderConfigurationException\">The provider key is missing, or the provider's settings are missing or invalid.</exception>");
        w.Line("/// <param name=\"settings\">Flat settings.</param>");
        w.Line("/// <param name=\"mode\">Which provider key and per-mode keys to read.</param>");
        w.Line("/// <param name=\"configure\">Sets what settings cannot hold (callbacks, clock, logger, HTTP client) before the handler is created.</param>");
        w.Open("public static global::Providers.IApiHandler Build(global::Providers.ProviderSettings settings, global::Providers.Mode mode, global::System.Action<global::Providers.ProviderOptions>? configure = null)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(settings);");
        w.Line("var key = global::Providers.ProviderSettings.ProviderKeyFor(mode);");
        w.Line("var providerId = settings.ProviderIdFor(mode) ?? throw new global::Providers.ProviderConfigurationException(");
        w.Line("    \"settings\",");
        w.Line("    [new global::Providers.SettingProblem(key, \"missing: name the provider to use in \" + mode + \" mode, one of: \" + string.Join(\", \", ProviderIds))]);");
        w.Line("return Create(providerId, settings, mode, configure, key);");
        w.Close();
        w.Line();
        w.Line("/// <summary>The descriptor of <paramref name=\"providerId\"/>, or <see langword=\"null\"/> when none is registered.</summary>");
        w.Open("public static global::Providers.ProviderDescriptor? Find(string providerId)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(providerId);");
        w.Open("foreach (var descriptor in Providers)");
        w.Open("if (string.Equals(descriptor.Id, providerId.Trim(), global::System.StringComparison.OrdinalIgnoreCase))");
        w.Line("return descriptor;");
        w.Close();
        w.Close();
        w.Line();
        w.Line("return null;");
        w.Close();
        w.Line();
        w.Open("private static global::Providers.IApiHandler Create(string providerId, global::Providers.ProviderSettings settings, global::Providers.Mode mode, global::System.Action<global::Providers.ProviderOptions>? configure, string? settingKey)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(providerId);");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(settings);");
        w.Open("return providerId.Trim().ToLowerInvariant() switch");
        foreach (var entry in entries)
        {
            w.Line($"{CodeWriter.Literal(entry.Key)} => {entry.Value.Create}(settings, mode, configure),");
        }

        w.Line("_ => throw new global::Providers.UnknownProviderException(providerId, ProviderIds, settingKey),");
        w.Close(";");
        w.Close();
        w.Close();
        w.Close();
        return w.ToString();
    }
}

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Providers.Generators.Models;

namespace Providers.Generators.Emitting;

/// <summary>
/// Writes <c>Providers.ProviderRegistry</c>: the switch from provider id to constructor call over the providers of
/// this assembly and of every referenced one, plus their descriptors, and an <c>IProviderRegistry</c> instance over
/// them. <c>Build</c> and <c>Find</c> forward to <c>ProviderRegistryExtensions</c> in the runtime, so their rules and
/// messages are written once. No reflection, no scanning at run time.
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
        w.Line("/// <summary>This registry as an <see cref=\"global::Providers.IProviderRegistry\"/>, for libraries that take one: <c>services.AddProviders(configuration, ProviderRegistry.Instance)</c>.</summary>");
        w.Line("public static global::Providers.IProviderRegistry Instance { get; } = new Registry();");
        w.Line();
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
        w.Line("/// <inheritdoc cref=\"global::Providers.IProviderRegistry.Create\"/>");
        w.Open("public static global::Providers.IApiHandler Create(string providerId, global::Providers.ProviderSettings settings, global::Providers.Mode mode, global::System.Action<global::Providers.ProviderOptions>? configure = null)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(providerId);");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(settings);");
        w.Open("return providerId.Trim().ToLowerInvariant() switch");
        foreach (var entry in entries)
        {
            w.Line($"{CodeWriter.Literal(entry.Key)} => {entry.Value.Create}(settings, mode, configure),");
        }

        w.Line("_ => throw new global::Providers.UnknownProviderException(providerId, ProviderIds),");
        w.Close(";");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc cref=\"global::Providers.ProviderRegistryExtensions.Build\"/>");
        w.Line("public static global::Providers.IApiHandler Build(global::Providers.ProviderSettings settings, global::Providers.Mode mode, global::System.Action<global::Providers.ProviderOptions>? configure = null) =>");
        w.Line("    global::Providers.ProviderRegistryExtensions.Build(Instance, settings, mode, configure);");
        w.Line();
        w.Line("/// <inheritdoc cref=\"global::Providers.ProviderRegistryExtensions.Find\"/>");
        w.Line("public static global::Providers.ProviderDescriptor? Find(string providerId) =>");
        w.Line("    global::Providers.ProviderRegistryExtensions.Find(Instance, providerId);");
        w.Line();
        w.Line("/// <summary>The instance face of the static members above.</summary>");
        w.Open("private sealed class Registry : global::Providers.IProviderRegistry");
        w.Line("public global::System.Collections.Generic.IReadOnlyList<string> ProviderIds => ProviderRegistry.ProviderIds;");
        w.Line();
        w.Line("public global::System.Collections.Generic.IReadOnlyList<global::Providers.ProviderDescriptor> Providers => ProviderRegistry.Providers;");
        w.Line();
        w.Line("public global::Providers.IApiHandler Create(string providerId, global::Providers.ProviderSettings settings, global::Providers.Mode mode, global::System.Action<global::Providers.ProviderOptions>? configure = null) =>");
        w.Line("    ProviderRegistry.Create(providerId, settings, mode, configure);");
        w.Close();
        w.Close();
        w.Close();
        return w.ToString();
    }
}

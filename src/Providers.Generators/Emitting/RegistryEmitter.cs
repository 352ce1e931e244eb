using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis.Text;
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
    public static SourceText Emit(CompilationModel compilation, ImmutableArray<ProviderModel> local)
    {
        var localFactory = "global::Providers.Generated." + compilation.FactoriesTypeName;
        var entries = new SortedDictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var p in local)
        {
            entries[p.Id] = new Entry(localFactory, p.MemberStem, null);
        }

        foreach (var r in compilation.ReferencedProviders)
        {
            // A local provider wins over a referenced one with the same id; the duplicate-id analyzer reports the clash.
            if (!entries.ContainsKey(r.Id))
            {
                entries[r.Id] = new Entry(r.FactoryTypeName, null, r);
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
            w.Line($"    {CodeWriter.Quote(id)},");
        }

        w.Line("];");
        w.Line();
        w.Line("/// <summary>The registered providers with their settings, in the order of <see cref=\"ProviderIds\"/>.</summary>");
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<global::Providers.ProviderDescriptor> Providers { get; } =");
        w.Line("[");
        foreach (var entry in entries.Values)
        {
            if (entry.Referenced is { } r)
            {
                w.Line($"    {entry.FactoryType}.{r.DescriptorProperty},");
            }
            else
            {
                w.Line($"    {entry.FactoryType}.{entry.LocalStem}Descriptor,");
            }
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
            var (factory, stem, referenced) = (entry.Value.FactoryType, entry.Value.LocalStem, entry.Value.Referenced);
            if (referenced is not null)
            {
                w.Line($"{CodeWriter.Quote(entry.Key)} => {factory}.{referenced.CreateMethod}(settings, mode, configure),");
            }
            else
            {
                w.Line($"{CodeWriter.Quote(entry.Key)} => {factory}.Create{stem}(settings, mode, configure),");
            }
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
        return w.ToSourceText();
    }

    // A provider's factory class and its members: Create{Stem} and {Stem}Descriptor for this assembly's, the names its
    // [assembly: ProviderFactory] gives for a referenced one. Written in place, not joined into strings first.
    private readonly record struct Entry(string FactoryType, string? LocalStem, ReferencedProviderModel? Referenced);
}

using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Providers.Generators.Models;

namespace Providers.Generators.Parsing;

/// <summary>Reads the <c>[assembly: ProviderFactory]</c> attributes of referenced assemblies into an equatable model.</summary>
internal static class ReferencedProvidersParser
{
    public static CompilationModel Parse(Compilation compilation, CancellationToken cancellationToken)
    {
        var assemblyName = compilation.AssemblyName ?? "Assembly";
        return new CompilationModel(assemblyName, FactoriesTypeName(assemblyName), Find(compilation, cancellationToken).ToEquatableArray());
    }

    /// <summary>Providers declared by referenced assemblies, with symbols (for analyzers). Ordered by assembly name, then id.</summary>
    public static IEnumerable<(string Id, AttributeData Attribute, IAssemblySymbol Assembly)> FindAttributes(Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols.OrderBy(a => a.Name, System.StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!MayDeclareProviders(assembly))
            {
                continue;
            }

            foreach (var attribute in assembly.GetAttributes())
            {
                if (SymbolNames.IsAttribute(attribute, KnownNames.ProviderFactoryAttribute)
                    && attribute.ConstructorArguments.Length == 4
                    && attribute.ConstructorArguments[0].Value is string id)
                {
                    yield return (id, attribute, assembly);
                }
            }
        }
    }

    private static IEnumerable<ReferencedProviderModel> Find(Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var (id, attribute, _) in FindAttributes(compilation, cancellationToken))
        {
            var args = attribute.ConstructorArguments;
            if (args[1].Value is INamedTypeSymbol factory && args[2].Value is string create && args[3].Value is string descriptor)
            {
                yield return new ReferencedProviderModel(id, factory.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), create, descriptor);
            }
        }
    }

    // Only an assembly compiled against Providers.Abstractions can carry the attribute; skipping the rest keeps this cheap.
    private static bool MayDeclareProviders(IAssemblySymbol assembly) =>
        assembly.Name != "Providers.Abstractions"
        && assembly.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == "Providers.Abstractions"));

    /// <summary><c>My.App</c> -> <c>MyAppProviderFactories</c>.</summary>
    public static string FactoriesTypeName(string assemblyName)
    {
        var builder = new System.Text.StringBuilder();
        var upper = true;
        foreach (var c in assemblyName)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        if (builder.Length == 0 || char.IsDigit(builder[0]))
        {
            builder.Insert(0, 'A');
        }

        return builder + "ProviderFactories";
    }
}

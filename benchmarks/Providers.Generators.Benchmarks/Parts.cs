using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Providers.Generators.Parsing;

namespace Providers.Generators.Benchmarks;

internal static class Parts
{
    public static void Run(Compilation compilation)
    {
        var results = new Dictionary<string, double>();
        void Time(string name, Action action)
        {
            var sw = Stopwatch.StartNew();
            action();
            results[name] = results.GetValueOrDefault(name) + sw.Elapsed.TotalMilliseconds;
        }

        for (var round = 0; round < 2; round++)
        {
            results.Clear();
            var c = compilation.Clone();
            var types = c.SyntaxTrees.Select(t => c.GetSemanticModel(t)).SelectMany(m => m.SyntaxTree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>().Select(n => (INamedTypeSymbol)m.GetDeclaredSymbol(n)!)).Where(s => s.Name.EndsWith("Handler")).ToList();
            INamedTypeSymbol? o = null;
            foreach (var t in types)
            {
                Time("attributes", () => t.GetAttributes());
                Time("implements", () => ProviderShape.ImplementsApiHandler(t));
                Time("optionsTypeOf", () => o = ProviderShape.OptionsTypeOf(t));
                Time("constructible", () => ProviderShape.IsConstructible(o!));
                Time("inspect", () => OptionsInspector.Inspect(o!, "x").ToList());
                Time("displayStrings", () => { t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat); t.ToDisplayString(); o!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat); });
                Time("partialChain", () => RetryRules.IsPartialChain(t));
                Time("coreShape", () => t.GetMembers("CreateMessageCoreAsync").OfType<IMethodSymbol>().Any(RetryRules.IsCreateMessageShape));
                Time("optionsExpression", () => ProviderShape.OptionsExpression(t, false));
            }
        }

        foreach (var (k, v) in results.OrderByDescending(r => r.Value))
        {
            Console.WriteLine($"  {k}: {v:0.0} ms");
        }
    }
}

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

        Compilation? warm = null;
        // Round 0 warms the JIT; round 1 on a fresh compilation (what a full run binds); round 2 on that one again (warm).
        for (var round = 0; round < 3; round++)
        {
            if (round == 2)
            {
                Print(results, "fresh compilation");
            }

            results.Clear();
            var c = round < 2 ? compilation.Clone() : warm!;
            warm = c;
            var types = c.SyntaxTrees.Select(t => c.GetSemanticModel(t)).SelectMany(m => m.SyntaxTree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>().Select(n => (INamedTypeSymbol)m.GetDeclaredSymbol(n)!)).Where(s => s.Name.EndsWith("Handler")).ToList();
            INamedTypeSymbol? o = null;
            foreach (var t in types)
            {
                Time("attributes", () => t.GetAttributes());
                Time("implements", () => ProviderShape.ImplementsApiHandler(t));
                Time("memberNames", () => t.MemberNames.ToList());
                Time("getMembers", () => t.GetMembers());
                Time("ctorParamType", () => _ = t.InstanceConstructors[0].Parameters[0].Type);
                Time("optionsTypeOf", () => o = ProviderShape.OptionsTypeOf(t));
                Time("optionsFromSyntax", () => ProviderParser.FromSyntax(o!, "x", c, default));
                var model = c.GetSemanticModel(t.DeclaringSyntaxReferences[0].SyntaxTree);
                HandlerSyntax? h = null;
                Time("handlerSyntax", () => h = HandlerSyntax.For(t, model, default));
                Time("handlerOptionsType", () => h!.OptionsType());
                Time("handlerCoreShapes", () => h!.CreateMessageCoreShapes());
                Time("handlerOptionsExpression", () => h!.InstanceOptionsExpression(out _));
                Time("displayStrings", () => { t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat); t.ToDisplayString(); o!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat); });
                Time("partialChain", () => RetryRules.IsPartialChain(t));
                Time("coreShape", () => t.GetMembers("CreateMessageCoreAsync").OfType<IMethodSymbol>().Any(RetryRules.IsCreateMessageShape));
                Time("retryMembers", () => t.GetMembers("CreateMessageAsync"));
                Time("optionsExpression", () => ProviderShape.OptionsExpression(t, false));
            }
        }

        Print(results, "same compilation again");
    }

    private static void Print(Dictionary<string, double> results, string title)
    {
        Console.WriteLine(title);
        foreach (var (k, v) in results.OrderByDescending(r => r.Value))
        {
            Console.WriteLine($"  {k}: {v:0.0} ms");
        }
    }
}

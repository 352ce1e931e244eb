using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Providers.Generators.Models;
using Providers.Generators.Parsing;

namespace Providers.Generators.Benchmarks;

internal static class Parts
{
    public static void Run(Compilation compilation)
    {
        var results = new Dictionary<string, (double Ms, long Bytes)>();
        void Time(string name, Action action)
        {
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            action();
            var elapsed = sw.Elapsed.TotalMilliseconds;
            bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
            var sum = results.GetValueOrDefault(name);
            results[name] = (sum.Ms + elapsed, sum.Bytes + bytes);
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

                // The class-level [WithRetry] transform's pieces (RetryParser.ParseClass and its declaration path).
                var declaration = (Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax)t.DeclaringSyntaxReferences[0].GetSyntax();
                Time("retry.attributeValues", () => t.GetAttributes().First(a => a.AttributeClass!.Name == "WithRetryAttribute").NamedArguments.FirstOrDefault(a => a.Key == "MaxRetries"));
                Time("retry.coreShapesSyntax", () => HandlerSyntax.CoreShapesOf(declaration, out _));
                Time("retry.coreShapesNames", () => OptionsNames.Hold(0, OptionsNames.ImportsOf(declaration) ?? 0, t.ContainingNamespace, c));
                Time("retry.coreShapesFull", () => h!.CreateMessageCoreShapes());
                Time("retry.declaresMethod", () => h!.DeclaresMethod("CreateMessageAsync"));
                Time("retry.names(old, per run)", () => { RetryParser.FileName(t); RetryParser.TypeName(t); RetryParser.Namespace(t); RetryParser.ContainingTypes(t); });
                Time("retry.facts(per node)", () => RetryClassFacts.Of(declaration, t));
                var facts = RetryClassFacts.Of(declaration, t);
                Microsoft.CodeAnalysis.Text.SourceText? emitted = null;
                Time("retry.emit", () => emitted = Providers.Generators.Emitting.RetryEmitter.Emit(new Providers.Generators.Models.RetryFileModel(facts.FileName, System.Collections.Immutable.ImmutableArray.Create(facts.Model(true, default, "options", "x", 3, 1000, 30000, false)).AsEquatableArray())));
                Time("retry.parseEmitted(driver's share)", () => Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(emitted!).GetRoot());
                Time("retry.providerIdFromAttributes", () => t.GetAttributes().FirstOrDefault(a => a.AttributeClass!.Name == "ProviderAttribute"));
            }
        }

        Print(results, "same compilation again");
    }

    private static void Print(Dictionary<string, (double Ms, long Bytes)> results, string title)
    {
        Console.WriteLine(title);
        foreach (var (k, v) in results.OrderByDescending(r => r.Value.Ms))
        {
            Console.WriteLine($"  {k}: {v.Ms:0.0} ms, {v.Bytes / 1e6:0.00} MB");
        }
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Providers.Generators.Models;
using Providers.Generators.Parsing;

namespace Providers.Generators.Tests.Generator;

/// <summary>
/// The parsers hand back the very model of the previous run when an edit elsewhere changes nothing they read (so the
/// driver compares it by one reference check), and a new one when something they read changed. What the class-level
/// retry reads once per declaration equals what the symbols say.
/// </summary>
public class ModelReuseTests
{
    private const string Unrelated = "namespace Contoso.Other; public static class Helper { public static int Value => 1; }";

    [Fact]
    public void Unrelated_edit_returns_the_same_provider_and_retry_model_instances()
    {
        var recorder = new Recorder();
        var compilation = GeneratorHarness.Compile("Contoso.App", null, Sources.CustomProvider, Unrelated);
        var driver = Driver(recorder).RunGenerators(compilation);
        var (providers, retries) = recorder.Take();

        driver.RunGenerators(Replace(compilation, "Source1.cs", "Value => 1", "Value => 2"));
        var (providersAfter, retriesAfter) = recorder.Take();

        var provider = Assert.Single(providers);
        var retry = Assert.Single(retries);
        Assert.NotNull(provider);
        Assert.NotNull(retry);
        Assert.Same(provider, Assert.Single(providersAfter));
        Assert.Same(retry, Assert.Single(retriesAfter));
    }

    [Fact]
    public void Edit_to_what_the_parsers_read_returns_new_models_with_the_change()
    {
        var recorder = new Recorder();
        var compilation = GeneratorHarness.Compile("Contoso.App", null, Sources.CustomProvider, Unrelated);
        var driver = Driver(recorder).RunGenerators(compilation);
        var (providers, retries) = recorder.Take();

        var edited = Replace(compilation, "Source0.cs", "MaxRetries = 3", "MaxRetries = 5");
        edited = Replace(edited, "Source0.cs", "[Provider(\"custom-provider\")]", "[Provider(\"custom-provider-2\")]");
        driver.RunGenerators(edited);
        var (providersAfter, retriesAfter) = recorder.Take();

        var provider = Assert.Single(providersAfter)!;
        Assert.Equal("custom-provider-2", provider.Id);
        Assert.Equal("CustomProvider2", provider.MemberStem);
        Assert.Equal(providers.Single()! with { Id = provider.Id, MemberStem = provider.MemberStem, Settings = provider.Settings }, provider);
        var retry = Assert.Single(retriesAfter)!;
        Assert.Equal(5, retry.MaxRetries);
        Assert.Equal("custom-provider-2", retry.ProviderId);
        Assert.Equal(retries.Single()! with { MaxRetries = 5, ProviderId = "custom-provider-2" }, retry);
    }

    [Fact]
    public void Options_member_of_another_file_that_stops_being_options_changes_the_retry_model()
    {
        // The handler's file is untouched; only what its options parameter's type means changes.
        const string Handler = """
            using System.Collections.Generic;
            using System.Threading;
            using Providers;

            namespace Contoso.Llm;

            [WithRetry]
            public sealed partial class H(SampleOptions options)
            {
                private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken c)
                {
                    await System.Threading.Tasks.Task.Yield();
                    yield break;
                }
            }
            """;
        var recorder = new Recorder();
        var compilation = GeneratorHarness.Compile("Contoso.App", null, Handler, "namespace Contoso.Llm; public sealed class SampleOptions : Providers.ProviderOptions { }");
        var driver = Driver(recorder).RunGenerators(compilation);
        var before = Assert.Single(recorder.Take().Retries)!;

        driver.RunGenerators(Replace(compilation, "Source1.cs", ": Providers.ProviderOptions", ""));
        var after = Assert.Single(recorder.Take().Retries)!;

        Assert.Equal("options", before.OptionsExpression);
        Assert.Null(after.OptionsExpression);
        Assert.Equal(before with { OptionsExpression = null }, after);
    }

    public static TheoryData<string, string> Classes => new()
    {
        { "usual", "public sealed partial class H(SampleOptions options) { private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t, CancellationToken c) => throw null!; }" },
        { "with overrides", "public sealed partial class H(SampleOptions options) { private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t, RequestOverrides o, CancellationToken c) => throw null!; }" },
        { "not partial", "public sealed class H(SampleOptions options) { private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t, CancellationToken c) => throw null!; }" },
        { "writes CreateMessageAsync", "public sealed partial class H(SampleOptions options) { public IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(string s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t = null, CancellationToken c = default) => throw null!; }" },
        { "explicit CreateMessageAsync", "public sealed partial class H(SampleOptions options) : IApiHandler { IAsyncEnumerable<ApiStreamChunk> IApiHandler.CreateMessageAsync(string s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t, CancellationToken c) => throw null!; public ApiHandlerModel GetModel() => throw null!; }" },
        { "no core", "public sealed partial class H(SampleOptions options) { }" },
        { "qualified token", "public sealed partial class H(SampleOptions options) { private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t, System.Threading.CancellationToken c) => throw null!; }" },
        { "a type named CancellationToken in the namespace", "public sealed partial class H(SampleOptions options) { private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t, CancellationToken c) => throw null!; } public struct CancellationToken { }" },
    };

    [Theory]
    [MemberData(nameof(Classes))]
    public void Class_facts_read_once_per_declaration_equal_the_symbols(string why, string handler)
    {
        var source = "using System.Collections.Generic;\nusing System.Threading;\nusing Providers;\n\nnamespace Contoso.Llm.@class;\n\npublic sealed class SampleOptions : ProviderOptions { }\n" + handler;
        var compilation = GeneratorHarness.Compile("Sample", null, source);
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var syntax = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Identifier.ValueText == "H");
        var type = (INamedTypeSymbol)model.GetDeclaredSymbol(syntax)!;

        var facts = RetryClassFacts.Of(syntax, type);

        Assert.Same(facts, RetryClassFacts.Of(syntax, type));
        Assert.Equal(RetryRules.IsPartialChain(type), facts.IsPartial);
        Assert.Equal(type.GetMembers(KnownNames.CreateMessageMethod).Any(m => m is IMethodSymbol { MethodKind: MethodKind.Ordinary }), facts.DeclaresCreateMessage);
        Assert.Equal("Contoso.Llm.@class", facts.Namespace);
        Assert.Equal(new[] { "partial class H" }, facts.ContainingTypes.ToArray());
        Assert.Equal("Contoso.Llm._class.Retries.g.cs", facts.FileName);
        Assert.Equal(RetryParser.FileName(type), facts.FileName);
        Assert.Equal("Contoso.Llm.@class.H", facts.TypeName);
        if (facts.CoreShapes is { } shapes && facts.Imports is { } imports && OptionsNames.Hold(facts.CoreNames, imports, type.ContainingNamespace, compilation))
        {
            Assert.Equal(RetryRules.HasCreateMessageCore(type, compilation), shapes.Count > 0);
            Assert.Equal(RetryRules.CreateMessageCoreTakesOverrides(type, compilation), shapes.Contains(5));
        }
        else
        {
            Assert.True(why is "qualified token" or "a type named CancellationToken in the namespace", why);
        }
    }

    [Fact]
    public void Class_facts_hand_back_the_last_model_only_for_the_same_answers()
    {
        var compilation = GeneratorHarness.Compile("Sample", null, "namespace N; public sealed partial class H { }");
        var tree = compilation.SyntaxTrees.Single();
        var syntax = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single();
        var facts = RetryClassFacts.Of(syntax, (INamedTypeSymbol)compilation.GetSemanticModel(tree).GetDeclaredSymbol(syntax)!);
        var parameters = new[] { new ParameterModel("string", "s", false, null, false) }.ToEquatableArray();

        var first = facts.Model(true, parameters, "this.Options", "p", 3, 1000, 30000, false);

        Assert.Same(first, facts.Model(true, parameters, "this.Options", "p", 3, 1000, 30000, false));
        Assert.Equal(first with { CoreMethodName = "" }, facts.Model(false, parameters, "this.Options", "p", 3, 1000, 30000, false));
        Assert.Equal(first with { OptionsExpression = "options" }, facts.Model(true, parameters, "options", "p", 3, 1000, 30000, false));
        Assert.Equal(first with { ProviderId = "q" }, facts.Model(true, parameters, "this.Options", "q", 3, 1000, 30000, false));
        Assert.Equal(first with { MaxRetries = 4, BaseDelayMs = 1, MaxDelayMs = 2, RetryAllErrors = true }, facts.Model(true, parameters, "this.Options", "p", 4, 1, 2, true));
        Assert.Equal(first with { Parameters = EquatableArray<ParameterModel>.Empty }, facts.Model(true, EquatableArray<ParameterModel>.Empty, "this.Options", "p", 3, 1000, 30000, false));
    }

    private static GeneratorDriver Driver(Recorder recorder) =>
        CSharpGeneratorDriver.Create([recorder.AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions);

    private static Compilation Replace(Compilation compilation, string path, string oldText, string newText)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        var text = tree.GetText().ToString();
        Assert.Contains(oldText, text, StringComparison.Ordinal);
        return compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(text.Replace(oldText, newText, StringComparison.Ordinal), GeneratorHarness.ParseOptions, path));
    }

    // The generator's two transforms, recording each model they return.
    private sealed class Recorder : IIncrementalGenerator
    {
        private readonly List<ProviderModel?> _providers = [];
        private readonly List<RetryModel?> _retries = [];

        public (List<ProviderModel?> Providers, List<RetryModel?> Retries) Take()
        {
            var taken = (_providers.ToList(), _retries.ToList());
            _providers.Clear();
            _retries.Clear();
            return taken;
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var providers = context.SyntaxProvider.ForAttributeWithMetadataName(KnownNames.ProviderAttribute, static (n, _) => n is ClassDeclarationSyntax, (c, t) =>
            {
                var model = ProviderParser.Parse(c, t);
                _providers.Add(model);
                return model;
            });
            var retries = context.SyntaxProvider.ForAttributeWithMetadataName(KnownNames.WithRetryAttribute, static (n, _) => n is ClassDeclarationSyntax or MethodDeclarationSyntax, (c, t) =>
            {
                var model = RetryParser.Parse(c, t);
                _retries.Add(model);
                return model;
            });
            context.RegisterSourceOutput(providers.Collect().Combine(retries.Collect()), static (_, _) => { });
        }
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Providers.Generators.Parsing;

namespace Providers.Generators.Tests.Generator;

/// <summary>What the parsers read from a handler's declaration equals what the symbols say, or the declaration defers to them.</summary>
public class HandlerSyntaxTests
{
    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using Providers;

        namespace Sample;

        public sealed class SampleOptions : ProviderOptions { }
        public sealed class OtherOptions : ProviderOptions { }

        """;

    public static TheoryData<string, string> Handlers => new()
    {
        { "primary constructor, four-parameter core", "public sealed partial class H(SampleOptions options) { private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, CancellationToken cancellationToken) => throw null!; }" },
        { "five-parameter core with overrides", "public sealed partial class H(SampleOptions options) { private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides? overrides, CancellationToken cancellationToken) => throw null!; }" },
        { "both cores", "public sealed partial class H(SampleOptions options) { private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t, CancellationToken c) => throw null!; private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t, RequestOverrides o, CancellationToken c) => throw null!; }" },
        { "wrong list type", "public sealed partial class H(SampleOptions options) { private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string s, IList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t, CancellationToken c) => throw null!; }" },
        { "nullable token", "public sealed partial class H(SampleOptions options) { private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t, CancellationToken? c) => throw null!; }" },
        { "String spelled as a type name", "public sealed partial class H(SampleOptions options) { private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(String s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t, CancellationToken c) => throw null!; }" },
        { "qualified token", "public sealed partial class H(SampleOptions options) { private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t, System.Threading.CancellationToken c) => throw null!; }" },
        { "wrong return", "public sealed partial class H(SampleOptions options) { private IEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t, CancellationToken c) => throw null!; }" },
        { "three parameters", "public sealed partial class H(SampleOptions options) { private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string s, IReadOnlyList<ChatMessage> m, CancellationToken c) => throw null!; }" },
        { "options field before the parameter", "public sealed partial class H { private readonly OtherOptions _other = new(); public H(SampleOptions options) { } }" },
        { "options property", "public sealed partial class H { public SampleOptions Options { get; } = new(); public H(SampleOptions options) { } }" },
        { "two options constructors", "public sealed partial class H { public H(SampleOptions options) { } public H(OtherOptions options) { } }" },
        { "private constructor", "public sealed partial class H { private H(SampleOptions options) { } }" },
        { "static options only", "public sealed partial class H { private static readonly SampleOptions Shared = new(); public H(SampleOptions options) { } }" },
        { "an alias for the message list", "public sealed partial class H(SampleOptions options) { private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string s, Messages m, IReadOnlyList<ToolDefinition>? t, CancellationToken c) => throw null!; }" },
    };

    [Theory]
    [MemberData(nameof(Handlers))]
    public void Declaration_answers_equal_the_symbols(string why, string handler)
    {
        var source = (handler.Contains("Messages m", StringComparison.Ordinal) ? "using Messages = System.Collections.Generic.IReadOnlyList<Providers.ChatMessage>;\n" : "") + Prelude + handler;
        var compilation = GeneratorHarness.Compile("Sample", null, source);
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var type = (INamedTypeSymbol)model.GetDeclaredSymbol(tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Identifier.ValueText == "H"))!;

        var declaration = HandlerSyntax.For(type, model, default);
        Assert.NotNull(declaration);

        Assert.Equal(ProviderShape.OptionsTypeOf(type), declaration.OptionsType(), SymbolEqualityComparer.Default);

        if (declaration.CreateMessageCoreShapes() is { } shapes)
        {
            Assert.Equal(RetryRules.HasCreateMessageCore(type, compilation), shapes.Count > 0);
            Assert.Equal(RetryRules.CreateMessageCoreTakesOverrides(type, compilation), shapes.Contains(5));
        }
        else
        {
            Assert.True(why is "String spelled as a type name" or "qualified token" or "an alias for the message list", why);
        }

        var expression = declaration.InstanceOptionsExpression(out var decided);
        Assert.Equal(why is "static options only" or "private constructor" or "two options constructors", !decided);
        if (decided)
        {
            Assert.Equal(ProviderShape.OptionsExpression(type, isStatic: false), expression);
        }
    }

    [Fact]
    public void A_declaration_is_read_once_per_compilation_and_again_for_the_next()
    {
        var compilation = GeneratorHarness.Compile(
            "Sample",
            null,
            "using Providers;\nnamespace Sample;\npublic sealed partial class H(SampleOptions options) { }",
            "namespace Sample; public sealed class SampleOptions : Providers.ProviderOptions { }");
        var (type, model) = Handler(compilation);
        var declaration = HandlerSyntax.For(type, model, default);

        // A second transform of the same compilation (its own semantic model of the same tree) gets the same reading.
        Assert.Same(declaration, HandlerSyntax.For(type, compilation.GetSemanticModel(model.SyntaxTree), default));
        Assert.Equal("Sample.SampleOptions", declaration!.OptionsType()!.ToDisplayString());
        Assert.Equal("options", declaration.InstanceOptionsExpression(out _));

        // The next compilation keeps the handler's tree and node but has its own symbols, so what the names mean is
        // read again: here the options type, in the other file, no longer derives from ProviderOptions.
        var optionsTree = compilation.SyntaxTrees.Single(t => t.FilePath == "Source1.cs");
        var edited = compilation.ReplaceSyntaxTree(optionsTree, optionsTree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From("namespace Sample; public sealed class SampleOptions { }")));
        var (editedType, editedModel) = Handler(edited);
        var again = HandlerSyntax.For(editedType, editedModel, default);
        Assert.Same(declaration.Declaration, again!.Declaration);
        Assert.NotSame(declaration, again);
        Assert.Null(again.OptionsType());
        Assert.Null(again.InstanceOptionsExpression(out _));
    }

    private static (INamedTypeSymbol Type, SemanticModel Model) Handler(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == "Source0.cs");
        var model = compilation.GetSemanticModel(tree);
        return ((INamedTypeSymbol)model.GetDeclaredSymbol(tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Identifier.ValueText == "H"))!, model);
    }
}

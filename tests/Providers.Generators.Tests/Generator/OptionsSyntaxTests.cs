using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Providers.Generators.Models;
using Providers.Generators.Parsing;

namespace Providers.Generators.Tests.Generator;

/// <summary>
/// The options class read from syntax gives exactly the settings the symbol path gives, and the reader gives up
/// (so the symbol path runs) wherever a name could mean another type than the one it was taken for.
/// </summary>
public class OptionsSyntaxTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations;
        using Providers;

        """;

    private const string Handler = """

        [Provider("sample-provider")]
        public sealed class SampleHandler(SampleOptions options) : IApiHandler
        {
            public ApiHandlerModel GetModel() => new(options.ToString()!, new ModelInfo());
            public IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, System.Threading.CancellationToken cancellationToken = default) => throw new NotSupportedException();
        }
        """;

    public static TheoryData<string> Readable => new()
    {
        // Every kind the reader knows, nullable forms, computed and restricted properties, keys and variables.
        """
        namespace Sample.Llm;
        [EnvironmentVariable("SAMPLE_TIMEOUT", Option = nameof(RequestTimeout))]
        [EnvironmentVariable("SAMPLE_BASE", Option = "BaseUrl", WhenSet = nameof(Region))]
        public sealed class SampleOptions : ProviderOptions
        {
            [Required(ErrorMessage = "set it")]
            [EnvironmentVariable("SAMPLE_PREMIUM_KEY", WhenSet = nameof(Region))]
            [EnvironmentVariable("SAMPLE_KEY")]
            [EnvironmentVariable("")]
            public string ApiKey { get; set; } = "";
            [PerMode, Required] public string ModelId { get; set; } = "";
            [PerModeAttribute] public string? Region { get; set; }
            public Uri BaseUrl { get; set; } = new("http://127.0.0.1");
            public System.Uri? Proxy { get; set; }
            [SettingKey("customHeaders")] public IReadOnlyDictionary<string, string>? Headers { get; set; }
            public Dictionary<string, string?> More { get; set; } = new();
            public System.Collections.Generic.IDictionary<string, string>? Extra { get; set; }
            public Dictionary<string, int> NotAMap { get; set; } = new();
            [PerMode] public int? ThinkingBudgetTokens { get; set; }
            public long Big { get; set; }
            public double Temperature { get; set; }
            public decimal Price { get; set; }
            public bool UseStreaming { get; init; } = true;
            [PerMode] public ModelInfo? ModelInfo { get; set; }
            public TimeSpan PollInterval { get; set; }
            public System.TimeSpan PollIntervalMs { get; set; }
            public System.Text.Json.JsonElement Raw { get; set; }
            public float Ratio { get; set; }
            public string[] Tags { get; set; } = [];
            public (string, string) Pair { get; set; }
            public List<string> Names { get; set; } = [];
            public string DisplayLabel => "computed";
            public string Locked { get; private set; } = "";
            [Required] public string MustButCannot { get; } = "";
            [SettingIgnore] public string Ignored { get; set; } = "";
            [Secret] public string Passphrase { get; set; } = "";
            public string SecretToken { get; set; } = "";
            public int MaxTokens { get; set; }
            public static string Shared { get; set; } = "";
            internal string Hidden { get; set; } = "";
            public new int MaxEventBytes { get; set; }
            public string this[int i] => "";
            public SampleOptions() { }
            private SampleOptions(int x) { }
            public void Method() { }
        }
        """,
        // Names from an enclosing namespace, a global-qualified using, no constructor at all.
        """
        namespace Providers.Sample;
        public sealed class SampleOptions : ProviderOptions
        {
            [PerMode] public string ModelId { get; set; } = "";
            public Uri BaseUrl { get; set; } = new("http://127.0.0.1");
        }
        """,
        // Not constructible: each way the reader must see.
        """
        namespace Sample.Abstract;
        public abstract class SampleOptions : ProviderOptions { public string Key { get; set; } = ""; }
        """,
        """
        namespace Sample.NoDefault;
        public sealed class SampleOptions : ProviderOptions { public SampleOptions(string key) { } }
        """,
        """
        namespace Sample.RequiredMember;
        public sealed class SampleOptions : ProviderOptions { public required string Key { get; set; } }
        """,
        """
        namespace Sample.Internal;
        internal sealed class SampleOptions : ProviderOptions { [PerMode] public string ModelId { get; set; } = ""; }
        """,
    };

    [Theory]
    [MemberData(nameof(Readable))]
    public void Syntax_and_symbols_give_the_same_settings(string options)
    {
        var (syntax, symbols) = BothPaths(Usings + options + Handler);

        Assert.NotNull(syntax);
        Assert.Equal(symbols.Constructible, syntax.Value.Constructible);
        if (symbols.Constructible)
        {
            Assert.NotEmpty(symbols.Settings);
            Assert.Equal(Describe(symbols.Settings), Describe(syntax.Value.Settings));
        }
    }

    public static TheoryData<string, string> Unreadable => new()
    {
        { "an enum typed option", "namespace S; public enum Tier { Free } public sealed class SampleOptions : ProviderOptions { public Tier Tier { get; set; } }" },
        { "a type named Uri in the namespace", "namespace S; public sealed class Uri { } public sealed class SampleOptions : ProviderOptions { public Uri BaseUrl { get; set; } = new(); }" },
        { "an attribute of the same name in the namespace", "namespace S; public sealed class PerModeAttribute : Attribute { } public sealed class SampleOptions : ProviderOptions { [PerMode] public string ModelId { get; set; } = \"\"; }" },
        { "a using alias", "using Key = Providers.SettingKeyAttribute; namespace S; public sealed class SampleOptions : ProviderOptions { [Key(\"k\")] public string Name { get; set; } = \"\"; }" },
        { "a qualified framework attribute", "namespace S; public sealed class SampleOptions : ProviderOptions { [Providers.PerMode] public string ModelId { get; set; } = \"\"; }" },
        { "a constant as a key", "namespace S; public sealed class SampleOptions : ProviderOptions { const string K = \"k\"; [SettingKey(K)] public string Name { get; set; } = \"\"; }" },
        { "a partial class", "namespace S; public sealed partial class SampleOptions : ProviderOptions { public string Name { get; set; } = \"\"; }" },
        { "a nested type", "namespace S; public sealed class SampleOptions : ProviderOptions { public sealed class Uri { } public string Name { get; set; } = \"\"; }" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void Syntax_gives_way_to_symbols_where_a_name_could_mean_another_type(string why, string options)
    {
        var (syntax, _) = BothPaths(Usings + options + Handler);

        Assert.True(syntax is null, why);
    }

    [Fact]
    public void A_namespace_named_System_inside_the_enclosing_one_sends_System_Uri_to_symbols()
    {
        var options = Usings + "namespace S; public sealed class SampleOptions : ProviderOptions { public System.Uri BaseUrl { get; set; } = new(\"http://a\"); }" + Handler;

        Assert.NotNull(BothPaths(options).Syntax);
        Assert.Null(BothPaths(options, "namespace S.System; public sealed class X { }").Syntax);
    }

    [Fact]
    public void A_namespace_imported_only_by_a_global_using_counts_and_a_global_alias_turns_syntax_off()
    {
        const string options = """
            using System;
            using Providers;
            namespace S;
            public sealed class SampleOptions : ProviderOptions { [Required] public string ApiKey { get; set; } = ""; }
            """;
        const string handler = """
            using System.Collections.Generic;
            using Providers;
            namespace S;
            [Provider("sample-provider")]
            public sealed class SampleHandler(SampleOptions options) : IApiHandler
            {
                public ApiHandlerModel GetModel() => new(options.ToString()!, new ModelInfo());
                public IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, System.Threading.CancellationToken cancellationToken = default) => throw new System.NotSupportedException();
            }
            """;

        var (withGlobal, symbols) = BothPaths("global using System.ComponentModel.DataAnnotations;", options, handler);
        Assert.NotNull(withGlobal);
        Assert.Equal(Describe(symbols.Settings), Describe(withGlobal.Value.Settings));
        Assert.Contains("ApiKey String  required", Describe(withGlobal.Value.Settings), StringComparison.Ordinal);

        var (withoutGlobal, symbolsWithout) = BothPaths(options, handler);
        Assert.Null(withoutGlobal);
        Assert.DoesNotContain("required", Describe(symbolsWithout.Settings), StringComparison.Ordinal);

        var (withAlias, _) = BothPaths("global using Req = System.ComponentModel.DataAnnotations.RequiredAttribute;", options, handler);
        Assert.Null(withAlias);
    }

    private static ((bool Constructible, EquatableArray<SettingModel> Settings)? Syntax, (bool Constructible, EquatableArray<SettingModel> Settings) Symbols) BothPaths(params string[] sources)
    {
        var compilation = GeneratorHarness.Compile("Sample", null, sources);
        var handler = compilation.SyntaxTrees
            .SelectMany(t => t.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Select(c => (Tree: t, Class: c)))
            .Single(p => p.Class.Identifier.ValueText == "SampleHandler");
        var type = (INamedTypeSymbol)compilation.GetSemanticModel(handler.Tree).GetDeclaredSymbol(handler.Class)!;
        var options = ProviderShape.OptionsTypeOf(type);
        Assert.NotNull(options);

        var syntax = ProviderParser.FromSyntax(options, "sample-provider", compilation, default);
        var constructible = ProviderShape.IsConstructible(options);
        return (syntax, (constructible, constructible ? ProviderParser.FromSymbols(options, "sample-provider") : EquatableArray<SettingModel>.Empty));
    }

    private static string Describe(EquatableArray<SettingModel> settings) => string.Join(
        "\n",
        settings.Select(s => $"{s.PropertyName} {s.Kind} {(s.PerMode ? "perMode" : "")} {(s.Required ? "required" : "")} {(s.IsSecret ? "secret" : "")} {s.PlanModeKey} {s.ActModeKey} [{s.Description}] "
            + string.Join(",", s.EnvironmentVariables.Select(v => v.Name + "?" + v.WhenSettingSet))));
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Providers.Generators;

namespace Providers.Generators.Tests.Analyzers;

/// <summary>
/// Runs an analyzer (and optionally a code fix) over test code compiled offline against the .NET 10 reference
/// assemblies of Basic.Reference.Assemblies and the real Providers.Abstractions, with the generator running, as it
/// does in a user's build.
/// </summary>
internal static class Verify
{
    /// <summary>Global usings every test source gets, so the snippets stay about the rule they test.</summary>
    public const string Usings = """
        global using System;
        global using System.Collections.Generic;
        global using System.ComponentModel.DataAnnotations;
        global using System.Runtime.CompilerServices;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Providers;
        """;

    private const string UsingsPath = "/0/Usings.cs";

    public static DiagnosticResult Diagnostic(string id) => new(id, DiagnosticSeverity.Error);

    public static Task AnalyzerAsync<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new() =>
        AnalyzerAsync<TAnalyzer>(source, runGenerator: true, expected);

    public static Task AnalyzerAsync<TAnalyzer>(string source, bool runGenerator, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new() =>
        AnalyzerAsync<TAnalyzer>(source, runGenerator, [], expected);

    public static Task AnalyzerAsync<TAnalyzer>(string source, bool runGenerator, IEnumerable<MetadataReference> references, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new AnalyzerTest<TAnalyzer>(runGenerator) { TestCode = source };
        test.TestState.Sources.Add((UsingsPath, Usings));
        test.TestState.AdditionalReferences.AddRange(references);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <param name="source">The code before, with the diagnostic marked.</param>
    /// <param name="fixedSource">The code after the fix.</param>
    /// <param name="compilerWarnings">Also require the compiler's warnings (not only its errors) to be exactly those marked, but for missing XML comments and nullable-context notes.</param>
    public static Task CodeFixAsync<TAnalyzer, TCodeFix>(string source, string fixedSource, bool compilerWarnings = false)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CodeFixTest<TAnalyzer, TCodeFix> { TestCode = source, FixedCode = fixedSource };
        if (compilerWarnings)
        {
            // Documentation and nullable-context notes are about the snippet, not the fix.
            test.CompilerDiagnostics = CompilerDiagnostics.Warnings;
            test.DisabledDiagnostics.AddRange(["CS1591", "CS8632"]);
        }

        test.TestState.Sources.Add((UsingsPath, Usings));
        test.FixedState.Sources.Add((UsingsPath, Usings));
        return test.RunAsync();
    }

    /// <summary>Compiles <paramref name="source"/> into an in-memory assembly the test code can reference, as a NuGet package would be.</summary>
    public static MetadataReference CompileReference(string assemblyName, string source)
    {
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(Usings), CSharpSyntaxTree.ParseText(source)],
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    private static readonly MetadataReference[] References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(IApiHandler).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Polly.ResiliencePipeline).Assembly.Location),
    ];

    private static void Configure(ProjectState state) => state.AdditionalReferences.AddRange(References);

    // No reference-assembly package: ReferenceAssemblies.Net.Net100 needs a download; Basic.Reference.Assemblies is local.
    private static readonly ReferenceAssemblies NoPackage = new("net10.0");

    private sealed class AnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        private readonly bool _runGenerator;

        public AnalyzerTest(bool runGenerator)
        {
            _runGenerator = runGenerator;
            ReferenceAssemblies = NoPackage;
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
            Configure(TestState);
        }

        protected override IEnumerable<Type> GetSourceGenerators() =>
            _runGenerator ? [typeof(ProviderGenerator)] : [];
    }

    private sealed class CodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        public CodeFixTest()
        {
            ReferenceAssemblies = NoPackage;
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
            Configure(TestState);
        }

        protected override IEnumerable<Type> GetSourceGenerators() => [typeof(ProviderGenerator)];
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Providers.Generators.Analyzers;

namespace Providers.Generators.Tests.Analyzers;

public class ProviderAnalyzerTests
{
    private const string EchoOptions = """
        public sealed class EchoOptions : ProviderOptions
        {
            public string ApiKey { get; set; } = "";
        }

        """;

    /// <summary>The members every handler needs; <c>{0}</c> in a template is replaced by it.</summary>
    private const string Members = """
            public ApiHandlerModel GetModel() => new("m", new ModelInfo());

            public async IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                await Task.Yield();
                yield return new TextChunk(systemPrompt);
            }
        """;

    /// <summary>A provider that satisfies every rule; tests change one thing in it.</summary>
    private const string ValidProvider = EchoOptions + """
        [Provider("echo")]
        public sealed class EchoHandler(EchoOptions options) : IApiHandler
        {
            public EchoOptions Options => options;

        """ + Members + """

        }
        """;

    private static string Handler(string header, string body = "") => header + "\n{\n" + body + Members + "\n}\n";

    [Fact]
    public Task Valid_provider_has_no_diagnostic() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(ValidProvider);

    // PRV0001

    [Fact]
    public Task Duplicate_provider_id_in_same_assembly_is_an_error() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            EchoOptions
            + Handler("[Provider({|#0:\"echo\"|})]\npublic sealed class EchoHandler(EchoOptions options) : IApiHandler")
            + Handler("[Provider({|#1:\"echo\"|})]\npublic sealed class OtherEchoHandler(EchoOptions options) : IApiHandler"),
            runGenerator: false,
            Verify.Diagnostic("PRV0001").WithLocation(0).WithArguments("echo", "'OtherEchoHandler'"),
            Verify.Diagnostic("PRV0001").WithLocation(1).WithArguments("echo", "'EchoHandler'"));

    [Fact]
    public Task Provider_id_already_declared_by_a_referenced_assembly_is_an_error()
    {
        var library = Verify.CompileReference("Echo.Library", """
            [assembly: ProviderFactory("echo", typeof(Echo.Library.Factories), "CreateEcho", "EchoDescriptor")]

            namespace Echo.Library
            {
                public static class Factories
                {
                }
            }
            """);

        return Verify.AnalyzerAsync<ProviderAnalyzer>(
            ValidProvider.Replace("[Provider(\"echo\")]", "[Provider({|#0:\"echo\"|})]"),
            runGenerator: false,
            [library],
            Verify.Diagnostic("PRV0001").WithLocation(0).WithArguments("echo", "a provider in referenced assembly 'Echo.Library'"));
    }

    [Fact]
    public Task Distinct_provider_ids_have_no_diagnostic() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            EchoOptions
            + Handler("[Provider(\"echo\")]\npublic sealed class EchoHandler(EchoOptions options) : IApiHandler")
            + Handler("[Provider(\"echo-2\")]\npublic sealed class OtherEchoHandler(EchoOptions options) : IApiHandler"));

    // PRV0002

    [Theory]
    [InlineData("My_Echo", "my-echo")]
    [InlineData("customProvider", "custom-provider")]
    [InlineData("Echo", "echo")]
    [InlineData("echo--two", "echo-two")]
    [InlineData("-echo-", "echo")]
    [InlineData("", "echo")]
    [InlineData("  ", "echo")]
    public Task Invalid_provider_id_is_an_error_that_suggests_a_kebab_case_id(string id, string suggestion) =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            ValidProvider.Replace("[Provider(\"echo\")]", $"[Provider({{|#0:\"{id}\"|}})]"),
            Verify.Diagnostic("PRV0002").WithLocation(0).WithArguments(id, suggestion));

    // PRV0003

    [Fact]
    public Task Provider_class_without_IApiHandler_is_an_error() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            EchoOptions + Handler("[Provider(\"echo\")]\npublic sealed class {|#0:EchoHandler|}(EchoOptions options)"),
            Verify.Diagnostic("PRV0003").WithLocation(0).WithArguments("EchoHandler"));

    // PRV0004

    [Theory]
    [InlineData("public abstract class {|#0:EchoHandler|}(EchoOptions options) : IApiHandler", "abstract")]
    [InlineData("public sealed class {|#0:EchoHandler|}<T>(EchoOptions options) : IApiHandler", "generic")]
    public Task Abstract_or_generic_provider_class_is_an_error(string header, string problem) =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            EchoOptions + Handler("[Provider(\"echo\")]\n" + header),
            Verify.Diagnostic("PRV0004").WithLocation(0).WithArguments("EchoHandler", problem));

    [Fact]
    public Task Static_provider_class_is_an_error() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            "[Provider(\"echo\")]\npublic static class {|#0:EchoHandler|}\n{\n}\n",
            Verify.Diagnostic("PRV0003").WithLocation(0).WithArguments("EchoHandler"),
            Verify.Diagnostic("PRV0004").WithLocation(0).WithArguments("EchoHandler", "static"));

    [Fact]
    public Task Provider_class_nested_privately_is_an_error() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            EchoOptions + "public static class Outer\n{\n" + Handler("[Provider(\"echo\")]\nprivate sealed class {|#0:EchoHandler|}(EchoOptions options) : IApiHandler") + "}\n",
            Verify.Diagnostic("PRV0004").WithLocation(0).WithArguments("EchoHandler", "private or protected, or nested in such a type"));

    [Fact]
    public Task Provider_class_nested_in_a_public_class_has_no_diagnostic() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            EchoOptions + "public static class Outer\n{\n" + Handler("[Provider(\"echo\")]\npublic sealed class EchoHandler(EchoOptions options) : IApiHandler") + "}\n");

    // PRV0005

    [Fact]
    public Task Provider_class_without_an_options_constructor_is_an_error() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            EchoOptions + Handler("[Provider(\"echo\")]\npublic sealed class {|#0:EchoHandler|}(string apiKey) : IApiHandler"),
            Verify.Diagnostic("PRV0005").WithLocation(0).WithArguments("EchoHandler", "none (public constructors: EchoHandler(string))"));

    [Fact]
    public Task Provider_class_with_two_options_constructors_is_an_error() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            EchoOptions + "public sealed class OtherOptions : ProviderOptions;\n"
            + Handler(
                "[Provider(\"echo\")]\npublic sealed class {|#0:EchoHandler|} : IApiHandler",
                "    public EchoHandler(EchoOptions options) { }\n    public EchoHandler(OtherOptions options) { }\n"),
            Verify.Diagnostic("PRV0005").WithLocation(0).WithArguments("EchoHandler", "2: EchoHandler(EchoOptions), EchoHandler(OtherOptions)"));

    [Fact]
    public Task Provider_class_with_other_private_constructors_has_no_diagnostic() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            EchoOptions + Handler(
                "[Provider(\"echo\")]\npublic sealed class EchoHandler : IApiHandler",
                "    public EchoHandler(EchoOptions options) { }\n    private EchoHandler() { }\n"));

    // PRV0006

    [Theory]
    [InlineData("public abstract class EchoOptions : ProviderOptions;", "it is abstract")]
    [InlineData("public sealed class EchoOptions(string key) : ProviderOptions;", "it has no public parameterless constructor")]
    [InlineData("public sealed class EchoOptions : ProviderOptions { public required string ApiKey { get; set; } }", "it has required members (ApiKey)")]
    public Task Options_type_that_cannot_be_created_is_an_error(string options, string reason) =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            options + "\n" + Handler("[Provider(\"echo\")]\npublic sealed class EchoHandler({|#0:EchoOptions|} options) : IApiHandler"),
            Verify.Diagnostic("PRV0006").WithLocation(0).WithArguments("EchoOptions", reason));

    // PRV0012

    [Fact]
    public Task Option_of_an_unsupported_type_is_a_warning() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            ValidProvider.Replace("public string ApiKey { get; set; } = \"\";", "public string ApiKey { get; set; } = \"\";\n    public List<int> {|#0:Ports|} { get; set; } = [];"),
            Verify.Diagnostic("PRV0012").WithSeverity(DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Ports", "System.Collections.Generic.List<int>"));

    [Fact]
    public Task Option_of_an_unsupported_type_marked_SettingIgnore_has_no_diagnostic() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            ValidProvider.Replace("public string ApiKey { get; set; } = \"\";", "public string ApiKey { get; set; } = \"\";\n    [SettingIgnore]\n    public List<int> Ports { get; set; } = [];"));

    [Fact]
    public Task Option_problem_in_a_referenced_base_type_is_reported_on_the_provider_attribute()
    {
        var library = Verify.CompileReference("Echo.Base", """
            namespace Echo.Base;

            public class BaseOptions : ProviderOptions
            {
                public object? Extra { get; set; }
            }
            """);

        return Verify.AnalyzerAsync<ProviderAnalyzer>(
            "public sealed class EchoOptions : Echo.Base.BaseOptions;\n"
            + Handler("[{|#0:Provider(\"echo\")|}]\npublic sealed class EchoHandler(EchoOptions options) : IApiHandler"),
            runGenerator: true,
            [library],
            Verify.Diagnostic("PRV0012").WithSeverity(DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Extra", "object?"));
    }

    [Fact]
    public Task Options_type_shared_by_two_providers_reports_its_problem_once() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            "public sealed class EchoOptions : ProviderOptions { public object? {|#0:Extra|} { get; set; } }\n"
            + Handler("[Provider(\"echo\")]\npublic sealed class EchoHandler(EchoOptions options) : IApiHandler")
            + Handler("[Provider(\"echo-2\")]\npublic sealed class OtherEchoHandler(EchoOptions options) : IApiHandler"),
            Verify.Diagnostic("PRV0012").WithSeverity(DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Extra", "object?"));

    [Fact]
    public Task Option_of_an_unsupported_type_is_reported_before_any_provider_uses_the_options() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            "public class DraftOptions : ProviderOptions { public object? {|#0:Extra|} { get; set; } }\n",
            Verify.Diagnostic("PRV0012").WithSeverity(DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Extra", "object?"));

    // PRV0013

    [Fact]
    public Task Option_with_a_binding_attribute_and_no_setter_is_a_warning() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            ValidProvider.Replace("public string ApiKey { get; set; } = \"\";", "public string ApiKey { get; set; } = \"\";\n    [PerMode]\n    public string {|#0:ModelId|} { get; } = \"m\";"),
            Verify.Diagnostic("PRV0013").WithSeverity(DiagnosticSeverity.Warning).WithLocation(0).WithArguments("ModelId"));

    [Fact]
    public Task Get_only_option_without_a_binding_attribute_has_no_diagnostic() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            ValidProvider.Replace("public string ApiKey { get; set; } = \"\";", "public string ApiKey { get; set; } = \"\";\n    public string Computed => ApiKey + \"!\";"));

    // PRV0014

    [Theory]
    [InlineData("[SettingKey(\"echoApiKey\")]", "echoApiKey")]
    [InlineData("[SettingKey(\"EchoAPIKey\")]", "EchoAPIKey")]
    public Task Option_keys_that_collide_are_an_error(string attribute, string key) =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            ValidProvider.Replace("public string ApiKey { get; set; } = \"\";", $"public string ApiKey {{ get; set; }} = \"\";\n    {attribute}\n    public string {{|#0:Key2|}} {{ get; set; }} = \"\";"),
            runGenerator: false,
            Verify.Diagnostic("PRV0014").WithLocation(0).WithArguments("Key2", key, "ApiKey"));

    [Fact]
    public Task Option_key_colliding_with_a_per_mode_key_is_an_error() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            ValidProvider.Replace("public string ApiKey { get; set; } = \"\";", "[PerMode]\n    public string ModelId { get; set; } = \"\";\n    [SettingKey(\"actModeEchoModelId\")]\n    public string {|#0:ActModel|} { get; set; } = \"\";"),
            runGenerator: false,
            Verify.Diagnostic("PRV0014").WithLocation(0).WithArguments("ActModel", "actModeEchoModelId", "ModelId"));

    [Fact]
    public Task Option_keys_that_differ_have_no_diagnostic() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            ValidProvider.Replace("public string ApiKey { get; set; } = \"\";", "public string ApiKey { get; set; } = \"\";\n    [PerMode]\n    public string ModelId { get; set; } = \"\";\n    [SettingKey(\"echoModel\")]\n    public string Model { get; set; } = \"\";"));
}

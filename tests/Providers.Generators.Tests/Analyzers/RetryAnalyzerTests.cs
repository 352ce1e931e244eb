using Providers.Generators.Analyzers;

namespace Providers.Generators.Tests.Analyzers;

public class RetryAnalyzerTests
{
    private const string EchoOptions = """
        public sealed class EchoOptions : ProviderOptions
        {
            public string ApiKey { get; set; } = "";
        }

        """;

    private const string CreateMessageCore = """
            private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, [EnumeratorCancellation] CancellationToken cancellationToken)
            {
                await Task.Yield();
                yield return new TextChunk(systemPrompt);
            }
        """;

    private static string Provider(string header, string body) => EchoOptions + """
        [Provider("echo")]

        """ + header + """

        {
            public EchoOptions Options => options;

            public ApiHandlerModel GetModel() => new("m", new ModelInfo());

        """ + body + """

        }
        """;

    private static string Client(string attribute, string body) => EchoOptions + """
        public sealed partial class EchoClient(EchoOptions options)
        {
            public EchoOptions Options => options;

            private Task<int> CountCoreAsync(int n, CancellationToken cancellationToken) => Task.FromResult(n);

            
        """ + attribute + "\n    " + body + "\n}\n";

    [Fact]
    public Task Class_level_retry_on_a_partial_provider_with_its_Core_method_has_no_diagnostic() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(Provider("[WithRetry(MaxRetries = 2)]\npublic sealed partial class EchoHandler(EchoOptions options) : IApiHandler", CreateMessageCore));

    [Fact]
    public Task Method_level_retry_on_a_partial_method_with_its_Core_method_has_no_diagnostic() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(Client("[WithRetry]", "public partial Task<int> CountAsync(int n, CancellationToken cancellationToken);"));

    // A Core method need not be an iterator: one that returns a hand-written enumerable (so a provider can hand its
    // reader's chunks straight through) has the same shape, and the wrapper calls it the same way.
    private const string HandWrittenEnumerable = """
        public sealed class Echo(string text) : IAsyncEnumerable<ApiStreamChunk>, IAsyncEnumerator<ApiStreamChunk>
        {
            private bool _done;

            public ApiStreamChunk Current => new TextChunk(text);

            public IAsyncEnumerator<ApiStreamChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default) => new Echo(text);

            public ValueTask<bool> MoveNextAsync()
            {
                var more = !_done;
                _done = true;
                return new ValueTask<bool>(more);
            }

            public ValueTask DisposeAsync() => default;
        }

        """;

    [Fact]
    public Task Class_level_retry_whose_Core_method_returns_a_hand_written_enumerable_has_no_diagnostic() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(HandWrittenEnumerable + Provider(
            "[WithRetry(MaxRetries = 2)]\npublic sealed partial class EchoHandler(EchoOptions options) : IApiHandler",
            "    private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, CancellationToken cancellationToken) => new Echo(systemPrompt);"));

    [Fact]
    public Task Class_level_retry_whose_Core_method_with_overrides_is_a_plain_method_has_no_diagnostic() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(HandWrittenEnumerable + Provider(
            "[WithRetry]\npublic sealed partial class EchoHandler(EchoOptions options) : IApiHandlerWithOverrides",
            """
                public RequestOverrideKinds SupportedOverrides => RequestOverrideKinds.ModelId;

                private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, CancellationToken cancellationToken)
                {
                    ArgumentNullException.ThrowIfNull(overrides);
                    return new Echo(overrides.ModelId ?? systemPrompt);
                }
            """));

    [Fact]
    public Task Method_level_retry_whose_Core_method_returns_a_hand_written_enumerable_has_no_diagnostic() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(HandWrittenEnumerable + Client(
            "[WithRetry]",
            "public partial IAsyncEnumerable<ApiStreamChunk> EchoAsync(string text, CancellationToken cancellationToken);\n    private IAsyncEnumerable<ApiStreamChunk> EchoCoreAsync(string text, CancellationToken cancellationToken) => new Echo(text);"));

    // PRV0007

    [Fact]
    public Task Class_level_retry_on_a_non_partial_class_is_an_error() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(
            EchoOptions + "[WithRetry]\npublic sealed class {|#0:EchoClient|}(EchoOptions options)\n{\n    public EchoOptions Options => options;\n" + CreateMessageCore + "\n}\n",
            Verify.Diagnostic("PRV0007").WithLocation(0).WithArguments("type 'EchoClient'"));

    [Fact]
    public Task Class_level_retry_in_a_non_partial_containing_type_is_an_error() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(
            EchoOptions + "public static class Outer\n{\n[WithRetry]\npublic sealed partial class {|#0:EchoClient|}(EchoOptions options)\n{\n    public EchoOptions Options => options;\n" + CreateMessageCore + "\n}\n}\n",
            Verify.Diagnostic("PRV0007").WithLocation(0).WithArguments("type 'Outer'"));

    [Fact]
    public Task Method_level_retry_on_a_non_partial_method_is_an_error() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(
            Client("[WithRetry]", "public Task<int> {|#0:CountAsync|}(int n, CancellationToken cancellationToken) => CountCoreAsync(n, cancellationToken);"),
            Verify.Diagnostic("PRV0007").WithLocation(0).WithArguments("method 'CountAsync'"));

    // PRV0008

    [Theory]
    [InlineData("int")]
    [InlineData("IEnumerable<int>")]
    public Task Method_level_retry_on_an_unsupported_return_type_is_an_error(string returnType) =>
        Verify.AnalyzerAsync<RetryAnalyzer>(
            Client("[WithRetry]", $"public {{|#0:{returnType}|}} {{|#1:Count|}}(int n) => default!;"),
            runGenerator: false,
            Verify.Diagnostic("PRV0007").WithLocation(1).WithArguments("method 'Count'"),
            Verify.Diagnostic("PRV0008").WithLocation(0).WithArguments(returnType.Replace("IEnumerable", "System.Collections.Generic.IEnumerable")));

    [Theory]
    [InlineData("Task")]
    [InlineData("ValueTask")]
    [InlineData("ValueTask<int>")]
    [InlineData("IAsyncEnumerable<int>")]
    public Task Method_level_retry_on_a_supported_return_type_has_no_diagnostic(string returnType) =>
        Verify.AnalyzerAsync<RetryAnalyzer>(
            EchoOptions + $$"""
            public sealed partial class EchoClient(EchoOptions options)
            {
                public EchoOptions Options => options;

                private {{returnType}} RunCoreAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

                [WithRetry]
                public partial {{returnType}} RunAsync(CancellationToken cancellationToken);
            }
            """);

    // PRV0009

    [Fact]
    public Task Class_level_retry_without_CreateMessageCoreAsync_is_an_error() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(
            Provider("[WithRetry]\npublic sealed partial class {|#0:EchoHandler|}(EchoOptions options) : IApiHandler", ""),
            Verify.Diagnostic("PRV0009").WithLocation(0).WithArguments(
                "EchoHandler",
                "CreateMessageCoreAsync",
                "the parameters (string, IReadOnlyList<ChatMessage>, IReadOnlyList<ToolDefinition>?, CancellationToken) returning IAsyncEnumerable<ApiStreamChunk>"));

    [Fact]
    public Task Method_level_retry_whose_Core_method_has_other_parameters_is_an_error() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(
            Client("[WithRetry]", "public partial Task<int> {|#0:CountAsync|}(long n, CancellationToken cancellationToken);"),
            Verify.Diagnostic("PRV0009").WithLocation(0).WithArguments("CountAsync", "CountCoreAsync", "the same parameter types and return type as CountAsync"));

    // A Core inherited from a base class (PRV0009 when none has the shape, PRV0016 when the one found cannot be called)

    private const string FamilyBase = """
        public abstract class FamilyHandler<TOptions> where TOptions : ProviderOptions
        {
            protected abstract TOptions Options { get; }

            public ApiHandlerModel GetModel() => new("m", new ModelInfo());

            public RequestOverrideKinds SupportedOverrides => RequestOverrideKinds.ModelId;

            private protected IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, CancellationToken cancellationToken) => throw new NotSupportedException();

            protected Task<TOptions> LoadCoreAsync(CancellationToken cancellationToken) => Task.FromResult(Options);
        }

        """;

    [Fact]
    public Task Retry_whose_Core_a_generic_base_class_declares_has_no_diagnostic() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(EchoOptions + FamilyBase + """
            [Provider("echo"), WithRetry]
            public sealed partial class EchoHandler(EchoOptions options) : FamilyHandler<EchoOptions>, IApiHandlerWithOverrides
            {
                protected override EchoOptions Options => options;

                [WithRetry]
                public partial Task<EchoOptions> LoadAsync(CancellationToken cancellationToken);
            }
            """);

    [Fact]
    public Task Retry_whose_generic_base_Core_returns_another_type_after_substitution_is_an_error() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(EchoOptions + FamilyBase + """
            public sealed class OtherOptions : ProviderOptions { }

            [Provider("echo"), WithRetry]
            public sealed partial class EchoHandler(EchoOptions options) : FamilyHandler<EchoOptions>, IApiHandlerWithOverrides
            {
                protected override EchoOptions Options => options;

                [WithRetry]
                public partial Task<OtherOptions> {|#0:LoadAsync|}(CancellationToken cancellationToken);
            }
            """,
            Verify.Diagnostic("PRV0009").WithLocation(0).WithArguments("LoadAsync", "LoadCoreAsync", "the same parameter types and return type as LoadAsync"));

    [Fact]
    public Task Class_level_retry_whose_base_class_Core_is_private_says_so_and_what_to_do() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(EchoOptions + """
            public abstract class EchoBase
            {
                public ApiHandlerModel GetModel() => new("m", new ModelInfo());

                private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, CancellationToken cancellationToken) => throw new NotSupportedException();
            }

            [Provider("echo"), WithRetry]
            public sealed partial class {|#0:EchoHandler|}(EchoOptions options) : EchoBase, IApiHandler
            {
                public EchoOptions Options => options;
            }
            """,
            Verify.Diagnostic("PRV0016").WithLocation(0).WithArguments(
                "EchoHandler",
                "CreateMessageCoreAsync",
                "'EchoBase.CreateMessageCoreAsync' is private to 'EchoBase', so 'EchoHandler' cannot call it",
                "make it protected in 'EchoBase', or write 'CreateMessageCoreAsync' in 'EchoHandler'"));

    [Fact]
    public Task Retry_on_a_class_whose_base_is_in_a_referenced_assembly_takes_its_protected_Core_not_its_internal_one()
    {
        var library = Verify.CompileReference("Echo.Library", """
            namespace Echo.Library;

            public abstract class PackagedBase
            {
                public ApiHandlerModel GetModel() => new("m", new ModelInfo());

                protected IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, CancellationToken cancellationToken) => throw new NotSupportedException();

                internal Task<int> CountCoreAsync(int n, CancellationToken cancellationToken) => Task.FromResult(n);
            }
            """);

        return Verify.AnalyzerAsync<RetryAnalyzer>(
            EchoOptions + """
            [Provider("echo"), WithRetry]
            public sealed partial class EchoHandler(EchoOptions options) : Echo.Library.PackagedBase, IApiHandler
            {
                public EchoOptions Options => options;

                [WithRetry]
                public partial Task<int> {|#0:CountAsync|}(int n, CancellationToken cancellationToken);
            }
            """,
            runGenerator: true,
            [library],
            // Another assembly's internal member is not there for the compiler at all: it is missing, as C# sees it.
            Verify.Diagnostic("PRV0009").WithLocation(0).WithArguments("CountAsync", "CountCoreAsync", "the same parameter types and return type as CountAsync"));
    }

    [Fact]
    public Task Retry_whose_Core_is_on_both_the_class_and_its_base_takes_the_class_own_without_a_diagnostic() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(EchoOptions + """
            public abstract class EchoBase
            {
                public ApiHandlerModel GetModel() => new("m", new ModelInfo());

                private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, CancellationToken cancellationToken) => throw new NotSupportedException();

                protected Task<int> CountCoreAsync(int n, CancellationToken cancellationToken) => Task.FromResult(-n);
            }

            [Provider("echo"), WithRetry]
            public sealed partial class EchoHandler(EchoOptions options) : EchoBase, IApiHandler
            {
                public EchoOptions Options => options;

                [WithRetry]
                public partial Task<int> CountAsync(int n, CancellationToken cancellationToken);

                private new Task<int> CountCoreAsync(int n, CancellationToken cancellationToken) => Task.FromResult(n);

            """ + CreateMessageCore + """

            }
            """);

    [Theory]
    [InlineData("EchoCounter", "", "private Task<int> CountCoreAsync(int n, CancellationToken cancellationToken) => Task.FromResult(n);")]
    [InlineData("CounterBase", "protected Task<int> CountCoreAsync(int n, CancellationToken cancellationToken) => Task.FromResult(n);", "")]
    public Task Static_retry_over_an_instance_Core_says_so_and_what_to_do(string owner, string inBase, string inClass) =>
        Verify.AnalyzerAsync<RetryAnalyzer>($$"""
            public abstract class CounterBase
            {
                {{inBase}}
            }

            public sealed partial class EchoCounter : CounterBase
            {
                [WithRetry]
                public static partial Task<int> {|#0:CountAsync|}(int n, CancellationToken cancellationToken);

                {{inClass}}
            }
            """,
            Verify.Diagnostic("PRV0016").WithLocation(0).WithArguments(
                "CountAsync",
                "CountCoreAsync",
                $"'{owner}.CountCoreAsync' is an instance method and 'CountAsync' is static",
                "make 'CountCoreAsync' static, or make 'CountAsync' an instance method"));

    // PRV0010

    [Fact]
    public Task Class_level_retry_on_a_class_that_writes_CreateMessageAsync_is_an_error() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(
            Provider("[WithRetry]\npublic sealed partial class EchoHandler(EchoOptions options) : IApiHandler", CreateMessageCore.Replace("private", "public").Replace("CreateMessageCoreAsync", "{|#0:CreateMessageAsync|}")),
            Verify.Diagnostic("PRV0010").WithLocation(0).WithArguments("EchoHandler"));

    // PRV0011

    [Theory]
    [InlineData("{|#0:MaxRetries = -1|}", "MaxRetries", -1, "use 0 or more")]
    [InlineData("{|#0:BaseDelayMs = 0|}", "BaseDelayMs", 0, "use a delay above 0")]
    [InlineData("BaseDelayMs = 500, {|#0:MaxDelayMs = 100|}", "MaxDelayMs", 100, "use at least BaseDelayMs (500)")]
    [InlineData("{|#0:BaseDelayMs = 20000|}", "BaseDelayMs", 20000, "use at most MaxDelayMs (10000)")]
    public Task Impossible_retry_numbers_are_an_error(string arguments, string name, int value, string advice) =>
        Verify.AnalyzerAsync<RetryAnalyzer>(
            Client($"[WithRetry({arguments})]", "public partial Task<int> CountAsync(int n, CancellationToken cancellationToken);"),
            Verify.Diagnostic("PRV0011").WithLocation(0).WithArguments(name, value, advice));

    [Theory]
    [InlineData("MaxRetries = 0")]
    [InlineData("BaseDelayMs = 1, MaxDelayMs = 1")]
    [InlineData("BaseDelayMs = 20000, MaxDelayMs = 60000, RetryAllErrors = true")]
    public Task Possible_retry_numbers_have_no_diagnostic(string arguments) =>
        Verify.AnalyzerAsync<RetryAnalyzer>(
            Client($"[WithRetry({arguments})]", "public partial Task<int> CountAsync(int n, CancellationToken cancellationToken);"));

    // PRV0015

    [Fact]
    public Task Static_retry_method_whose_options_belong_to_an_instance_is_a_warning() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(
            EchoOptions + """
                public sealed partial class EchoClient(EchoOptions options)
                {
                    public EchoOptions Options => options;

                    [WithRetry]
                    public static partial Task {|#0:FlushAsync|}(CancellationToken cancellationToken);

                    private static Task FlushCoreAsync(CancellationToken cancellationToken) => Task.CompletedTask;
                }
                """,
            Verify.Diagnostic("PRV0015").WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0).WithArguments("FlushAsync", "Options"));

    [Fact]
    public Task Static_retry_method_with_a_static_options_member_has_no_diagnostic() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(
            EchoOptions + """
                public sealed partial class EchoClient
                {
                    private static readonly EchoOptions Shared = new();

                    [WithRetry]
                    public static partial Task FlushAsync(CancellationToken cancellationToken);

                    private static Task FlushCoreAsync(CancellationToken cancellationToken) => Task.CompletedTask;
                }
                """);

    [Fact]
    public Task Static_retry_method_in_a_class_without_options_has_no_diagnostic() =>
        Verify.AnalyzerAsync<RetryAnalyzer>(
            """
            public static partial class Jobs
            {
                [WithRetry]
                public static partial Task FlushAsync(CancellationToken cancellationToken);

                private static Task FlushCoreAsync(CancellationToken cancellationToken) => Task.CompletedTask;
            }
            """);
}

using Providers.Generators.Analyzers;
using Providers.Generators.CodeFixes;

namespace Providers.Generators.Tests.Analyzers;

public class CodeFixTests
{
    private const string EchoOptions = """
        public sealed class EchoOptions : ProviderOptions
        {
            public string ApiKey { get; set; } = "";
        }

        """;

    private const string HandlerMembers = """
            public ApiHandlerModel GetModel() => new("m", new ModelInfo());

            public async IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                await Task.Yield();
                yield return new TextChunk(systemPrompt);
            }
        """;

    private const string CreateMessageCore = """
            private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, [EnumeratorCancellation] CancellationToken cancellationToken)
            {
                await Task.Yield();
                yield return new TextChunk(systemPrompt);
            }
        """;

    // PRV0003

    [Fact]
    public Task Missing_IApiHandler_is_added_to_a_class_without_a_base_list() =>
        Verify.CodeFixAsync<ProviderAnalyzer, AddApiHandlerCodeFix>(
            EchoOptions + "[Provider(\"echo\")]\npublic sealed class {|PRV0003:EchoHandler|}(EchoOptions options)\n{\n" + HandlerMembers + "\n}\n",
            EchoOptions + "[Provider(\"echo\")]\npublic sealed class EchoHandler(EchoOptions options) : IApiHandler\n{\n" + HandlerMembers + "\n}\n");

    [Fact]
    public Task Missing_IApiHandler_is_appended_to_an_existing_base_list() =>
        Verify.CodeFixAsync<ProviderAnalyzer, AddApiHandlerCodeFix>(
            EchoOptions + "[Provider(\"echo\")]\npublic sealed class {|PRV0003:EchoHandler|} : IDisposable\n{\n    public EchoHandler(EchoOptions options) { }\n    public void Dispose() { }\n" + HandlerMembers + "\n}\n",
            EchoOptions + "[Provider(\"echo\")]\npublic sealed class EchoHandler : IDisposable, IApiHandler\n{\n    public EchoHandler(EchoOptions options) { }\n    public void Dispose() { }\n" + HandlerMembers + "\n}\n");

    // PRV0007

    [Fact]
    public Task Partial_is_added_to_a_retry_class() =>
        Verify.CodeFixAsync<RetryAnalyzer, AddPartialCodeFix>(
            EchoOptions + "[Provider(\"echo\")]\n[WithRetry]\npublic sealed class {|PRV0007:EchoHandler|}(EchoOptions options)\n{\n    public EchoOptions Options => options;\n" + CreateMessageCore + "\n}\n",
            EchoOptions + "[Provider(\"echo\")]\n[WithRetry]\npublic sealed partial class EchoHandler(EchoOptions options)\n{\n    public EchoOptions Options => options;\n" + CreateMessageCore + "\n}\n");

    [Fact]
    public Task Partial_is_added_to_a_retry_class_and_the_types_containing_it() =>
        Verify.CodeFixAsync<RetryAnalyzer, AddPartialCodeFix>(
            EchoOptions + "namespace App\n{\n    static class Outer\n    {\n        [WithRetry]\n        sealed class {|PRV0007:EchoClient|}(EchoOptions options)\n        {\n            public EchoOptions Options => options;\n" + CreateMessageCore + "\n        }\n    }\n}\n",
            EchoOptions + "namespace App\n{\n    static partial class Outer\n    {\n        [WithRetry]\n        sealed partial class EchoClient(EchoOptions options)\n        {\n            public EchoOptions Options => options;\n" + CreateMessageCore + "\n        }\n    }\n}\n");

    [Fact]
    public Task Partial_is_added_to_a_class_without_modifiers_keeping_its_indentation() =>
        Verify.CodeFixAsync<RetryAnalyzer, AddPartialCodeFix>(
            EchoOptions + "public static partial class Outer\n{\n    [WithRetry]\n    class {|PRV0007:EchoClient|}(EchoOptions options)\n    {\n        public EchoOptions Options => options;\n" + CreateMessageCore + "\n    }\n}\n",
            EchoOptions + "public static partial class Outer\n{\n    [WithRetry]\n    partial class EchoClient(EchoOptions options)\n    {\n        public EchoOptions Options => options;\n" + CreateMessageCore + "\n    }\n}\n");

    [Fact]
    public Task Partial_is_added_to_a_retry_method_declaration_and_its_class() =>
        Verify.CodeFixAsync<RetryAnalyzer, AddPartialCodeFix>(
            EchoOptions + """
            public sealed class EchoClient(EchoOptions options)
            {
                public EchoOptions Options => options;

                private Task<int> CountCoreAsync(int n, CancellationToken cancellationToken) => Task.FromResult(n);

                [WithRetry]
                public Task<int> {|PRV0007:{|CS0501:CountAsync|}|}(int n, CancellationToken cancellationToken);
            }
            """,
            EchoOptions + """
            public sealed partial class EchoClient(EchoOptions options)
            {
                public EchoOptions Options => options;

                private Task<int> CountCoreAsync(int n, CancellationToken cancellationToken) => Task.FromResult(n);

                [WithRetry]
                public partial Task<int> CountAsync(int n, CancellationToken cancellationToken);
            }
            """);

    // PRV0010

    [Fact]
    public Task User_written_CreateMessageAsync_is_renamed_to_CreateMessageCoreAsync() =>
        Verify.CodeFixAsync<RetryAnalyzer, RenameToCreateMessageCoreCodeFix>(
            EchoOptions + "[Provider(\"echo\")]\n[WithRetry]\npublic sealed partial class EchoHandler(EchoOptions options) : IApiHandler\n{\n    public EchoOptions Options => options;\n" + HandlerMembers.Replace("CreateMessageAsync", "{|PRV0010:CreateMessageAsync|}") + "\n}\n",
            EchoOptions + "[Provider(\"echo\")]\n[WithRetry]\npublic sealed partial class EchoHandler(EchoOptions options) : IApiHandler\n{\n    public EchoOptions Options => options;\n" + HandlerMembers.Replace("CreateMessageAsync", "CreateMessageCoreAsync") + "\n}\n");

    /// <summary>
    /// A base class's callable Core of the same parameters is hidden by the renamed method, which the wrapper then calls
    /// (the class's own comes first): the fix marks it <c>new</c>, so the build has no CS0108 warning.
    /// </summary>
    [Fact]
    public Task Renamed_CreateMessageAsync_that_hides_a_base_class_Core_is_marked_new() =>
        Verify.CodeFixAsync<RetryAnalyzer, RenameToCreateMessageCoreCodeFix>(
            EchoOptions + EchoBase + "[Provider(\"echo\")]\n[WithRetry]\npublic sealed partial class EchoHandler(EchoOptions options) : EchoBase, IApiHandler\n{\n    public EchoOptions Options => options;\n" + HandlerMembers.Replace("CreateMessageAsync", "{|PRV0010:CreateMessageAsync|}") + "\n}\n",
            EchoOptions + EchoBase + "[Provider(\"echo\")]\n[WithRetry]\npublic sealed partial class EchoHandler(EchoOptions options) : EchoBase, IApiHandler\n{\n    public EchoOptions Options => options;\n" + HandlerMembers.Replace("public async IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync", "public new async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync") + "\n}\n",
            compilerWarnings: true);

    /// <summary>A base class whose Core a handler could inherit.</summary>
    private const string EchoBase = """
        public abstract class EchoBase
        {
            protected async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, [EnumeratorCancellation] CancellationToken cancellationToken)
            {
                await Task.Yield();
                yield return new TextChunk("base");
            }
        }

        """;

    [Fact]
    public Task Retry_method_with_a_body_gets_no_partial_fix() =>
        Verify.CodeFixAsync<RetryAnalyzer, AddPartialCodeFix>(
            EchoOptions + """
            public sealed partial class EchoClient
            {
                private Task<int> CountCoreAsync(int n) => Task.FromResult(n);

                [WithRetry]
                public Task<int> {|PRV0007:CountAsync|}(int n) => CountCoreAsync(n);
            }
            """,
            EchoOptions + """
            public sealed partial class EchoClient
            {
                private Task<int> CountCoreAsync(int n) => Task.FromResult(n);

                [WithRetry]
                public Task<int> {|PRV0007:CountAsync|}(int n) => CountCoreAsync(n);
            }
            """);

    // PRV0002

    [Fact]
    public Task Invalid_provider_id_is_replaced_by_the_suggested_one() =>
        Verify.CodeFixAsync<ProviderAnalyzer, UseSuggestedProviderIdCodeFix>(
            EchoOptions + "[Provider({|PRV0002:\"Echo_Provider\"|})]\npublic sealed class EchoHandler(EchoOptions options) : IApiHandler\n{\n" + HandlerMembers + "\n}\n",
            EchoOptions + "[Provider(\"echo-provider\")]\npublic sealed class EchoHandler(EchoOptions options) : IApiHandler\n{\n" + HandlerMembers + "\n}\n");

    // PRV0012

    [Fact]
    public Task Option_of_an_unsupported_type_is_marked_SettingIgnore() =>
        Verify.CodeFixAsync<ProviderAnalyzer, AddSettingIgnoreCodeFix>(
            """
            public sealed class EchoOptions : ProviderOptions
            {
                public string ApiKey { get; set; } = "";

                /// <summary>Ports to try.</summary>
                public List<int> {|PRV0012:Ports|} { get; set; } = [];
            }

            """ + "[Provider(\"echo\")]\npublic sealed class EchoHandler(EchoOptions options) : IApiHandler\n{\n" + HandlerMembers + "\n}\n",
            """
            public sealed class EchoOptions : ProviderOptions
            {
                public string ApiKey { get; set; } = "";

                /// <summary>Ports to try.</summary>
                [SettingIgnore]
                public List<int> Ports { get; set; } = [];
            }

            """ + "[Provider(\"echo\")]\npublic sealed class EchoHandler(EchoOptions options) : IApiHandler\n{\n" + HandlerMembers + "\n}\n");
}

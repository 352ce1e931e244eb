using Providers.Generators.Analyzers;

namespace Providers.Generators.Tests.Analyzers;

public class ProviderAnalyzerTests
{
    /// <summary>A provider that satisfies every rule; tests change one thing in it.</summary>
    private const string ValidProvider = """
        public sealed class EchoOptions : ProviderOptions
        {
            public string ApiKey { get; set; } = "";
        }

        [Provider("echo")]
        public sealed class EchoHandler(EchoOptions options) : IApiHandler
        {
            public EchoOptions Options => options;

            public ApiHandlerModel GetModel() => new(options.ApiKey, new ModelInfo());

            public async IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                await Task.Yield();
                yield return new TextChunk(systemPrompt);
            }
        }
        """;

    [Fact]
    public Task Valid_provider_has_no_diagnostic() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(ValidProvider);

    [Fact]
    public Task Invalid_provider_id_is_an_error_that_suggests_a_kebab_case_id() =>
        Verify.AnalyzerAsync<ProviderAnalyzer>(
            ValidProvider.Replace("[Provider(\"echo\")]", "[Provider({|#0:\"My_Echo\"|})]"),
            Verify.Diagnostic("PRV0002").WithLocation(0).WithArguments("My_Echo", "my-echo"));
}

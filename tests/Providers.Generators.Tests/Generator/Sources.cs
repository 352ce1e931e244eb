namespace Providers.Generators.Tests.Generator;

/// <summary>Representative inputs for the generator.</summary>
internal static class Sources
{
    public const string CustomProvider = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using Providers;

        namespace Contoso.Llm;

        public enum Tier { Free, PayAsYouGo }

        public sealed class CustomProviderOptions : ProviderOptions
        {
            [Required]
            [EnvironmentVariable("CONTOSO_PREMIUM_API_KEY", WhenSet = nameof(Tier))]
            [EnvironmentVariable("CONTOSO_API_KEY")]
            public string ApiKey { get; set; } = "";

            [PerMode, Required]
            public string ModelId { get; set; } = "";

            public Uri BaseUrl { get; set; } = new("https://llm.contoso.test/v1");

            [SettingKey("customHeaders")]
            public IReadOnlyDictionary<string, string>? Headers { get; set; }

            [PerMode]
            public int? ThinkingBudgetTokens { get; set; }

            public Tier Tier { get; set; }

            public double Temperature { get; set; } = 0.2;

            public bool UseStreaming { get; init; } = true;

            [PerMode]
            public ModelInfo? ModelInfo { get; set; }

            public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

            public string DisplayLabel => "computed, not a setting";
        }

        [Provider("custom-provider")]
        [WithRetry(MaxRetries = 3, BaseDelayMs = 1000, MaxDelayMs = 10000)]
        public sealed partial class CustomProviderHandler(CustomProviderOptions options) : IApiHandler
        {
            public ApiHandlerModel GetModel() => new(options.ModelId, options.ModelInfo ?? new ModelInfo());

            private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
                string systemPrompt,
                IReadOnlyList<ChatMessage> messages,
                IReadOnlyList<ToolDefinition>? tools,
                [EnumeratorCancellation] CancellationToken cancellationToken)
            {
                await System.Threading.Tasks.Task.Yield();
                yield return new TextChunk("hello");
            }
        }
        """;

    public const string MethodLevelRetries = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Providers;

        namespace Contoso.Tools;

        public sealed class LookupOptions : ProviderOptions
        {
        }

        public static partial class Outer
        {
            public sealed partial class Lookup
            {
                private readonly LookupOptions _options = new();

                [WithRetry(MaxRetries = 4, BaseDelayMs = 250, MaxDelayMs = 1000, RetryAllErrors = true)]
                public partial Task<string> FetchAsync(string id, CancellationToken cancellationToken);

                private Task<string> FetchCoreAsync(string id, CancellationToken cancellationToken) => Task.FromResult(id);

                [WithRetry]
                public partial ValueTask<int?> CountAsync(CancellationToken cancellationToken = default);

                private ValueTask<int?> CountCoreAsync(CancellationToken cancellationToken) => new((int?)1);

                [WithRetry(MaxRetries = 1)]
                internal partial Task PingAsync();

                private Task PingCoreAsync() => Task.CompletedTask;

                [WithRetry(MaxRetries = 2)]
                public static partial ValueTask FlushAsync(CancellationToken cancellationToken);

                private static ValueTask FlushCoreAsync(CancellationToken cancellationToken) => default;

                [WithRetry(MaxRetries = 2)]
                public partial IAsyncEnumerable<string> PagesAsync(int count, CancellationToken cancellationToken);

                private async IAsyncEnumerable<string> PagesCoreAsync(int count, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    yield return "page";
                }
            }
        }
        """;

    public const string LibraryProvider = """
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using Providers;

        namespace Library;

        public sealed class BuiltInOptions : ProviderOptions
        {
            [PerMode]
            public string ModelId { get; set; } = "built-in-1";
        }

        [Provider("built-in", DisplayName = "Built-In")]
        public sealed class BuiltInHandler(BuiltInOptions options) : IApiHandler
        {
            public ApiHandlerModel GetModel() => new(options.ModelId, new ModelInfo());

            public async IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(
                string systemPrompt,
                IReadOnlyList<ChatMessage> messages,
                IReadOnlyList<ToolDefinition>? tools = null,
                [EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                await System.Threading.Tasks.Task.Yield();
                yield return new TextChunk(options.ModelId);
            }
        }
        """;

    public const string AppProvider = """
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using Providers;

        namespace App;

        public sealed class MineOptions : ProviderOptions
        {
            public string Greeting { get; set; } = "hi";
        }

        [Provider("mine")]
        internal sealed class MineHandler(MineOptions options) : IApiHandler
        {
            public ApiHandlerModel GetModel() => new("mine", new ModelInfo());

            public async IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(
                string systemPrompt,
                IReadOnlyList<ChatMessage> messages,
                IReadOnlyList<ToolDefinition>? tools = null,
                [EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                await System.Threading.Tasks.Task.Yield();
                yield return new TextChunk(options.Greeting);
            }
        }
        """;

    public const string OverridesProvider = """
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using Providers;

        namespace Contoso.Llm;

        public sealed class TunableOptions : ProviderOptions
        {
            [PerMode] public string ModelId { get; set; } = "tunable-1";
        }

        [Provider("tunable")]
        [WithRetry(MaxRetries = 2)]
        public sealed partial class TunableHandler(TunableOptions options) : IApiHandlerWithOverrides
        {
            public RequestOverrideKinds SupportedOverrides => RequestOverrideKinds.ModelId;

            public ApiHandlerModel GetModel() => new(options.ModelId, new ModelInfo());

            private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
                string systemPrompt,
                IReadOnlyList<ChatMessage> messages,
                IReadOnlyList<ToolDefinition>? tools,
                RequestOverrides overrides,
                [EnumeratorCancellation] CancellationToken cancellationToken)
            {
                await System.Threading.Tasks.Task.Yield();
                yield return new TextChunk(overrides.ModelId ?? options.ModelId);
            }
        }
        """;

    public const string StaticOptionsRetries = """
        using System.Threading;
        using System.Threading.Tasks;
        using Providers;

        namespace Contoso.Cache;

        public sealed class CacheOptions : ProviderOptions
        {
        }

        public sealed partial class Store<TKey>
        {
            private static readonly CacheOptions SharedOptions = new();

            [WithRetry(MaxRetries = 2)]
            public static partial Task<int> WarmAsync(int items, CancellationToken cancellationToken);

            private static Task<int> WarmCoreAsync(int items, CancellationToken cancellationToken) => Task.FromResult(items);

            [WithRetry]
            public partial Task<TKey> GetAsync(TKey key, CancellationToken cancellationToken);

            private Task<TKey> GetCoreAsync(TKey key, CancellationToken cancellationToken) => Task.FromResult(key);
        }
        """;

    /// <summary>
    /// <see cref="OverridesProvider"/> with a Core method that is not an iterator: it returns a hand-written enumerable
    /// (declared outside the class, so the parser still reads the class from its syntax).
    /// </summary>
    public const string HandWrittenCoreProvider = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Providers;

        namespace Contoso.Llm;

        public sealed class TunableOptions : ProviderOptions
        {
            [PerMode] public string ModelId { get; set; } = "tunable-1";
        }

        [Provider("tunable")]
        [WithRetry(MaxRetries = 2)]
        public sealed partial class TunableHandler(TunableOptions options) : IApiHandlerWithOverrides
        {
            public RequestOverrideKinds SupportedOverrides => RequestOverrideKinds.ModelId;

            public ApiHandlerModel GetModel() => new(options.ModelId, new ModelInfo());

            private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
                string systemPrompt,
                IReadOnlyList<ChatMessage> messages,
                IReadOnlyList<ToolDefinition>? tools,
                RequestOverrides overrides,
                CancellationToken cancellationToken) =>
                new OneChunk(new TextChunk(overrides.ModelId ?? options.ModelId));
        }

        internal sealed class OneChunk(ApiStreamChunk chunk) : IAsyncEnumerable<ApiStreamChunk>
        {
            public IAsyncEnumerator<ApiStreamChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default) => new Enumerator(chunk);

            private sealed class Enumerator(ApiStreamChunk chunk) : IAsyncEnumerator<ApiStreamChunk>
            {
                private bool _moved;

                public ApiStreamChunk Current => chunk;

                public ValueTask<bool> MoveNextAsync()
                {
                    var first = !_moved;
                    _moved = true;
                    return new ValueTask<bool>(first);
                }

                public ValueTask DisposeAsync() => default;
            }
        }
        """;
}

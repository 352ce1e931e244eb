using System.Runtime.CompilerServices;

namespace Providers.Abstractions.Tests.Composition;

public class DelegatingApiHandlerTests
{
    private static readonly IReadOnlyList<ChatMessage> Messages = [new(ChatRole.User, [new TextBlock("hi")])];

    [Fact]
    public async Task A_wrapper_that_overrides_nothing_passes_every_call_to_the_inner_handler()
    {
        var inner = new RecordingHandler();
        var wrapper = new PassThrough(inner);
        using var cancellation = new CancellationTokenSource();
        var overrides = new RequestOverrides { ModelId = "other", Temperature = 0.5 };

        var plain = await Collect(wrapper.CreateMessageAsync("system", Messages, null, cancellation.Token));
        var withOverrides = await Collect(wrapper.CreateMessageAsync("system", Messages, null, overrides, cancellation.Token));
        var usage = await wrapper.GetApiStreamUsageAsync(cancellation.Token);
        wrapper.Abort();

        Assert.Same(inner, wrapper.InnerHandler);
        Assert.Equal([new TextChunk("plain")], plain);
        Assert.Equal([new TextChunk("overrides:other")], withOverrides);
        Assert.Equal(new ApiHandlerModel("recording-1", new ModelInfo()), wrapper.GetModel());
        Assert.Equal(new UsageChunk(3, 4), usage);
        Assert.Equal(RequestOverrideKinds.ModelId | RequestOverrideKinds.Temperature, wrapper.SupportedOverrides);
        Assert.Equal(["plain", "overrides", "usage", "abort"], inner.Calls);
        Assert.Equal([cancellation.Token, cancellation.Token, cancellation.Token], inner.Tokens);
        Assert.Same(overrides, inner.LastOverrides);
    }

    [Fact]
    public async Task Overrides_to_an_inner_handler_without_them_go_through_the_plain_overload_and_none_are_supported()
    {
        var inner = new PlainHandler();
        var wrapper = new CountingWrapper(inner);

        var chunks = await Collect(wrapper.CreateMessageAsync("system", Messages, null, new RequestOverrides { ModelId = "ignored" }));

        Assert.Equal([new TextChunk("plain")], chunks);
        Assert.Equal(1, wrapper.PlainCalls);
        Assert.Equal(RequestOverrideKinds.None, wrapper.SupportedOverrides);
    }

    [Fact]
    public void Null_arguments_are_refused_with_their_names()
    {
        Assert.Equal("innerHandler", Assert.Throws<ArgumentNullException>(() => new PassThrough(null!)).ParamName);
        Assert.Equal("overrides", Assert.Throws<ArgumentNullException>(() => new PassThrough(new RecordingHandler()).CreateMessageAsync("s", Messages, null, null!)).ParamName);
    }

    private static async Task<List<ApiStreamChunk>> Collect(IAsyncEnumerable<ApiStreamChunk> stream)
    {
        var chunks = new List<ApiStreamChunk>();
        await foreach (var chunk in stream)
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    private sealed class PassThrough(IApiHandler inner) : DelegatingApiHandler(inner);

    private sealed class CountingWrapper(IApiHandler inner) : DelegatingApiHandler(inner)
    {
        public int PlainCalls { get; private set; }

        public override IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools = null, CancellationToken cancellationToken = default)
        {
            PlainCalls++;
            return base.CreateMessageAsync(systemPrompt, messages, tools, cancellationToken);
        }
    }

    private sealed class PlainHandler : IApiHandler
    {
        public ApiHandlerModel GetModel() => new("plain-1", new ModelInfo());

        public async IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new TextChunk("plain");
        }
    }

    private sealed class RecordingHandler : IApiHandlerWithOverrides
    {
        public List<string> Calls { get; } = [];

        public List<CancellationToken> Tokens { get; } = [];

        public RequestOverrides? LastOverrides { get; private set; }

        public RequestOverrideKinds SupportedOverrides => RequestOverrideKinds.ModelId | RequestOverrideKinds.Temperature;

        public ApiHandlerModel GetModel() => new("recording-1", new ModelInfo());

        public async IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Calls.Add("plain");
            Tokens.Add(cancellationToken);
            await Task.Yield();
            yield return new TextChunk("plain");
        }

        public async IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Calls.Add("overrides");
            Tokens.Add(cancellationToken);
            LastOverrides = overrides;
            await Task.Yield();
            yield return new TextChunk("overrides:" + overrides.ModelId);
        }

        public ValueTask<UsageChunk?> GetApiStreamUsageAsync(CancellationToken cancellationToken = default)
        {
            Calls.Add("usage");
            Tokens.Add(cancellationToken);
            return ValueTask.FromResult<UsageChunk?>(new UsageChunk(3, 4));
        }

        public void Abort() => Calls.Add("abort");
    }
}

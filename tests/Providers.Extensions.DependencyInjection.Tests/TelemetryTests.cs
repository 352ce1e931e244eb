using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Providers.Tests.Replay;

namespace Providers.Extensions.DependencyInjection.Tests;

/// <summary>
/// The telemetry decorator the registration applies, observed with MeterListener and ActivityListener. Each test uses its
/// own model id and filters on it, since the Meter and ActivitySource are process-wide and tests run in parallel.
/// </summary>
public sealed class TelemetryTests : IDisposable
{
    private readonly string _model = "llama3.2-" + Guid.NewGuid().ToString("N")[..8];
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _activityListener;
    private readonly FastRetryClock _clock = new();

    public TelemetryTests()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ProvidersTelemetry.SourceName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _meters.Start();
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ProvidersTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem(ProvidersTelemetry.Tags.RequestModel), _model))
                {
                    _activities.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_activityListener);
    }

    public void Dispose()
    {
        _meters.Dispose();
        _activityListener.Dispose();
        _clock.Dispose();
    }

    [Fact]
    public async Task A_503_then_success_records_duration_tokens_first_chunk_and_one_retry_with_genai_tags()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(503, """{"error":"server busy"}"""), Fixtures.Raw("ollama/chat-text.ndjson", TestKit.NdJson));
        var logs = new ListLogger();
        using var provider = Build(server, logs);

        var chunks = await TestKit.Collect(provider.GetRequiredKeyedService<IApiHandler>(Mode.Act));

        Assert.Equal(TestKit.SkyText, TestKit.TextOf(chunks));
        Assert.Equal(2, server.Requests.Count);
        var common = new Dictionary<string, object?>
        {
            ["gen_ai.operation.name"] = "chat",
            ["gen_ai.provider.name"] = "ollama",
            ["gen_ai.system"] = "ollama",
            ["gen_ai.request.model"] = _model,
        };
        var seen = _measurements.ToList();
        Assert.Equal(
            ["gen_ai.client.operation.duration", "gen_ai.client.operation.time_to_first_chunk", "gen_ai.client.token.usage", "gen_ai.client.token.usage", "providers.client.retries"],
            seen.Select(m => m.Instrument).Order(StringComparer.Ordinal));
        var duration = Assert.Single(seen, m => m.Instrument == "gen_ai.client.operation.duration");
        Assert.Equal(common, duration.Tags);
        Assert.InRange(duration.Value, 0.0000001, 30);
        var firstChunk = Assert.Single(seen, m => m.Instrument == "gen_ai.client.operation.time_to_first_chunk");
        Assert.Equal(common, firstChunk.Tags);
        Assert.InRange(firstChunk.Value, 0.0000001, duration.Value);
        var tokens = seen.Where(m => m.Instrument == "gen_ai.client.token.usage").ToList();
        Assert.Equal([("input", 31.0), ("output", 17.0)], tokens.Select(t => ((string)t.Tags["gen_ai.token.type"]!, t.Value)).Order());
        Assert.All(tokens, t => Assert.Equal(common.Append(new("gen_ai.token.type", t.Tags["gen_ai.token.type"])), t.Tags));
        var retry = Assert.Single(seen, m => m.Instrument == "providers.client.retries");
        Assert.Equal((1.0, "503"), (retry.Value, retry.Tags["error.type"]));

        var activity = Assert.Single(_activities);
        Assert.Equal(("chat " + _model, ActivityKind.Client, ActivityStatusCode.Unset), (activity.DisplayName, activity.Kind, activity.Status));
        Assert.Equal(
            [("gen_ai.operation.name", "chat"), ("gen_ai.provider.name", "ollama"), ("gen_ai.request.model", _model), ("gen_ai.system", "ollama"),
             ("gen_ai.usage.input_tokens", 31L), ("gen_ai.usage.output_tokens", 17L), ("providers.retry.count", 1)],
            activity.TagObjects.Select(t => (t.Key, t.Value)).OrderBy(t => t.Key, StringComparer.Ordinal));
        Assert.Equal(["retry"], activity.Events.Select(e => e.Name));

        Assert.Equal(["ChatStarted", "RetryScheduled", "ChatCompleted"], logs.Entries.Where(e => e.Message.Contains(_model, StringComparison.Ordinal)).Select(e => e.EventName));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("sky", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("terse", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_401_records_the_error_type_on_duration_errors_and_the_activity()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(401, """{"error":"unauthorized"}"""));
        using var provider = Build(server, new ListLogger());

        var error = await Assert.ThrowsAsync<ProviderException>(() => TestKit.Collect(provider.GetRequiredKeyedService<IApiHandler>(Mode.Act)));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
        var seen = _measurements.ToList();
        Assert.Equal(["gen_ai.client.operation.duration", "providers.client.errors"], seen.Select(m => m.Instrument).Order(StringComparer.Ordinal));
        Assert.All(seen, m => Assert.Equal("401", m.Tags["error.type"]));
        Assert.Equal(1.0, Assert.Single(seen, m => m.Instrument == "providers.client.errors").Value);
        var activity = Assert.Single(_activities);
        Assert.Equal((ActivityStatusCode.Error, "401"), (activity.Status, activity.StatusDescription));
        Assert.Equal("401", activity.GetTagItem("error.type"));
        Assert.Equal(false, activity.GetTagItem("providers.output_started"));
    }

    private ServiceProvider Build(ReplayServer server, ListLogger logs)
    {
        var configuration = TestKit.Json($$"""
            {
              "Providers": {
                "planModeApiProvider": "ollama", "actModeApiProvider": "ollama", "ollamaBaseUrl": "{{server.BaseUri}}",
                "planModeOllamaModelId": "{{_model}}", "actModeOllamaModelId": "{{_model}}"
              }
            }
            """);
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(new ListLoggerFactory(logs));
        services.AddProviders(configuration.GetSection("Providers"), ProviderRegistry.Instance)
            .ConfigureOptions((_, _, options) => _clock.Attach(options));
        return services.BuildServiceProvider();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value;
        }

        if (Equals(map.GetValueOrDefault("gen_ai.request.model"), _model))
        {
            _measurements.Enqueue((instrument.Name, value, map));
        }
    }
}

internal sealed class ListLogger : ILogger
{
    public ConcurrentQueue<(string EventName, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((eventId.Name ?? "", formatter(state, exception)));
}

internal sealed class ListLoggerFactory(ListLogger logger) : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => logger;

    public void Dispose()
    {
    }
}

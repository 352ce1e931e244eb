using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Logging;
using Providers.Tests.Replay;
using static Providers.Tests.Hostile.HostileKit;

namespace Providers.Tests.Hostile;

/// <summary>
/// A server that echoes the key (plain, upper-cased, cut at the truncation point) in every field it controls: the
/// reason phrase, the error type and code, the message, an in-stream error. No 8-character prefix of a secret may
/// reach the exception's message, <see cref="Exception.ToString"/>, its error type, a log line, an activity tag or a
/// metric tag.
/// </summary>
[Collection(nameof(HostileMemoryTests))]
public sealed class HostileSecretsTests
{
    private const string Key = HostileTargets.Key;
    private const string Header = HostileTargets.HeaderSecret;

    public static IEnumerable<object[]> Echoes()
    {
        var upper = Key.ToUpperInvariant();
        foreach (var target in HostileTargets.All)
        {
            // Only the OpenAI targets send the custom header; to the others it is no secret of theirs.
            var header = target.Name.StartsWith("openai", StringComparison.Ordinal) ? Header : "(none)";
            yield return [target.Name, "reason", Head($"401 Unauthorized {Key}", "Content-Type: application/json", "Content-Length: 2"), "{}"];
            var json = $$$"""{"error":{"type":"{{{Key}}}","code":"{{{upper}}}","message":"bad key {{{Key}}}, {{{upper}}}, header {{{header}}}"}}""";
            yield return [target.Name, "body", Head("401 Unauthorized", "Content-Type: application/json", "Content-Length: " + json.Length), json];

            // Not JSON, so the body itself is shown, cut at 300 characters in the middle of the key.
            var text = new string('x', 290) + Key + " and more";
            yield return [target.Name, "truncation", Head("500 Internal Server Error", "Content-Type: text/plain", "Content-Length: " + text.Length), text];
            var stream = InStreamError(target);
            yield return [target.Name, "in-stream", Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Length: " + stream.Length), System.Text.Encoding.UTF8.GetString(stream)];
        }
    }

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task An_echoed_key_reaches_no_exception_log_line_or_telemetry_tag(string name, string where, string head, string body)
    {
        _ = where;
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            server.Enqueue(head, body);
        }

        var logs = new ListLogger();
        var tags = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ProvidersTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (tags)
                {
                    tags.AddRange(a.TagObjects.Select(t => $"{t.Key}={t.Value}"));
                    tags.Add(a.StatusDescription ?? "");
                    tags.AddRange(a.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}")));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var meters = new MeterListener { InstrumentPublished = (i, l) => { if (i.Meter.Name == ProvidersTelemetry.SourceName) { l.EnableMeasurementEvents(i); } } };
        meters.SetMeasurementEventCallback<long>((_, _, t, _) => Record(tags, t));
        meters.SetMeasurementEventCallback<double>((_, _, t, _) => Record(tags, t));
        meters.Start();

        var handler = HostileTargets.Named(name)
            .Create(server.BaseUri, clock, o => o.OnRetryAttempt = ProvidersTelemetry.RecordRetryAttempt + o.OnRetryAttempt)
            .WithTelemetry(name, logs);
        var outcome = await RunAsync(handler);

        Assert.NotNull(outcome.Error);
        AssertNoSecret(outcome.Error);
        AssertNoSecret(string.Join("\n", logs.Lines));
        lock (tags)
        {
            AssertNoSecret(string.Join("\n", tags));
        }
    }

    [Theory]
    [MemberData(nameof(HostileServerTests.Targets), MemberType = typeof(HostileServerTests))]
    public async Task User_information_of_the_base_url_is_never_printed(string name)
    {
        using var clock = new FastRetryClock();
        const string Password = "pa55-userinfo-SECRET";
        var closed = new Uri($"http://someone:{Password}@127.0.0.1:1/");
        var logs = new ListLogger();

        var outcome = await RunAsync(HostileTargets.Named(name).Create(closed, clock, o => o.RequestTimeout = TimeSpan.FromSeconds(5)).WithTelemetry(name, logs));

        var error = outcome.ProviderError;
        Assert.Contains("Could not reach", error.Message, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:1", error.Message, StringComparison.Ordinal);
        AssertNoSecret(error, Password);
        Assert.DoesNotContain("someone", error.ToString(), StringComparison.Ordinal);
        AssertNoSecret(string.Join("\n", logs.Lines), Password);
    }

    private static void Record(List<string> tags, ReadOnlySpan<KeyValuePair<string, object?>> measurement)
    {
        lock (tags)
        {
            foreach (var tag in measurement)
            {
                tags.Add($"{tag.Key}={tag.Value}");
            }
        }
    }

    private static byte[] InStreamError(HostileTarget target) => target.Name switch
    {
        "ollama" => target.Frame([$$$"""{"error":"model crashed near {{{Key}}} {{{Key.ToUpperInvariant()}}}"}"""]),
        "anthropic" => HostileTargets.TypedEvents([
            target.MinimalStream[0],
            $$$"""{"type":"error","error":{"type":"{{{Key}}}","message":"overloaded {{{Key}}}"}}"""]),
        "openai-responses" => HostileTargets.TypedEvents([
            $$$"""{"type":"error","code":"{{{Key}}}","message":"bad {{{Key.ToUpperInvariant()}}} {{{Header}}}","param":null,"sequence_number":1}"""]),
        _ => HostileTargets.DataEvents([
            $$$"""{"id":"gen-1","error":{"code":"{{{Key}}}","message":"upstream said {{{Key}}}"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}"""]),
    };

    private sealed class ListLogger : ILogger
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return _lines.ToList();
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception) + (exception is null ? "" : "\n" + exception));
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    _lines.AddRange(values.Select(v => $"{v.Key}={v.Value}"));
                }
            }
        }
    }
}

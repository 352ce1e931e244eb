using System.Diagnostics.Metrics;

namespace Providers.Abstractions.Tests.Telemetry;

[CollectionDefinition(nameof(MetricErrorTypeCapTests), DisableParallelization = true)]
public sealed class MetricErrorTypeCapCollection;

/// <summary>The cap on distinct <c>error.type</c> values in metrics: the first 64 stay, later new ones are <c>_OTHER</c>.</summary>
[Collection(nameof(MetricErrorTypeCapTests))]
public sealed class MetricErrorTypeCapTests
{
    [Fact]
    public void The_first_64_distinct_values_are_kept_and_later_new_ones_become_OTHER()
    {
        MetricErrorTypes.ResetForTests();
        try
        {
            var kept = Enumerable.Range(0, 64).Select(i => MetricErrorTypes.ForMetric("type_" + i)).ToList();

            Assert.Equal(Enumerable.Range(0, 64).Select(i => "type_" + i), kept);
            Assert.Equal("_OTHER", MetricErrorTypes.ForMetric("type_64"));
            Assert.Equal("_OTHER", MetricErrorTypes.ForMetric("server_minted_" + Guid.NewGuid()));
            Assert.Equal("type_0", MetricErrorTypes.ForMetric("type_0"));
            Assert.Equal("type_63", MetricErrorTypes.ForMetric("type_63"));
        }
        finally
        {
            MetricErrorTypes.ResetForTests();
        }
    }

    [Fact]
    public void The_retry_counter_tags_at_most_64_distinct_error_types()
    {
        MetricErrorTypes.ResetForTests();
        var tags = new List<string?>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ProvidersTelemetry.SourceName && instrument.Name == ProvidersTelemetry.Retries)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, measurementTags, _) =>
        {
            foreach (var tag in measurementTags)
            {
                if (tag.Key == ProvidersTelemetry.Tags.ErrorType)
                {
                    lock (tags)
                    {
                        tags.Add(tag.Value as string);
                    }
                }
            }
        });
        listener.Start();
        try
        {
            for (var i = 0; i < 70; i++)
            {
                ProvidersTelemetry.RecordRetryAttempt(1, 3, TimeSpan.Zero, new ProviderException("test", "failed") { ErrorType = "minted_" + i });
            }

            Assert.Equal(Enumerable.Range(0, 64).Select(i => "minted_" + i).Concat(Enumerable.Repeat("_OTHER", 6)), tags);
        }
        finally
        {
            MetricErrorTypes.ResetForTests();
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// What one service's OpenTelemetry pipeline — the one ServiceDefaults sets up — exports, kept in memory:
/// every span as it ends, and the histograms whenever <see cref="CollectHistogram"/> asks for them.
/// </summary>
/// <remarks>
/// ActivitySources and Meters are process-wide, so a service in memory also exports what other
/// services in the same test process record; tests tell theirs apart by trace id.
/// </remarks>
public sealed class ExportedTelemetry
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly HistogramExporter _histograms = new();
    private readonly BaseExportingMetricReader _reader;

    public ExportedTelemetry() => _reader = new BaseExportingMetricReader(_histograms);

    public IReadOnlyCollection<Activity> Spans => _spans;

    /// <summary>Adds the in-memory exporters to the service's tracer and meter providers.</summary>
    public void AddTo(IWebHostBuilder builder) => builder.ConfigureServices(services => services
        .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new SimpleActivityExportProcessor(new SpanExporter(_spans))))
        .ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddReader(_reader)));

    /// <summary>Collects the metrics now and sums up the named histogram over all its tag sets.</summary>
    public HistogramSummary CollectHistogram(string name)
    {
        Assert.True(_reader.Collect(timeoutMilliseconds: 10_000), "metrics collection timed out");
        return _histograms.Last.GetValueOrDefault(name, HistogramSummary.Empty);
    }

    private sealed class SpanExporter(ConcurrentQueue<Activity> spans) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var span in batch)
            {
                spans.Enqueue(span);
            }

            return ExportResult.Success;
        }
    }

    /// <summary>Keeps what a collection showed of each histogram; the exported objects are reused, so they are read here.</summary>
    private sealed class HistogramExporter : BaseExporter<Metric>
    {
        public IReadOnlyDictionary<string, HistogramSummary> Last { get; private set; } = new Dictionary<string, HistogramSummary>();

        public override ExportResult Export(in Batch<Metric> batch)
        {
            var histograms = new Dictionary<string, HistogramSummary>();
            foreach (var metric in batch)
            {
                if (metric.MetricType == MetricType.Histogram)
                {
                    histograms[metric.Name] = Summarize(metric);
                }
            }

            Last = histograms;
            return ExportResult.Success;
        }

        private static HistogramSummary Summarize(Metric metric)
        {
            long count = 0;
            var exemplarTraces = new List<ActivityTraceId>();
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                count += point.GetHistogramCount();
                if (point.TryGetExemplars(out var exemplars))
                {
                    foreach (ref readonly var exemplar in exemplars)
                    {
                        exemplarTraces.Add(exemplar.TraceId);
                    }
                }
            }

            return new HistogramSummary(count, exemplarTraces);
        }
    }
}

/// <summary>How many samples a histogram holds, and the traces its exemplars point to.</summary>
public sealed record HistogramSummary(long Count, IReadOnlyList<ActivityTraceId> ExemplarTraceIds)
{
    public static readonly HistogramSummary Empty = new(0, []);
}

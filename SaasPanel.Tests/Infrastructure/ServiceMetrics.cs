using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// Listens to one service's own <c>saaspanel.*</c> instruments: only those of meters its
/// <see cref="IMeterFactory"/> made, so tests running side by side in one process never see each other's.
/// </summary>
public sealed class ServiceMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly List<RecordedMeasurement> _measurements = [];

    public ServiceMetrics(IServiceProvider services)
    {
        var meters = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name.StartsWith("saaspanel.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>What the instrument recorded so far.</summary>
    public IReadOnlyList<RecordedMeasurement> Of(string instrument)
    {
        lock (_gate)
        {
            return _measurements.Where(m => m.Instrument == instrument).ToList();
        }
    }

    /// <summary>Asks the observable instruments for their values now; returns this instrument's.</summary>
    public IReadOnlyList<RecordedMeasurement> Observe(string instrument)
    {
        var before = Of(instrument).Count;
        _listener.RecordObservableInstruments();
        return Of(instrument).Skip(before).ToList();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var measurement = new RecordedMeasurement(instrument.Name, value, tags.ToArray().ToDictionary());
        lock (_gate)
        {
            _measurements.Add(measurement);
        }
    }
}

public sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public string? Tag(string name) => Tags.GetValueOrDefault(name)?.ToString();
}

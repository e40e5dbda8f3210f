using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SaasPanel.Control.Workspaces;

/// <summary>Control's traces and <c>saaspanel.*</c> metrics (exported by ServiceDefaults).</summary>
public sealed class ControlTelemetry : IDisposable
{
    public const string Name = "SaasPanel.Control";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;

    public ControlTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        ProvisionDuration = _meter.CreateHistogram<double>("saaspanel.workspace.provision.duration", "s",
            "Time from a workspace's container being created until it answers its health endpoint.");
        ReconcileDuration = _meter.CreateHistogram<double>("saaspanel.reconcile.duration", "s",
            "Time to converge one workspace to its desired state.");
        ReconcileErrors = _meter.CreateCounter<long>("saaspanel.reconcile.errors", description: "Failed reconcile attempts.");
        Transitions = _meter.CreateCounter<long>("saaspanel.workspace.transitions", description: "Workspace state changes, by new state.");
    }

    public Histogram<double> ProvisionDuration { get; }

    public Histogram<double> ReconcileDuration { get; }

    public Counter<long> ReconcileErrors { get; }

    public Counter<long> Transitions { get; }

    public void Dispose() => _meter.Dispose();
}

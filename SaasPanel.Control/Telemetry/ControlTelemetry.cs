using System.Diagnostics;
using System.Diagnostics.Metrics;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Telemetry;

/// <summary>Control's traces and <c>saaspanel.*</c> metrics (exported by ServiceDefaults).</summary>
public sealed class ControlTelemetry : IDisposable
{
    public const string Name = "SaasPanel.Control";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _transitions;
    private Measurement<int>[] _workspacesByState = [];

    public ControlTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        ProvisionDuration = _meter.CreateHistogram("saaspanel.workspace.provision.duration", "s",
            "Time from a workspace's container being created until it answers its health endpoint.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] });
        ReconcileDuration = _meter.CreateHistogram("saaspanel.reconcile.duration", "s",
            "Time to converge one workspace to its desired state.", tags: null, TelemetryConventions.RequestDurations);
        ReconcileErrors = _meter.CreateCounter<long>("saaspanel.reconcile.errors", description: "Failed reconcile attempts.");
        Culled = _meter.CreateCounter<long>("saaspanel.workspace.culled", "{workspace}", "Workspaces the idle culler stopped.");
        _transitions = _meter.CreateCounter<long>("saaspanel.workspace.transitions", description: "Workspace state changes, by new state.");
        _meter.CreateObservableUpDownCounter("saaspanel.workspaces", () => _workspacesByState, "{workspace}",
            "Workspaces by observed state, as of the reconciler's last sweep.");
        PoolClaims = _meter.CreateCounter<long>("saaspanel.pool.claims", "{workspace}", "Workspaces that claimed a warm pool member instead of starting a container.");
        _meter.CreateObservableUpDownCounter("saaspanel.pool.members", () => PoolMembers(), "{workspace}",
            "Started, unassigned workspaces ready to claim (the warm pool).");
    }

    public Counter<long> PoolClaims { get; }

    /// <summary>Reads the warm pool's size for the <c>saaspanel.pool.members</c> gauge (set by the pool itself).</summary>
    public Func<int> PoolMembers { get; set; } = () => 0;

    public Histogram<double> ProvisionDuration { get; }

    public Histogram<double> ReconcileDuration { get; }

    public Counter<long> ReconcileErrors { get; }

    public Counter<long> Culled { get; }

    public void RecordTransition(WorkspaceState state) => _transitions.Add(1, StateTag(state));

    /// <summary>
    /// Sets what <c>saaspanel.workspaces</c> reports until the next sweep: the sweep reads every workspace
    /// anyway, so a metrics collection never costs a query.
    /// </summary>
    public void CountWorkspaces(IEnumerable<WorkspaceState> states)
    {
        var counts = states.CountBy(state => state).ToDictionary();
        _workspacesByState = Enum.GetValues<WorkspaceState>()
            .Select(state => new Measurement<int>(counts.GetValueOrDefault(state), StateTag(state)))
            .ToArray();
    }

    private static KeyValuePair<string, object?> StateTag(WorkspaceState state) => new("state", state.ToString());

    public void Dispose() => _meter.Dispose();
}

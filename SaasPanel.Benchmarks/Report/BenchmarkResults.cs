using System.Text.Json;
using System.Text.Json.Serialization;

namespace SaasPanel.Benchmarks.Report;

/// <summary>
/// Every figure of a run, written to <c>results.json</c> under snake_case keys
/// (<see cref="ProvisionP50Ms"/> is <c>provision_p50_ms</c>). A step that did not run leaves its keys null.
/// </summary>
internal sealed class BenchmarkResults
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>Registration to a serving workspace, one user at a time, with Control's warm pool as the system starts.</summary>
    public double? ProvisionP50Ms { get; set; }

    public double? ProvisionP99Ms { get; set; }

    /// <summary>
    /// The same with the warm pool off (Control restarted with <c>Runtime:PoolSize=0</c>): Control creates and starts a
    /// container when asked.
    /// </summary>
    public double? ProvisionP50MsNopool { get; set; }

    /// <summary>Chromium: the click on Register until the app's page shows, through the "being prepared" page (p50).</summary>
    public double? BrowserRegisterToAppMs { get; set; }

    public double? ProvisionConcurrentP50Ms { get; set; }

    /// <summary>Registrations all at once, with Control's warm pool sized for the burst (one started workspace per user).</summary>
    public double? ProvisionConcurrentP99Ms { get; set; }

    public double? DockerRunP50Ms { get; set; }

    public double? DockerRunP99Ms { get; set; }

    /// <summary>As many bare <c>docker run</c>s as concurrent registrations, all started at once: their lower bound.</summary>
    public double? DockerRunConcurrentP50Ms { get; set; }

    public double? DockerRunConcurrentP99Ms { get; set; }

    /// <summary>The running members of the idle warm pool when <see cref="PoolMemoryMb"/> was read (the pool sized for the burst).</summary>
    public double? PoolMembers { get; set; }

    /// <summary>What the idle warm pool costs: its members' cgroup memory (anonymous and page cache) and their shims, summed.</summary>
    public double? PoolMemoryMb { get; set; }

    public double? GatewayRps { get; set; }

    public double? GatewayP50Ms { get; set; }

    public double? GatewayP99Ms { get; set; }

    public double? DirectRps { get; set; }

    public double? DirectP50Ms { get; set; }

    public double? DirectP99Ms { get; set; }

    public double? NginxRps { get; set; }

    public double? NginxP50Ms { get; set; }

    public double? NginxP99Ms { get; set; }

    /// <summary>The gateway's throughput with Auth's activity tracking on, averaged over rounds interleaved with the ones off.</summary>
    public double? GatewayRpsActivityOn { get; set; }

    public double? GatewayRpsActivityOff { get; set; }

    /// <summary><see cref="GatewayRpsActivityOn"/> over <see cref="GatewayRpsActivityOff"/>, of the same run.</summary>
    public double? GatewayActivityRatio { get; set; }

    public double? WorkspacesRunning { get; set; }

    public double? MemoryPerWorkspaceMb { get; set; }

    /// <summary>The average workspace container's anonymous memory, as its cgroup is charged.</summary>
    public double? ContainerAnonymousMb { get; set; }

    /// <summary>The average workspace container's page cache, as its cgroup is charged.</summary>
    public double? ContainerPageCacheMb { get; set; }

    /// <summary>The containerd shim beside each container (proportional set size).</summary>
    public double? ShimMb { get; set; }

    /// <summary>How long the density step took to get its workspaces running (through Control's API).</summary>
    public double? DensityStartSeconds { get; set; }

    public double? ReconcileSeconds { get; set; }

    /// <summary>The part of <see cref="ReconcileSeconds"/> before Control's first answer to <c>/health</c>.</summary>
    public double? ControlStartSeconds { get; set; }

    public double? AdminListMs { get; set; }

    /// <summary>The operator panel's first page (<c>/</c>), rendered on the server, signed in as admin.</summary>
    public double? AdminPanelMs { get; set; }

    /// <summary>The operator panel's page with a search (<c>/?q=</c>).</summary>
    public double? AdminPanelSearchMs { get; set; }

    /// <summary>Each step that failed, by name, with its error: its keys stay null, the other steps' keys are still filled in.</summary>
    public SortedDictionary<string, string> FailedSteps { get; } = [];

    /// <summary>True when every key has a value and no step failed.</summary>
    [JsonIgnore]
    public bool IsComplete => FailedSteps.Count == 0 && typeof(BenchmarkResults).GetProperties()
        .Where(p => p.PropertyType == typeof(double?))
        .All(p => p.GetValue(this) is not null);

    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, this, JsonOptions, cancellationToken);
    }
}

namespace SaasPanel.Control.Runtime;

/// <summary>
/// The container engine as Control sees it: one container per workspace, found by its labels, on this
/// installation's own network. It owns addressing (<see cref="WorkspaceEndpoint"/>) and readiness, so nothing
/// above it knows an engine's types, ports or addresses. Docker is the implementation today.
/// </summary>
public interface IWorkspaceRuntime
{
    /// <summary>Creates or repairs what every workspace stands on (the installation's networks); idempotent.</summary>
    Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>The current image id of a template, so workspaces on an older build can be rolled forward.</summary>
    Task<string> ResolveImageAsync(string template, CancellationToken cancellationToken);

    /// <summary>Every container of this installation (by instance label), or of one of its users, running or not.</summary>
    Task<IReadOnlyList<WorkspaceInstance>> ListAsync(string? userName, CancellationToken cancellationToken);

    Task<WorkspaceInstance?> InspectAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates (not starts) the workspace's container. If a container of that name already exists and
    /// carries this installation's labels for this user, it is returned instead; one that does not is never touched.
    /// </summary>
    Task<WorkspaceInstance> CreateAsync(WorkspaceSpec spec, CancellationToken cancellationToken);

    Task StartAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Whether this runtime keeps a warm pool: a started member becomes a user's by a rename, which not every engine can do.</summary>
    bool SupportsWarmPool { get; }

    /// <summary>The warm pool's members: started ahead of need, named as such (<see cref="WorkspaceLabels.NewPoolMemberName"/>), running or not.</summary>
    Task<IReadOnlyList<WorkspaceInstance>> ListPoolAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes a warm pool member the user's workspace by giving it the user's container name; from then on it is listed,
    /// watched and removed as theirs. Throws when it is gone or no longer a pool member.
    /// </summary>
    Task<WorkspaceInstance> ClaimAsync(string containerId, string userName, CancellationToken cancellationToken);

    /// <summary>The gateway secret a container was created with (so a restarted Control can hand out the pool it finds); null when it has none.</summary>
    Task<string?> ReadGatewaySecretAsync(string containerId, CancellationToken cancellationToken);

    Task StopAsync(string containerId, CancellationToken cancellationToken);

    Task RestartAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>
    /// Polls the running container's readiness path (its template's) at its endpoint until it answers 2xx or
    /// <paramref name="timeout"/> passes; true when it answered.
    /// </summary>
    Task<bool> WaitUntilReadyAsync(WorkspaceInstance container, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Removes the container and its anonymous volumes; a container already gone is fine.</summary>
    Task RemoveAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the workspace's files: the volumes labelled as the user's and <paramref name="volumeName"/> (a claimed pool
    /// member's, which names no user) if this installation owns it. Only when the workspace (or pool member) itself is deleted.
    /// </summary>
    Task RemoveDataAsync(string? userName, string? volumeName, CancellationToken cancellationToken);

    /// <summary>The names of the volumes made for warm pool members, whether a member still has it or a claim made it a user's.</summary>
    Task<IReadOnlyList<string>> ListPoolDataAsync(CancellationToken cancellationToken);

    /// <summary>Whether the user has files of this installation (a volume labelled as theirs).</summary>
    Task<bool> HasDataAsync(string userName, CancellationToken cancellationToken);

    /// <summary>The bytes each workspace's files (its volume) take on disk, read at most every 30 s.</summary>
    Task<WorkspaceDataSizes> GetDataSizesAsync(CancellationToken cancellationToken);

    /// <summary>The users that have workspace data (volumes) of this installation.</summary>
    Task<IReadOnlyList<string>> ListDataAsync(CancellationToken cancellationToken);

    /// <summary>The container's output, the last <paramref name="tail"/> lines, then (when following) new lines as they come.</summary>
    IAsyncEnumerable<string> GetLogsAsync(string containerId, int tail, bool follow, CancellationToken cancellationToken);

    Task<WorkspaceStats> GetStatsAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>
    /// Container events of this installation (start, die, destroy...) until cancelled. The first item is
    /// <see cref="WorkspaceInstanceEvent.Connected"/>: anything before it may have been missed.
    /// </summary>
    IAsyncEnumerable<WorkspaceInstanceEvent> WatchAsync(CancellationToken cancellationToken);

    /// <summary>A cheap check that the engine answers (for health); throws with the reason when it does not.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>Where the engine is, as an operator would name it (in errors and the panel).</summary>
    string EngineEndpoint { get; }

    Task<EngineInfo> GetEngineInfoAsync(CancellationToken cancellationToken);
}

/// <summary>
/// What a workspace's container is made from: who it is for (a user, or a warm pool member's name, see
/// <see cref="WorkspaceLabels.NewPoolMemberName"/>), the template and image it runs, its plan's limits (null: the
/// template's, else the runtime's defaults) and its volume (null: the user's, found by its labels).
/// </summary>
public sealed record WorkspaceSpec(
    string UserName, string GatewaySecret, int Generation, string Template, string ImageId, WorkspaceLimits? Limits = null,
    string? VolumeName = null);

/// <summary>Where the gateway reaches a running workspace: a base URL such as <c>http://172.20.0.5:8080</c>.</summary>
public sealed record WorkspaceEndpoint(string Url)
{
    public override string ToString() => Url;
}

public sealed record WorkspaceInstance(
    string Id,
    string UserName,
    string Template,
    int Generation,
    string ImageId,
    bool Running,
    string Status,
    WorkspaceEndpoint? Endpoint,
    DateTime? StartedAt,
    string? Limits = null);

/// <summary>An engine event about one of this installation's containers, or (with no user) that the watch (re)connected.</summary>
public sealed record WorkspaceInstanceEvent(string Action, string ContainerId, string UserName)
{
    public static readonly WorkspaceInstanceEvent Connected = new("connected", "", "");

    public bool IsConnected => ReferenceEquals(this, Connected);
}

public sealed record WorkspaceStats(double CpuPercent, long MemoryBytes, long MemoryLimitBytes, int Pids, long? PidsLimit = null);

public sealed record EngineInfo(string Endpoint, string Version, string ApiVersion, string OperatingSystem, int Cpus, long MemoryBytes, int ContainersRunning);

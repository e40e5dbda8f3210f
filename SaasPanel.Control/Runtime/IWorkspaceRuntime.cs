namespace SaasPanel.Control.Runtime;

/// <summary>
/// The container engine as Control sees it: one container per workspace, found by its labels.
/// Docker is the implementation today; Swarm services or Kubernetes could be others.
/// </summary>
public interface IWorkspaceRuntime
{
    /// <summary>The image's current id, so workspaces on an older build can be rolled forward.</summary>
    Task<string> ResolveImageAsync(CancellationToken cancellationToken);

    /// <summary>Every container of this installation (by instance label), or of one of its users, running or not.</summary>
    Task<IReadOnlyList<WorkspaceContainer>> ListAsync(string? userName, CancellationToken cancellationToken);

    Task<WorkspaceContainer?> InspectAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates (not starts) the workspace's container. If a container of that name already exists and
    /// carries this installation's labels for this user, it is returned instead; one that does not is never touched.
    /// </summary>
    Task<WorkspaceContainer> CreateAsync(WorkspaceSpec spec, CancellationToken cancellationToken);

    Task StartAsync(string containerId, CancellationToken cancellationToken);

    Task StopAsync(string containerId, CancellationToken cancellationToken);

    Task RestartAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Removes the container and its anonymous volumes; a container already gone is fine.</summary>
    Task RemoveAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Removes the workspace's files (its volume). Only when the workspace itself is deleted.</summary>
    Task RemoveDataAsync(string userName, CancellationToken cancellationToken);

    /// <summary>The users that have workspace data (volumes) of this installation.</summary>
    Task<IReadOnlyList<string>> ListDataAsync(CancellationToken cancellationToken);

    /// <summary>The container's output, the last <paramref name="tail"/> lines, then (when following) new lines as they come.</summary>
    IAsyncEnumerable<string> GetLogsAsync(string containerId, int tail, bool follow, CancellationToken cancellationToken);

    Task<WorkspaceStats> GetStatsAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Container events of this installation (start, die, destroy...) until cancelled.</summary>
    IAsyncEnumerable<WorkspaceContainerEvent> WatchAsync(CancellationToken cancellationToken);

    Task<EngineInfo> GetEngineInfoAsync(CancellationToken cancellationToken);
}

/// <summary>What a workspace's container is made from.</summary>
public sealed record WorkspaceSpec(string UserName, string Email, string GatewaySecret, int Generation, string ImageId);

public sealed record WorkspaceContainer(
    string Id,
    string UserName,
    int Generation,
    string ImageId,
    bool Running,
    string Status,
    int? HostPort,
    DateTime? StartedAt);

public sealed record WorkspaceContainerEvent(string Action, string ContainerId, string UserName);

public sealed record WorkspaceStats(double CpuPercent, long MemoryBytes, long MemoryLimitBytes, int Pids);

public sealed record EngineInfo(string Endpoint, string Version, string ApiVersion, string OperatingSystem, int Cpus, long MemoryBytes, int ContainersRunning);

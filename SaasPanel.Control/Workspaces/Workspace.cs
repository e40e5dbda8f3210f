namespace SaasPanel.Control.Workspaces;

/// <summary>
/// One user's workspace. The API writes what it should be (<see cref="DesiredState"/>, bumping
/// <see cref="Generation"/>); the reconciler writes what the engine shows (<see cref="State"/>,
/// container, port, error). Neither overwrites the other's columns.
/// </summary>
public sealed class Workspace
{
    public int Id { get; set; }

    public required string UserName { get; set; }

    public required string Email { get; set; }

    public DesiredState DesiredState { get; set; } = DesiredState.Running;

    /// <summary>Bumped on every change of the desired state, so watchers can order changes.</summary>
    public int Generation { get; set; } = 1;

    /// <summary>Given to the container and to the gateway only; UserApp answers 403 without it.</summary>
    public required string GatewaySecret { get; set; }

    /// <summary>A restart asked for at this time is done once the container started after it.</summary>
    public DateTime? RestartRequestedAt { get; set; }

    public WorkspaceState State { get; set; } = WorkspaceState.Pending;

    public string? ContainerId { get; set; }

    public int? HostPort { get; set; }

    public string? LastError { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>When the container was last seen answering its health endpoint after a start.</summary>
    public DateTime? RunningSince { get; set; }
}

public enum DesiredState
{
    Running,
    Stopped,
    Deleted,
}

/// <summary>What the engine shows, as far as the reconciler last saw it.</summary>
public enum WorkspaceState
{
    Pending,
    Starting,
    Running,
    Stopping,
    Stopped,
    Failed,
    Deleting,
    Deleted,
}

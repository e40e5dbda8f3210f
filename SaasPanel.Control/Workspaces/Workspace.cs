namespace SaasPanel.Control.Workspaces;

/// <summary>
/// One user's workspace. The API writes what it should be (<see cref="DesiredState"/>, bumping
/// <see cref="Generation"/>); the reconciler writes what the engine shows (<see cref="State"/>,
/// container, endpoint, error). Neither overwrites the other's columns; both bump <see cref="Generation"/>.
/// </summary>
public sealed class Workspace
{
    public int Id { get; set; }

    public required string UserName { get; set; }

    public required string Email { get; set; }

    /// <summary>
    /// Auth's id of the account it was provisioned for; null when provisioned without one (the panel's form, or before
    /// owners were recorded). The gateway lets a user through only to a workspace of their own account.
    /// </summary>
    public string? OwnerId { get; set; }

    /// <summary>The app it runs (a key of <c>Runtime:Templates</c>).</summary>
    public required string Template { get; set; }

    /// <summary>The name of its <see cref="Plans.Plan"/>: its container's limits and when it is culled.</summary>
    public string Plan { get; set; } = Plans.PlanOptions.Standard;

    public DesiredState DesiredState { get; set; } = DesiredState.Running;

    /// <summary>Bumped on every change of the row (desired or observed), so the gateway can order the changes it hears of.</summary>
    public int Generation { get; set; } = 1;

    /// <summary>Given to the container and to the gateway only; UserApp answers 403 without it.</summary>
    public required string GatewaySecret { get; set; }

    /// <summary>A restart asked for at this time is done once the container started after it.</summary>
    public DateTime? RestartRequestedAt { get; set; }

    public WorkspaceState State { get; set; } = WorkspaceState.Pending;

    public string? ContainerId { get; set; }

    /// <summary>
    /// Its files' volume when it claimed a warm pool member (that volume is named for the member and names no user);
    /// null when the volume is the one labelled as its user's.
    /// </summary>
    public string? VolumeName { get; set; }

    /// <summary>Where the gateway reaches the app while it runs (the runtime reports it); null otherwise.</summary>
    public string? Endpoint { get; set; }

    public string? LastError { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>When the container was last seen answering its health endpoint after a start.</summary>
    public DateTime? RunningSince { get; set; }

    /// <summary>When someone last used it through the gateway (reported behind the traffic, so up to a report interval late).</summary>
    public DateTime? LastActivityAt { get; set; }

    /// <summary>An admin pinned it: the idle culler never stops it.</summary>
    public bool Pinned { get; set; }

    /// <summary>An admin suspended it: stopped, and neither a visit (wake on request) nor a start runs it until resumed.</summary>
    public bool Suspended { get; set; }
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

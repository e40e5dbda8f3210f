namespace SaasPanel.Control.Workspaces;

/// <summary>One user's workspace: the desired state of their container, which the reconciler converges to.</summary>
public sealed class Workspace
{
    public int Id { get; set; }

    public required string UserName { get; set; }

    public required string Email { get; set; }

    public WorkspaceState DesiredState { get; set; } = WorkspaceState.Running;

    public DateTime CreatedAt { get; set; }
}

public enum WorkspaceState
{
    Running,
    Stopped,
    Deleted,
}

namespace SaasPanel.Control.Workspaces;

/// <summary>
/// A workspace's full state as the change stream carries it, with the route the gateway needs:
/// the container's loopback address and the gateway secret. Full state, so applying one is idempotent.
/// </summary>
public sealed record WorkspaceChange(
    string UserName,
    WorkspaceState State,
    DesiredState DesiredState,
    string? Address,
    string GatewaySecret,
    int Generation,
    string? LastError)
{
    public static WorkspaceChange From(Workspace workspace) => new(
        workspace.UserName,
        workspace.State,
        workspace.DesiredState,
        workspace.HostPort is { } port ? $"127.0.0.1:{port}" : null,
        workspace.GatewaySecret,
        workspace.Generation,
        workspace.LastError);

    public static WorkspaceChange Removed(Workspace workspace) =>
        From(workspace) with { State = WorkspaceState.Deleted, DesiredState = DesiredState.Deleted, Address = null };
}

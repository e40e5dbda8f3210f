using SaasPanel.Contracts;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Changes;

/// <summary>A workspace as the change stream carries it (the contract's event), with the route the gateway needs.</summary>
public static class WorkspaceChanges
{
    public static WorkspaceChangeEvent From(Workspace workspace) => new(
        workspace.UserName,
        workspace.State.ToString(),
        workspace.DesiredState.ToString(),
        workspace.Endpoint,
        workspace.GatewaySecret,
        workspace.Generation,
        workspace.LastError,
        workspace.Template,
        workspace.Suspended,
        workspace.OwnerId);

    /// <summary>The workspace is gone: one generation past its last row, so it outranks every earlier event.</summary>
    public static WorkspaceChangeEvent Removed(Workspace workspace) => From(workspace) with
    {
        State = WorkspaceStates.Deleted,
        DesiredState = DesiredStates.Deleted,
        Endpoint = null,
        Generation = workspace.Generation + 1,
    };
}

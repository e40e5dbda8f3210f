using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Apis;

/// <summary>
/// A workspace as the API shows it: never the gateway secret or the endpoint, which travel only on the
/// change stream to the gateway (no browser ever sees a container's address).
/// </summary>
public sealed record WorkspaceDto(
    string UserName,
    string Email,
    string Template,
    string Plan,
    DesiredState DesiredState,
    WorkspaceState State,
    int Generation,
    string? ContainerId,
    string? LastError,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? RunningSince,
    DateTime? LastActivity,
    bool Pinned,
    bool Suspended,
    string? OwnerId)
{
    public static WorkspaceDto From(Workspace w) => new(
        w.UserName, w.Email, w.Template, w.Plan, w.DesiredState, w.State, w.Generation, w.ContainerId, w.LastError,
        w.CreatedAt, w.UpdatedAt, w.RunningSince, w.LastActivityAt, w.Pinned, w.Suspended, w.OwnerId);
}

/// <summary>
/// What <c>PUT /api/workspaces/{user}</c> takes: the user's email, optionally the template (else the default) and the
/// id of the account it is for (<see cref="Workspace.OwnerId"/>).
/// </summary>
public sealed record ProvisionRequest(string? Email, string? Template = null, string? OwnerId = null);

/// <summary>One line of <c>POST /api/workspaces/activity</c>: the gateway saw the workspace used at this time.</summary>
public sealed record ActivityReport(string? User, DateTime LastActivity);

public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total);

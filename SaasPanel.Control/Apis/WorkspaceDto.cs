using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Apis;

/// <summary>A workspace as the API shows it (never the gateway secret: that travels only on the change stream).</summary>
public sealed record WorkspaceDto(
    string UserName,
    string Email,
    DesiredState DesiredState,
    WorkspaceState State,
    int Generation,
    string? ContainerId,
    int? HostPort,
    string? LastError,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? RunningSince)
{
    public static WorkspaceDto From(Workspace w) => new(
        w.UserName, w.Email, w.DesiredState, w.State, w.Generation, w.ContainerId, w.HostPort, w.LastError,
        w.CreatedAt, w.UpdatedAt, w.RunningSince);
}

public sealed record ProvisionRequest(string? Email);

public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total);

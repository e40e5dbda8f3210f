namespace SaasPanel.Contracts;

/// <summary>
/// One workspace's full state on Control's change stream (<c>GET /api/workspaces/changes</c>, server-sent events):
/// a <see cref="WorkspaceEventType"/> event per workspace as a snapshot, then <see cref="ReadyEventType"/>, then one
/// per change. Full state, so applying one twice is harmless; <see cref="Generation"/> orders them.
/// <see cref="Suspended"/>: an admin suspended it, so the gateway must not wake it. <see cref="OwnerId"/>: the id of
/// the account it was provisioned for (Auth's user id; null for one provisioned without), so a new account that
/// re-registers a deleted user's name never reaches the old account's workspace.
/// <see cref="Endpoint"/> (the URL the gateway dials) and <see cref="GatewaySecret"/> are for the gateway only.
/// </summary>
public sealed record WorkspaceChangeEvent(
    string UserName,
    string State,
    string DesiredState,
    string? Endpoint,
    string? GatewaySecret,
    long Generation,
    string? LastError,
    string? Template = null,
    bool Suspended = false,
    string? OwnerId = null)
{
    public const string Path = "api/workspaces/changes";
    public const string WorkspaceEventType = "workspace";
    public const string ReadyEventType = "ready";

    /// <summary>The event without its route (endpoint and secret): what a browser may see.</summary>
    public WorkspaceChangeEvent WithoutRoute() => this with { Endpoint = null, GatewaySecret = null };
}

using SaasPanel.Contracts;

namespace SaasPanel.Auth.Gateway;

/// <summary>
/// One workspace as Control's change stream last described it (a <see cref="WorkspaceChangeEvent"/>): where to
/// reach it and the secret it expects. The endpoint never leaves this process.
/// </summary>
public sealed class WorkspaceRoute
{
    private readonly WorkspaceChangeEvent _change;

    public WorkspaceRoute(WorkspaceChangeEvent change)
    {
        _change = change;
        // Parsed once per change instead of once per request; anything but an absolute http(s) URL is no route.
        if (Uri.TryCreate(change.Endpoint, UriKind.Absolute, out var endpoint) && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps))
        {
            DestinationPrefix = change.Endpoint;
            EndpointAuthority = endpoint.Authority;
        }
    }

    public string UserName => _change.UserName;

    public string State => _change.State;

    public string DesiredState => _change.DesiredState;

    public string? GatewaySecret => _change.GatewaySecret;

    public long Generation => _change.Generation;

    public string? LastError => _change.LastError;

    /// <summary>The account it was provisioned for (Auth's user id); null: provisioned without one.</summary>
    public string? OwnerId => _change.OwnerId;

    /// <summary>The forwarder's destination prefix: the endpoint Control reported.</summary>
    public string? DestinationPrefix { get; }

    /// <summary>The endpoint's <c>host:port</c>, to recognise the container's redirects to itself.</summary>
    public string? EndpointAuthority { get; }

    public bool IsRunning => State == WorkspaceStates.Running && DestinationPrefix is not null && GatewaySecret is not null;

    public bool IsFailed => State == WorkspaceStates.Failed;

    public bool IsDeleted => State == WorkspaceStates.Deleted;

    public bool IsGone => State is WorkspaceStates.Deleted or WorkspaceStates.Deleting || DesiredState == DesiredStates.Deleted;

    /// <summary>An admin suspended it: no visit may wake it (Control would refuse anyway).</summary>
    public bool IsSuspended => _change.Suspended;

    /// <summary>Not meant to run (stopped by an operator or idle); a visit should wake it.</summary>
    public bool NeedsWaking => !IsGone && !IsSuspended && DesiredState != DesiredStates.Running;
}

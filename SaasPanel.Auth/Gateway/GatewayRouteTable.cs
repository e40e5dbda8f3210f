using System.Collections.Concurrent;

namespace SaasPanel.Auth.Gateway;

/// <summary>
/// Where each workspace is, in memory, so forwarding a request costs a dictionary lookup and
/// no call to Control. <see cref="WorkspaceChangeStream"/> keeps it current.
/// </summary>
public sealed class GatewayRouteTable
{
    private volatile ConcurrentDictionary<string, WorkspaceRoute> _routes = new(StringComparer.Ordinal);

    /// <summary>True once a full snapshot from Control has been loaded (and stays true across reconnects).</summary>
    public bool IsSynchronized { get; private set; }

    public int Count => _routes.Count;

    public bool TryGet(string userName, out WorkspaceRoute route) => _routes.TryGetValue(userName, out route!);

    /// <summary>Replaces everything with Control's snapshot: what the snapshot lacks no longer exists.</summary>
    public void ReplaceAll(IEnumerable<WorkspaceRoute> snapshot)
    {
        var routes = new ConcurrentDictionary<string, WorkspaceRoute>(StringComparer.Ordinal);
        foreach (var route in snapshot.Where(r => r.State != WorkspaceStates.Deleted))
        {
            routes[route.UserName] = route;
        }

        _routes = routes;
        IsSynchronized = true;
    }

    public void Apply(WorkspaceRoute route)
    {
        if (route.State == WorkspaceStates.Deleted)
        {
            _routes.TryRemove(route.UserName, out _);
        }
        else
        {
            _routes[route.UserName] = route;
        }
    }
}

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
        foreach (var route in snapshot.Where(r => !r.IsDeleted))
        {
            routes[route.UserName] = route;
        }

        _routes = routes;
        IsSynchronized = true;
    }

    /// <summary>
    /// Applies one change unless the table already holds a newer one for that workspace (a higher generation):
    /// events can arrive out of order, and an older one must never overwrite a newer. A Deleted change removes the route.
    /// </summary>
    /// <returns>False when the change was older than what the table holds, and so ignored.</returns>
    public bool Apply(WorkspaceRoute route)
    {
        var routes = _routes;
        while (true)
        {
            if (!routes.TryGetValue(route.UserName, out var known))
            {
                if (route.IsDeleted || routes.TryAdd(route.UserName, route))
                {
                    return true;
                }
            }
            else if (route.Generation < known.Generation)
            {
                return false;
            }
            else if (route.IsDeleted
                ? routes.TryRemove(KeyValuePair.Create(route.UserName, known))
                : routes.TryUpdate(route.UserName, route, known))
            {
                return true;
            }
        }
    }
}

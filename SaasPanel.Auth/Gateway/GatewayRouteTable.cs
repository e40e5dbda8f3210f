using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Gateway;

/// <summary>
/// Where each workspace is, in memory, so forwarding a request costs a dictionary lookup and
/// no call to Control. <see cref="WorkspaceChangeStream"/> keeps it current; <see cref="ChangeOf"/> tells
/// whoever follows one workspace (the "being prepared" page) that its route changed.
/// </summary>
public sealed class GatewayRouteTable
{
    private volatile ConcurrentDictionary<string, WorkspaceRoute> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _changes = new(StringComparer.Ordinal);

    /// <summary>True once a full snapshot from Control has been loaded (and stays true across reconnects).</summary>
    public bool IsSynchronized { get; private set; }

    public int Count => _routes.Count;

    public bool TryGet(string userName, out WorkspaceRoute route) => _routes.TryGetValue(userName, out route!);

    /// <summary>
    /// The route of <paramref name="userName"/>'s workspace if <paramref name="caller"/> may use it: an admin any, a user
    /// only one provisioned for their own account (or for no account in particular). A name re-registered while the
    /// deleted account's workspace is still being removed has no route yet: the old workspace is not theirs.
    /// </summary>
    public bool TryGetFor(ClaimsPrincipal caller, string userName, [NotNullWhen(true)] out WorkspaceRoute? route)
    {
        if (_routes.TryGetValue(userName, out route)
            && (route.OwnerId is null || route.OwnerId == caller.FindFirstValue(ClaimTypes.NameIdentifier) || caller.IsAdmin()))
        {
            return true;
        }

        route = null;
        return false;
    }

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
        foreach (var userName in _changes.Keys)
        {
            Signal(userName);
        }
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
                    Signal(route.UserName);
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
                Signal(route.UserName);
                return true;
            }
        }
    }

    /// <summary>
    /// A task that completes at the next change of <paramref name="userName"/>'s route. Take it before reading the
    /// route, so a change between the read and the wait is not missed.
    /// </summary>
    public Task ChangeOf(string userName) =>
        _changes.GetOrAdd(userName, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private void Signal(string userName)
    {
        if (_changes.TryRemove(userName, out var change))
        {
            change.TrySetResult();
        }
    }
}

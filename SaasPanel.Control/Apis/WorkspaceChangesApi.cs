using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Contracts;
using SaasPanel.Control.Changes;
using SaasPanel.Control.Data;
using SaasPanel.Control.Security;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Apis;

/// <summary>
/// <c>GET /api/workspaces/changes</c>, server-sent events: a snapshot, <c>ready</c>, then every change. The gateway (service
/// key) gets every workspace with its route; a panel tab (admin cookie) gets only the rows it shows (<c>users</c>) and the
/// totals by state (a <c>totals</c> event before <c>ready</c> and again after changes), never the whole table.
/// </summary>
public static class WorkspaceChangesApi
{
    public const string TotalsEventType = "totals";
    private const string KeepAliveEventType = "keep-alive";
    private const int MaxUsers = WorkspaceQuery.MaxPageSize;
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan TotalsInterval = TimeSpan.FromSeconds(1);

    public static RouteGroupBuilder MapWorkspaceChangesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/workspaces/changes", Stream).WithTags("Workspaces")
            .WithSummary("Server-sent events: a snapshot, 'ready', then every change; routes for the service key, one page and totals for a panel.");
        return api;
    }

    public static Results<ServerSentEventsResult<string>, ValidationProblem> Stream(HttpContext http, ControlDbContext db,
        WorkspaceChangeFeed feed, IOptions<JsonOptions> json, IHostApplicationLifetime lifetime, TimeProvider clock, string? users = null)
    {
        var names = users?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var invalid = names?.FirstOrDefault(name => UserNames.Validate(name) is not null);
        if (names?.Count > MaxUsers || invalid is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["users"] = [$"users is up to {MaxUsers} comma-separated user names{(invalid is null ? "" : $"; '{invalid}' is not one")}."],
            });
        }

        // Routes (endpoint, gateway secret) go to the gateway's service token only, never to a browser.
        var gateway = http.User.Identity?.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName;
        var subscriber = new Subscriber(names, WithRoutes: gateway, WithTotals: !gateway, json.Value.SerializerOptions);
        // Ends when Control stops too: an open stream (the gateway keeps one) would otherwise hold up the shutdown.
        var stopping = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        http.Response.RegisterForDispose(stopping);
        return TypedResults.ServerSentEvents(EventsAsync(db, feed, subscriber, clock, stopping.Token));
    }

    /// <summary>
    /// Subscribes before reading the snapshot, so no change falls between the two; events carry full
    /// state, so one seen twice does no harm.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> EventsAsync(ControlDbContext db, WorkspaceChangeFeed feed, Subscriber subscriber,
        TimeProvider clock, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = feed.Subscribe();
        var rows = db.Workspaces.AsNoTracking();
        if (subscriber.Users is { } users)
        {
            rows = rows.Where(w => users.Contains(w.UserName));
        }

        foreach (var workspace in await rows.OrderBy(w => w.UserName).ToListAsync(cancellationToken))
        {
            yield return subscriber.Workspace(WorkspaceChanges.From(workspace));
        }

        if (subscriber.WithTotals)
        {
            yield return subscriber.Totals(await CountAsync(db, cancellationToken));
        }

        yield return new SseItem<string>("{}", WorkspaceChangeEvent.ReadyEventType);

        var totalsDue = false;
        var totalsSent = clock.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            bool available;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                wait.CancelAfter(totalsDue ? TotalsInterval : KeepAliveInterval);
                try
                {
                    available = await subscription.Changes.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    available = true;
                }
            }

            if (!available)
            {
                yield break;
            }

            var changed = false;
            while (subscription.Changes.TryRead(out var change))
            {
                changed = true;
                if (subscriber.Wants(change))
                {
                    yield return subscriber.Workspace(change);
                }
            }

            totalsDue |= changed && subscriber.WithTotals;
            if (totalsDue && (!changed || clock.GetElapsedTime(totalsSent) >= TotalsInterval))
            {
                yield return subscriber.Totals(await CountAsync(db, cancellationToken));
                (totalsDue, totalsSent) = (false, clock.GetTimestamp());
            }
            else if (!changed && !totalsDue)
            {
                yield return new SseItem<string>("{}", KeepAliveEventType);
            }
        }
    }

    private static async Task<Dictionary<string, int>> CountAsync(ControlDbContext db, CancellationToken cancellationToken)
    {
        var byState = await db.Workspaces.GroupBy(w => w.State)
            .Select(g => new { State = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.State.ToString(), g => g.Count, cancellationToken);
        byState["total"] = byState.Values.Sum();
        return byState;
    }

    /// <summary>What one subscriber is sent: which rows, with or without routes, and whether totals.</summary>
    private sealed record Subscriber(HashSet<string>? Users, bool WithRoutes, bool WithTotals, JsonSerializerOptions Json)
    {
        public bool Wants(WorkspaceChangeEvent change) => Users is null || Users.Contains(change.UserName);

        public SseItem<string> Workspace(WorkspaceChangeEvent change) =>
            new(JsonSerializer.Serialize(WithRoutes ? change : change.WithoutRoute(), Json), WorkspaceChangeEvent.WorkspaceEventType);

        public SseItem<string> Totals(Dictionary<string, int> totals) => new(JsonSerializer.Serialize(totals, Json), TotalsEventType);
    }
}

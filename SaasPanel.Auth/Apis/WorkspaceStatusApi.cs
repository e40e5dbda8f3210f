using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SaasPanel.Auth.Gateway;
using SaasPanel.Contracts;

namespace SaasPanel.Auth.Apis;

/// <summary>
/// The signed-in user's workspace state from the route table: <c>GET /user/workspace/status</c> answers once,
/// <c>GET /user/workspace/events</c> follows it as server-sent events (one <c>status</c> event now and one per change,
/// until it is running), so the "being prepared" page opens the app the moment Control reports it Running.
/// </summary>
public static class WorkspaceStatusApi
{
    public const string EventsPath = "/user/workspace/events";
    public const string StatusEventType = "status";

    public static IEndpointRouteBuilder MapWorkspaceStatusApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/user/workspace/status", GetStatus).WithName("GetWorkspaceStatus");
        app.MapGet(EventsPath, FollowStatus).WithName("FollowWorkspaceStatus");
        return app;
    }

    public static Results<Ok<WorkspaceStatus>, UnauthorizedHttpResult> GetStatus(HttpContext context, GatewayRouteTable routes)
    {
        if (context.User.Identity is not { IsAuthenticated: true })
        {
            return TypedResults.Unauthorized();
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(WorkspaceStatus.For(context.User, routes));
    }

    public static Results<ServerSentEventsResult<WorkspaceStatus>, UnauthorizedHttpResult> FollowStatus(HttpContext context, GatewayRouteTable routes)
    {
        if (context.User.Identity is not { IsAuthenticated: true })
        {
            return TypedResults.Unauthorized();
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.ServerSentEvents(Follow(context.User, routes, context.RequestAborted), StatusEventType);
    }

    private static async IAsyncEnumerable<WorkspaceStatus> Follow(ClaimsPrincipal user, GatewayRouteTable routes,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? sent = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Taken before the read: a change between reading and waiting still wakes this loop.
            var change = routes.ChangeOf(user.Identity!.Name!);
            var status = WorkspaceStatus.For(user, routes);
            if (status.State != sent)
            {
                sent = status.State;
                yield return status;
            }

            if (status.Ready)
            {
                yield break;
            }

            // A closed page ends the wait quietly; a failed workspace is still followed (an operator may retry it).
            await change.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}

public sealed record WorkspaceStatus(string UserName, string State, bool Ready, bool Failed, string Url)
{
    /// <summary>The signed-in user's own workspace (pending while only a deleted account's of the same name is known).</summary>
    public static WorkspaceStatus For(ClaimsPrincipal user, GatewayRouteTable routes)
    {
        var userName = user.Identity!.Name!;
        var state = routes.TryGetFor(user, userName, out var route) ? route.State : WorkspaceStates.Pending;
        return new(userName, state, route?.IsRunning == true, route?.IsFailed == true, GatewayEndpoints.WorkspacePath(userName));
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using SaasPanel.Auth.Gateway;
using SaasPanel.Contracts;

namespace SaasPanel.Auth.Apis;

/// <summary>
/// <c>GET /user/workspace/status</c>: the signed-in user's workspace state from the route table,
/// polled by the "being prepared" page so it can move on by itself.
/// </summary>
public static class WorkspaceStatusApi
{
    public static IEndpointConventionBuilder MapWorkspaceStatusApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/user/workspace/status", GetStatus).WithName("GetWorkspaceStatus");

    public static Results<Ok<WorkspaceStatus>, UnauthorizedHttpResult> GetStatus(HttpContext context, GatewayRouteTable routes)
    {
        if (context.User.Identity is not { IsAuthenticated: true, Name: { } userName })
        {
            return TypedResults.Unauthorized();
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(WorkspaceStatus.For(userName, routes));
    }
}

public sealed record WorkspaceStatus(string UserName, string State, bool Ready, bool Failed, string Url)
{
    public static WorkspaceStatus For(string userName, GatewayRouteTable routes)
    {
        var state = routes.TryGet(userName, out var route) ? route.State : WorkspaceStates.Pending;
        return new(userName, state, route?.IsRunning == true, route?.IsFailed == true, GatewayEndpoints.WorkspacePath(userName));
    }
}

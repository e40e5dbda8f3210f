using Microsoft.AspNetCore.Http.HttpResults;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Apis;

/// <summary>
/// <c>GET /user/session</c>: whether the sign-in cookie sent along is a live session (its user exists and
/// its security stamp is current, checked by the cookie validator). Control asks this for every
/// cookie it is shown, so a sign-out or a deletion here ends the session there too.
/// </summary>
public static class SessionApi
{
    public const string Path = "/user/session";

    public static IEndpointConventionBuilder MapSessionApi(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, GetSession).WithName("GetSession");

    public static Results<Ok<LiveSession>, UnauthorizedHttpResult> GetSession(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        return context.User.Identity is { IsAuthenticated: true, Name: { } userName }
            ? TypedResults.Ok(new LiveSession(userName, context.User.IsAdmin()))
            : TypedResults.Unauthorized();
    }
}

public sealed record LiveSession(string UserName, bool IsAdmin);

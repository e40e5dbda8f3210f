using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Telemetry;
using SaasPanel.Auth.Users;
using SaasPanel.Contracts;
using Yarp.ReverseProxy.Forwarder;

namespace SaasPanel.Auth.Gateway;

/// <summary>
/// <c>/u/{user}/{**rest}</c>: one catch-all endpoint that authorizes the caller, looks the workspace up
/// in <see cref="GatewayRouteTable"/> and forwards with YARP's <see cref="IHttpForwarder"/> — or answers
/// with a waiting, failure or not-found page when there is nothing to forward to.
/// </summary>
public static class GatewayEndpoints
{
    public const string PathPrefix = "/u/";

    public static IEndpointConventionBuilder MapGateway(this IEndpointRouteBuilder app) =>
        app.Map("/u/{user}/{**rest}", ForwardAsync).WithDisplayName("Gateway").DisableAntiforgery();

    public static string WorkspacePath(string userName) => PathPrefix + userName + "/";

    private static async Task ForwardAsync(HttpContext context)
    {
        // The container's own error responses pass through as they are.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        var userName = (string)context.Request.RouteValues["user"]!;
        Activity.Current?.SetTag(TelemetryConventions.UserTag, userName);
        var outcome = await AnswerAsync(context, userName);
        context.RequestServices.GetRequiredService<AuthTelemetry>().RecordGatewayRequest(outcome, context.Response.StatusCode);
    }

    private static async Task<GatewayOutcome> AnswerAsync(HttpContext context, string userName)
    {
        var prefix = PathPrefix + userName;
        var path = context.Request.Path.Value!;
        if (path.Length == prefix.Length)
        {
            // Relative links in the workspace resolve against "/u/<user>/", so the slash matters.
            context.Response.Redirect(prefix + "/" + context.Request.QueryString, permanent: false);
            return GatewayOutcome.Redirected;
        }

        var caller = context.User;
        if (caller.Identity?.IsAuthenticated != true)
        {
            var returnUrl = context.Request.PathBase + path + context.Request.QueryString;
            context.Response.Redirect("/user/login?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
            return GatewayOutcome.SignInRequired;
        }

        var isOwner = string.Equals(caller.Identity.Name, userName, StringComparison.Ordinal);
        var isAdmin = caller.IsAdmin();
        if (!isOwner && !isAdmin)
        {
            await GatewayPages.WriteAsync(context, HttpStatusCode.Forbidden, GatewayPages.Forbidden(userName));
            return GatewayOutcome.Forbidden;
        }

        var services = context.RequestServices;
        var known = services.GetRequiredService<GatewayRouteTable>().TryGet(userName, out var route);
        // The owner's session was just validated against the database; an admin may be looking at anyone, so check.
        if ((!isOwner && !await UserExistsAsync(services, userName, context.RequestAborted)) || (known && route.IsGone))
        {
            await GatewayPages.WriteAsync(context, HttpStatusCode.NotFound, GatewayPages.NotFound(userName));
            return GatewayOutcome.NotFound;
        }

        var gateway = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        if (!known)
        {
            // The user exists but Control has not reported a workspace yet: the registration is on its way.
            return await WriteWaitingAsync(context, userName, WorkspaceStates.Pending, gateway);
        }

        if (route.IsFailed)
        {
            await GatewayPages.WriteAsync(context, HttpStatusCode.BadGateway, GatewayPages.Failed(userName, isAdmin ? route.LastError : null));
            return GatewayOutcome.Failed;
        }

        if (!route.IsRunning)
        {
            if (route.NeedsWaking)
            {
                services.GetRequiredService<WorkspaceWaker>().TryWake(userName);
            }

            return await WriteWaitingAsync(context, userName, route.State, gateway);
        }

        GatewayTransformer.SetRoute(context, route, prefix);
        var forwarder = services.GetRequiredService<IHttpForwarder>();
        var client = services.GetRequiredService<GatewayHttpClient>();
        var started = Stopwatch.GetTimestamp();
        var error = await forwarder.SendAsync(context, route.DestinationPrefix!, client.Invoker, client.RequestConfig, client.Transformer);
        services.GetRequiredService<AuthTelemetry>().RecordUpstream(Stopwatch.GetElapsedTime(started), error);
        if (error == ForwarderError.None)
        {
            return GatewayOutcome.Forwarded;
        }

        GatewayLog.ForwardFailed(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayEndpoints)), userName, error,
            context.Features.Get<IForwarderErrorFeature>()?.Exception);
        if (!context.Response.HasStarted && error is ForwarderError.Request or ForwarderError.RequestTimedOut)
        {
            // The container went away before Control noticed; show the waiting page rather than a bare 502.
            context.Response.Clear();
            await WriteWaitingAsync(context, userName, WorkspaceStates.Starting, gateway);
        }

        return GatewayOutcome.ForwardFailed;
    }

    private static async Task<GatewayOutcome> WriteWaitingAsync(HttpContext context, string userName, string state, GatewayOptions gateway)
    {
        context.Response.Headers.RetryAfter = gateway.WaitingPageRefreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await GatewayPages.WriteAsync(context, HttpStatusCode.ServiceUnavailable, GatewayPages.Waiting(userName, state, gateway.WaitingPageRefreshSeconds));
        return GatewayOutcome.Waiting;
    }

    private static async Task<bool> UserExistsAsync(IServiceProvider services, string userName, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<AuthDbContext>();
        return await db.Users.AsNoTracking().AnyAsync(u => u.UserName == userName, cancellationToken);
    }
}

/// <summary>
/// The one <see cref="HttpMessageInvoker"/> every forwarded request shares: its connection pool is what
/// makes the gateway fast. No proxy, no cookies, no redirects, no decompression — it relays bytes.
/// </summary>
public sealed class GatewayHttpClient : IDisposable
{
    public GatewayHttpClient(IOptions<GatewayOptions> options)
    {
        var settings = options.Value;
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = settings.ConnectTimeout,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        });
        // Containers speak plain HTTP/1.1 on loopback; asking for HTTP/2 first would only cost a negotiation.
        RequestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = settings.ActivityTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
    }

    public HttpMessageInvoker Invoker { get; }

    public ForwarderRequestConfig RequestConfig { get; }

    public HttpTransformer Transformer { get; } = new GatewayTransformer();

    public void Dispose() => Invoker.Dispose();
}

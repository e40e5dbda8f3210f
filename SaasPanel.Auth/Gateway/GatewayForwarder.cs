using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using SaasPanel.Auth.Pages;
using SaasPanel.Auth.Telemetry;
using SaasPanel.Auth.Users;
using SaasPanel.Contracts;
using Yarp.ReverseProxy.Forwarder;

namespace SaasPanel.Auth.Gateway;

/// <summary>
/// Answers one request to <c>/u/{user}/{**rest}</c>, top to bottom: the trailing slash, <see cref="GatewayAccess"/>,
/// the workspace's route in <see cref="GatewayRouteTable"/> (the caller's own account's), then either a page (waiting, failed, not found) or
/// the request relayed to the container with YARP's <see cref="IHttpForwarder"/>. Every answer is counted.
/// </summary>
public sealed class GatewayForwarder(
    GatewayAccess access,
    GatewayRouteTable routes,
    WorkspaceWaker waker,
    WorkspaceActivity activity,
    IHttpForwarder forwarder,
    GatewayHttpClient client,
    AuthTelemetry telemetry,
    IOptions<GatewayOptions> options,
    ILogger<GatewayForwarder> logger)
{
    private const string PreparingPath = "/user/preparing";

    public async Task ForwardAsync(HttpContext context)
    {
        // The container's own error responses pass through as they are.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        var userName = (string)context.Request.RouteValues["user"]!;
        // Unsampled requests (most of them) skip the tag: it would be allocated only to be dropped.
        if (Activity.Current is { IsAllDataRequested: true } activity)
        {
            activity.SetTag(TelemetryConventions.UserTag, userName);
        }

        var outcome = await AnswerAsync(context, userName);
        telemetry.RecordGatewayRequest(outcome, context.Response.StatusCode);
    }

    // Pooled (AnswerAsync and RelayAsync): the hot path allocates no state machine per request.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<GatewayOutcome> AnswerAsync(HttpContext context, string userName)
    {
        var prefix = GatewayEndpoints.PathPrefix + userName;
        if (context.Request.Path.Value!.Length == prefix.Length)
        {
            return RedirectToTrailingSlash(context, prefix);
        }

        var decision = await access.DecideAsync(context.User, userName, context.RequestAborted);
        switch (decision)
        {
            case GatewayAccessDecision.SignInRequired:
                return RedirectToSignIn(context);
            case GatewayAccessDecision.Forbidden:
                return await WritePageAsync(context, HttpStatusCode.Forbidden, GatewayPages.Forbidden(userName), GatewayOutcome.Forbidden);
            case GatewayAccessDecision.NotFound:
                return await WriteNotFoundAsync(context, userName);
        }

        if (!routes.TryGetFor(context.User, userName, out var route))
        {
            // The user exists but Control has not reported a workspace of theirs yet: the registration is on its way,
            // unless an admin has yet to approve them, which the "being prepared" page says.
            if (decision == GatewayAccessDecision.AllowedAsOwner && await access.IsAwaitingApprovalAsync(userName, context.RequestAborted))
            {
                context.Response.Redirect(PreparingPath);
                return GatewayOutcome.Redirected;
            }

            return await WriteWaitingAsync(context, userName, WorkspaceStates.Pending, followLive: decision == GatewayAccessDecision.AllowedAsOwner);
        }

        if (route.IsGone)
        {
            return await WriteNotFoundAsync(context, userName);
        }

        if (route.IsFailed)
        {
            var detail = context.User.IsAdmin() ? route.LastError : null;
            return await WritePageAsync(context, HttpStatusCode.BadGateway, GatewayPages.Failed(userName, detail), GatewayOutcome.Failed);
        }

        if (route.IsSuspended)
        {
            return await WritePageAsync(context, HttpStatusCode.Forbidden, GatewayPages.Suspended(userName), GatewayOutcome.Suspended);
        }

        if (!route.IsRunning)
        {
            if (route.NeedsWaking)
            {
                waker.TryWake(userName);
            }

            return await WriteWaitingAsync(context, userName, route.State, followLive: decision == GatewayAccessDecision.AllowedAsOwner);
        }

        return await RelayAsync(context, userName, route, prefix);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<GatewayOutcome> RelayAsync(HttpContext context, string userName, WorkspaceRoute route, string prefix)
    {
        GatewayTransformer.SetRoute(context, route, prefix);
        activity.Record(userName);
        ActivityTrackingUpgradeFeature.Install(context, activity, userName);
        var started = Stopwatch.GetTimestamp();
        SecurityHeaders.KeepApplicationHeaders(context);
        var error = await forwarder.SendAsync(context, route.DestinationPrefix!, client.InvokerFor(Activity.Current), client.RequestConfig, client.Transformer);
        telemetry.RecordUpstream(Stopwatch.GetElapsedTime(started), error);
        if (error == ForwarderError.None)
        {
            return GatewayOutcome.Forwarded;
        }

        GatewayLog.ForwardFailed(logger, userName, error, context.Features.Get<IForwarderErrorFeature>()?.Exception);
        if (!context.Response.HasStarted && error is ForwarderError.Request or ForwarderError.RequestTimedOut)
        {
            // The container went away before Control noticed; show the waiting page rather than a bare 502. It reloads
            // rather than follows: the route says Running until Control notices, so following would open it at once, again.
            context.Response.Clear();
            await WriteWaitingAsync(context, userName, WorkspaceStates.Starting, followLive: false);
        }

        return GatewayOutcome.ForwardFailed;
    }

    private static GatewayOutcome RedirectToTrailingSlash(HttpContext context, string prefix)
    {
        // Relative links in the workspace resolve against "/u/<user>/", so the slash matters.
        context.Response.Redirect(prefix + "/" + context.Request.QueryString, permanent: false);
        return GatewayOutcome.Redirected;
    }

    private static GatewayOutcome RedirectToSignIn(HttpContext context)
    {
        var request = context.Request;
        var returnUrl = request.PathBase + request.Path.Value + request.QueryString;
        context.Response.Redirect("/user/login?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        return GatewayOutcome.SignInRequired;
    }

    private Task<GatewayOutcome> WriteWaitingAsync(HttpContext context, string userName, string state, bool followLive)
    {
        var refreshSeconds = options.Value.WaitingPageRefreshSeconds;
        context.Response.Headers.RetryAfter = refreshSeconds.ToString(CultureInfo.InvariantCulture);
        return WritePageAsync(context, HttpStatusCode.ServiceUnavailable, GatewayPages.Waiting(userName, state, refreshSeconds, followLive),
            GatewayOutcome.Waiting);
    }

    private static Task<GatewayOutcome> WriteNotFoundAsync(HttpContext context, string userName) =>
        WritePageAsync(context, HttpStatusCode.NotFound, GatewayPages.NotFound(userName), GatewayOutcome.NotFound);

    private static async Task<GatewayOutcome> WritePageAsync(HttpContext context, HttpStatusCode status, string html, GatewayOutcome outcome)
    {
        await HtmlPage.WriteAsync(context, status, html);
        return outcome;
    }
}

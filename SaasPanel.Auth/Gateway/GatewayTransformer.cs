using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Claims;
using SaasPanel.Contracts;
using Yarp.ReverseProxy.Forwarder;

namespace SaasPanel.Auth.Gateway;

/// <summary>
/// Shapes a request for a workspace container: strips the <c>/u/&lt;user&gt;</c> prefix (and says so in
/// <c>X-Forwarded-Prefix</c>), adds the gateway secret, whose workspace it is (<c>X-Forwarded-Workspace</c>) and the
/// caller's identity (<c>X-Forwarded-User</c>, <c>X-Forwarded-Email</c>), and removes what belongs to the panel — its cookies and any <c>Authorization</c>.
/// Whatever a client sent in those headers is dropped first: only the gateway speaks them. On the way back it
/// keeps the container's endpoint out of redirects and stops the container from setting the panel's cookies.
/// </summary>
public sealed class GatewayTransformer : HttpTransformer
{
    private static readonly object s_routeKey = new();

    // A client's trace headers: a traced request gets the gateway's own instead (its invoker's propagator), an untraced one none.
    private static readonly string[] s_traceHeaders = [.. DistributedContextPropagator.Current.Fields ?? []];

    public static void SetRoute(HttpContext context, WorkspaceRoute route, string prefix) => context.Items[s_routeKey] = (route, prefix);

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var (route, prefix) = ((WorkspaceRoute, string))httpContext.Items[s_routeKey]!;
        var request = httpContext.Request;

        proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, request.Path.Value.AsSpan(prefix.Length).ToString(), request.QueryString);

        var headers = proxyRequest.Headers;
        // The container sees the public host, never its own address, so nothing it echoes can leak it.
        headers.Host = request.Host.Value;
        headers.Authorization = null;
        headers.Remove(Headers.GatewaySecret);
        headers.Remove(Headers.ForwardedPrefix);
        headers.Remove(Headers.ForwardedUser);
        headers.Remove(Headers.ForwardedEmail);
        headers.Remove(Headers.ForwardedWorkspace);
        headers.Remove("X-Forwarded-For");
        headers.Remove("X-Forwarded-Proto");
        headers.Remove("X-Forwarded-Host");
        foreach (var traceHeader in s_traceHeaders)
        {
            headers.Remove(traceHeader);
        }

        headers.TryAddWithoutValidation(Headers.GatewaySecret, route.GatewaySecret);
        headers.TryAddWithoutValidation(Headers.ForwardedPrefix, prefix);
        headers.TryAddWithoutValidation(Headers.ForwardedWorkspace, route.UserName);
        // The caller, who is the owner or an admin (the gateway let nobody else through), as signed in.
        var caller = httpContext.User;
        if (caller.Identity?.Name is { Length: > 0 } callerName)
        {
            headers.TryAddWithoutValidation(Headers.ForwardedUser, callerName);
        }

        if (caller.FindFirstValue(ClaimTypes.Email) is { Length: > 0 } callerEmail)
        {
            headers.TryAddWithoutValidation(Headers.ForwardedEmail, callerEmail);
        }

        headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);
        if (httpContext.Connection.RemoteIpAddress is { } remote)
        {
            headers.TryAddWithoutValidation("X-Forwarded-For", remote.ToString());
        }

        StripPanelCookies(headers);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is null)
        {
            return proceed;
        }

        var (route, prefix) = ((WorkspaceRoute, string))httpContext.Items[s_routeKey]!;
        var responseHeaders = httpContext.Response.Headers;
        if (proxyResponse.Headers.Location is { IsAbsoluteUri: true } location
            && string.Equals(location.Authority, route.EndpointAuthority, StringComparison.OrdinalIgnoreCase))
        {
            // The container redirected to its own endpoint; point the browser at the gateway instead.
            responseHeaders.Location = prefix + location.PathAndQuery + location.Fragment;
        }

        if (responseHeaders.SetCookie.Count > 0)
        {
            responseHeaders.SetCookie = responseHeaders.SetCookie.Where(cookie => cookie is null || !IsPanelCookie(cookie.AsSpan().TrimStart())).ToArray();
        }

        return proceed;
    }

    /// <summary>The panel's cookies: its session, its antiforgery tokens and ASP.NET Core's own (Control's on :5001 arrive here too).</summary>
    public static bool IsPanelCookie(ReadOnlySpan<char> cookie) =>
        cookie.StartsWith("saaspanel.", StringComparison.OrdinalIgnoreCase) || cookie.StartsWith(".AspNetCore.", StringComparison.OrdinalIgnoreCase);

    private static void StripPanelCookies(HttpRequestHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues("Cookie", out var values))
        {
            return;
        }

        // Split by span: a browser's request usually carries only the panel's session, and then nothing is allocated.
        List<string>? kept = null;
        foreach (var value in values)
        {
            foreach (var range in value.AsSpan().Split(';'))
            {
                var part = value.AsSpan(range).Trim();
                if (!part.IsEmpty && !IsPanelCookie(part))
                {
                    (kept ??= []).Add(part.ToString());
                }
            }
        }

        headers.Remove("Cookie");
        if (kept is not null)
        {
            headers.TryAddWithoutValidation("Cookie", string.Join("; ", kept));
        }
    }
}

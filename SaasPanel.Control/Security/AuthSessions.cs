using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace SaasPanel.Control.Security;

/// <summary>
/// Refuses a sign-in cookie that Auth no longer accepts (signed out, user deleted): Control can read
/// the cookie, but only Auth knows whether its session was revoked. Auth being unreachable refuses
/// too, without deleting the cookie, so the panel never trusts a session it could not check.
/// </summary>
public sealed class AuthSessions(HttpClient http, IMemoryCache cache, IOptions<AuthSessionsOptions> options)
{
    private const string SessionPath = "/user/session";

    public async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        if (options.Value.Url is not { } auth || context.Request.Cookies[SharedSignInExtensions.CookieName] is not { } cookie)
        {
            return;
        }

        if (!await IsLiveAsync(auth, cookie, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
        }
    }

    private async Task<bool> IsLiveAsync(Uri auth, string cookie, CancellationToken cancellationToken)
    {
        var key = (nameof(AuthSessions), cookie);
        if (cache.TryGetValue(key, out bool live))
        {
            return live;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(auth, SessionPath));
        request.Headers.Add("Cookie", $"{SharedSignInExtensions.CookieName}={cookie}");
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            live = response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }

        if (options.Value.CacheDuration > TimeSpan.Zero)
        {
            cache.Set(key, live, options.Value.CacheDuration);
        }

        return live;
    }
}

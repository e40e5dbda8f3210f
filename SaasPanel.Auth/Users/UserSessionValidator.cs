using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Auth.Data;

namespace SaasPanel.Auth.Users;

/// <summary>
/// Rejects a sign-in cookie whose user is gone or whose security stamp changed. The stamp is
/// cached for a short while so the gateway does not query the database on every request;
/// a deletion in this process forgets the cache entry at once.
/// </summary>
public sealed class UserSessionValidator(IServiceScopeFactory scopes, IOptions<AccountOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (string Stamp, long CheckedAt)> _stamps = new(StringComparer.Ordinal);

    public async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var userName = context.Principal?.Identity?.Name;
        var stamp = context.Principal?.FindFirstValue(UserPrincipals.SecurityStampClaim);
        if (userName is null || stamp is null || !await IsCurrentAsync(userName, stamp, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    public async Task<bool> IsCurrentAsync(string userName, string stamp, CancellationToken cancellationToken)
    {
        var now = clock.GetTimestamp();
        if (_stamps.TryGetValue(userName, out var cached) && clock.GetElapsedTime(cached.CheckedAt, now) < options.Value.SessionCheckInterval)
        {
            return cached.Stamp == stamp;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var current = await db.Users.AsNoTracking()
            .Where(u => u.UserName == userName)
            .Select(u => u.SecurityStamp)
            .SingleOrDefaultAsync(cancellationToken);
        if (current is null)
        {
            _stamps.TryRemove(userName, out _);
            return false;
        }

        _stamps[userName] = (current, now);
        return current == stamp;
    }

    public void Forget(string userName) => _stamps.TryRemove(userName, out _);
}

using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Gateway;

/// <summary>What <see cref="GatewayAccess"/> decided for a caller and a workspace.</summary>
public enum GatewayAccessDecision
{
    /// <summary>Nobody is signed in.</summary>
    SignInRequired,

    /// <summary>Signed in as someone else, and not an admin.</summary>
    Forbidden,

    /// <summary>An admin asked for a user who does not exist.</summary>
    NotFound,

    AllowedAsOwner,

    AllowedAsAdmin,
}

/// <summary>
/// The gateway's authorization rule: a workspace opens for its owner and for admins, for nobody else.
/// The owner costs no database look-up (the session was just validated against it); an admin may ask
/// for anyone, so for an admin the user must exist.
/// </summary>
public sealed class GatewayAccess(IServiceScopeFactory scopes)
{
    public async ValueTask<GatewayAccessDecision> DecideAsync(ClaimsPrincipal caller, string userName, CancellationToken cancellationToken)
    {
        if (caller.Identity is not { IsAuthenticated: true } identity)
        {
            return GatewayAccessDecision.SignInRequired;
        }

        if (string.Equals(identity.Name, userName, StringComparison.Ordinal))
        {
            return GatewayAccessDecision.AllowedAsOwner;
        }

        if (!caller.IsAdmin())
        {
            return GatewayAccessDecision.Forbidden;
        }

        return await UserExistsAsync(userName, cancellationToken) ? GatewayAccessDecision.AllowedAsAdmin : GatewayAccessDecision.NotFound;
    }

    /// <summary>Whether the user still awaits an admin's approval (and so has no workspace coming).</summary>
    public async Task<bool> IsAwaitingApprovalAsync(string userName, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserAccounts>().IsAwaitingApprovalAsync(userName, cancellationToken);
    }

    private async Task<bool> UserExistsAsync(string userName, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        return await db.Users.AsNoTracking().AnyAsync(u => u.UserName == userName, cancellationToken);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Auth.Data;

namespace SaasPanel.Auth.Users;

/// <summary>
/// Decides whether a password may be verified now for (account name, client network): a few free
/// attempts, then a wait that doubles with every further one. The slot is claimed before the
/// verification with a conditional update, so parallel guesses cannot share one slot.
/// </summary>
public sealed class SignInThrottles(AuthDbContext db, IOptions<AccountOptions> options, TimeProvider clock, ILogger<SignInThrottles> logger)
{
    public async Task<bool> TryClaimAttemptAsync(string accountName, string network, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO SignInThrottles (AccountName, Network, Attempts) VALUES ({accountName}, {network}, 0) ON CONFLICT DO NOTHING",
            cancellationToken);
        var seen = await Throttle(accountName, network).AsNoTracking().SingleAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (seen.BlockedUntil > now)
        {
            return false;
        }

        var attempts = seen.Attempts + 1;
        var blockedUntil = attempts >= options.Value.MaxFailedSignIns ? now + Wait(attempts) : (DateTime?)null;
        // Only one of the requests that read the same count wins it; the others were not allowed a verification.
        var claimed = await Throttle(accountName, network).Where(t => t.Attempts == seen.Attempts)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.Attempts, attempts).SetProperty(t => t.BlockedUntil, blockedUntil), cancellationToken);
        if (claimed == 1 && blockedUntil is { } until)
        {
            UsersLog.Throttled(logger, accountName, network, until);
        }

        return claimed == 1;
    }

    /// <summary>The right password: this network starts afresh for the account.</summary>
    public Task ResetAsync(string accountName, string network, CancellationToken cancellationToken) =>
        Throttle(accountName, network).ExecuteDeleteAsync(cancellationToken);

    private TimeSpan Wait(int attempts)
    {
        var doublings = Math.Min(attempts - options.Value.MaxFailedSignIns, 20);
        var wait = options.Value.LockoutDuration * Math.Pow(2, doublings);
        return wait < options.Value.MaxLockoutDuration ? wait : options.Value.MaxLockoutDuration;
    }

    private IQueryable<SignInThrottle> Throttle(string accountName, string network) =>
        db.SignInThrottles.Where(t => t.AccountName == accountName && t.Network == network);
}

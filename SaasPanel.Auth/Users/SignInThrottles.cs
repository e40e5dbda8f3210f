using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Auth.Data;

namespace SaasPanel.Auth.Users;

/// <summary>
/// Decides whether a password may be verified now for (account name, client network): a few free
/// attempts, then a wait that doubles with every further one. The slot is claimed before the
/// verification with a conditional update, so parallel guesses cannot share one slot. Records nobody touched for
/// <see cref="AccountOptions.MaxLockoutDuration"/> are forgotten (<see cref="PruneAsync"/>), so guesses at made-up
/// names cannot fill the database, and an old mistake does not count against a sign-in months later.
/// </summary>
public sealed class SignInThrottles(AuthDbContext db, IOptions<AccountOptions> options, TimeProvider clock, ILogger<SignInThrottles> logger)
{
    public async Task<bool> TryClaimAttemptAsync(string accountName, string network, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO SignInThrottles (AccountName, Network, Attempts, LastAttemptAt) VALUES ({accountName}, {network}, 0, {now}) ON CONFLICT DO NOTHING",
            cancellationToken);
        var seen = await Throttle(accountName, network).AsNoTracking().SingleAsync(cancellationToken);
        if (seen.BlockedUntil > now)
        {
            return false;
        }

        var attempts = (seen.LastAttemptAt < ForgottenBefore(now) ? 0 : seen.Attempts) + 1;
        var blockedUntil = attempts >= options.Value.MaxFailedSignIns ? now + Wait(attempts) : (DateTime?)null;
        // Only one of the requests that read the same count wins it; the others were not allowed a verification.
        var claimed = await Throttle(accountName, network).Where(t => t.Attempts == seen.Attempts)
            .ExecuteUpdateAsync(set => set
                .SetProperty(t => t.Attempts, attempts)
                .SetProperty(t => t.BlockedUntil, blockedUntil)
                .SetProperty(t => t.LastAttemptAt, now), cancellationToken);
        if (claimed == 1 && blockedUntil is { } until)
        {
            UsersLog.Throttled(logger, accountName, network, until);
        }

        return claimed == 1;
    }

    /// <summary>The right password: this network starts afresh for the account.</summary>
    public Task ResetAsync(string accountName, string network, CancellationToken cancellationToken) =>
        Throttle(accountName, network).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Deletes the forgotten records (untouched for <see cref="AccountOptions.MaxLockoutDuration"/>); returns how many.</summary>
    public Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var forgottenBefore = ForgottenBefore(clock.GetUtcNow().UtcDateTime);
        return db.SignInThrottles.Where(t => t.LastAttemptAt < forgottenBefore).ExecuteDeleteAsync(cancellationToken);
    }

    // A block never outlasts MaxLockoutDuration after its attempt, so a record older than that blocks nothing.
    private DateTime ForgottenBefore(DateTime now) => now - options.Value.MaxLockoutDuration;

    private TimeSpan Wait(int attempts)
    {
        var doublings = Math.Min(attempts - options.Value.MaxFailedSignIns, 20);
        var wait = options.Value.LockoutDuration * Math.Pow(2, doublings);
        return wait < options.Value.MaxLockoutDuration ? wait : options.Value.MaxLockoutDuration;
    }

    private IQueryable<SignInThrottle> Throttle(string accountName, string network) =>
        db.SignInThrottles.Where(t => t.AccountName == accountName && t.Network == network);
}

namespace SaasPanel.Auth.Users;

/// <summary>
/// Failed sign-ins for one account name from one client network. Keyed by the name as typed, so an
/// unknown name slows down exactly like a real one, and by network, so guesses from one place never
/// block the owner signing in from another.
/// </summary>
public sealed class SignInThrottle
{
    public required string AccountName { get; set; }

    public required string Network { get; set; }

    /// <summary>Attempts claimed since the last success; each claim is one password verification.</summary>
    public int Attempts { get; set; }

    public DateTime? BlockedUntil { get; set; }

    /// <summary>
    /// When the last attempt was claimed. A record untouched for <see cref="AccountOptions.MaxLockoutDuration"/> is
    /// forgotten (its block, never longer than that, is over): it counts afresh and is pruned.
    /// </summary>
    public DateTime LastAttemptAt { get; set; }
}

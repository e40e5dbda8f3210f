using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Auth.Users;

/// <summary>Password policy and sign-in throttling (section <c>Accounts</c>).</summary>
public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    [Range(8, 128)]
    public int MinimumPasswordLength { get; set; } = 8;

    /// <summary>Password checks one client network may make for one account name before it has to wait.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>The first wait after those; each further attempt doubles it, up to <see cref="MaxLockoutDuration"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxLockoutDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a validated session stays trusted without asking the database again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Auth.Security;

/// <summary>How many sign-in and registration posts one client network (IPv4 address, IPv6 /64) may make per window (section <c>SignInRateLimit</c>).</summary>
public sealed class SignInRateLimitOptions
{
    public const string SectionName = "SignInRateLimit";

    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

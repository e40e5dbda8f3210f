using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Control.Security;

/// <summary>Where Auth answers whether a sign-in cookie is still a live session (section <c>AuthSessions</c>; the AppHost passes it).</summary>
public sealed class AuthSessionsOptions
{
    public const string SectionName = "AuthSessions";

    /// <summary>Auth's address as Control reaches it; unset, the cookie's signature alone is trusted (tests of Control by itself).</summary>
    public Uri? Url { get; set; }

    /// <summary>How long Auth's answer for one cookie is reused, so a page with many requests asks once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}

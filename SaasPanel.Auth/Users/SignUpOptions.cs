using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Auth.Users;

/// <summary>Who may register (section <c>SignUp</c>).</summary>
public sealed class SignUpOptions
{
    public const string SectionName = "SignUp";

    /// <summary>At most this many users with a workspace (admins have none); none: no cap. Reached: registration creates nothing.</summary>
    [Range(0, int.MaxValue)]
    public int? MaxWorkspaces { get; set; }
}

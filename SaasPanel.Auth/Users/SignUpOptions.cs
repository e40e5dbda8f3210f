using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Auth.Users;

/// <summary>Who may register (section <c>SignUp</c>).</summary>
public sealed class SignUpOptions
{
    public const string SectionName = "SignUp";

    /// <summary>At most this many users with a workspace (admins have none); none: no cap. Reached: registration creates nothing.</summary>
    [Range(0, int.MaxValue)]
    public int? MaxWorkspaces { get; set; }

    /// <summary>Whether a new user gets a workspace at once (<c>open</c>) or once an admin approved them (<c>approval</c>).</summary>
    public SignUpPolicy Policy { get; set; } = SignUpPolicy.Open;
}

public enum SignUpPolicy
{
    /// <summary>Anyone may register and gets a workspace at once.</summary>
    Open,

    /// <summary>A new user waits, without a workspace, until an admin approves them.</summary>
    Approval,
}

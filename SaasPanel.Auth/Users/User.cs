namespace SaasPanel.Auth.Users;

/// <summary>A person who signs in at the gateway: a user with a workspace, or an admin.</summary>
public sealed class User
{
    public int Id { get; set; }

    public required string UserName { get; set; }

    /// <summary>Stored lower-cased, so uniqueness holds regardless of how it was typed.</summary>
    public required string Email { get; set; }

    /// <summary>ASP.NET Core Identity's <c>PasswordHasher</c> output; never the password itself.</summary>
    public required string PasswordHash { get; set; }

    public UserRole Role { get; set; } = UserRole.User;

    /// <summary>Copied into the sign-in cookie; a cookie whose stamp no longer matches is rejected.</summary>
    public string SecurityStamp { get; set; } = NewSecurityStamp();

    public DateTime CreatedAt { get; set; }

    public DateTime? LastSignInAt { get; set; }

    /// <summary>When the user was let in (at registration under the open policy, else by an admin); null: awaiting approval, no workspace.</summary>
    public DateTime? ApprovedAt { get; set; }

    public bool IsAdmin => Role == UserRole.Admin;

    /// <summary>What Control binds this account's workspace to; also the cookie's name identifier claim.</summary>
    public string OwnerId => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string NewSecurityStamp() => Guid.NewGuid().ToString("N");
}

public enum UserRole
{
    User,
    Admin,
}

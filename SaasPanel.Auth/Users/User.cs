namespace SaasPanel.Auth.Users;

/// <summary>A person who signs in at the gateway: a user with a workspace, or an admin.</summary>
public sealed class User
{
    public int Id { get; set; }

    public required string UserName { get; set; }

    public required string Email { get; set; }

    /// <summary>ASP.NET Core Identity's <c>PasswordHasher</c> output; never the password itself.</summary>
    public required string PasswordHash { get; set; }

    public UserRole Role { get; set; } = UserRole.User;

    public DateTime CreatedAt { get; set; }
}

public enum UserRole
{
    User,
    Admin,
}

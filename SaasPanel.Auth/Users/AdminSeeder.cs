using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Auth.Data;

namespace SaasPanel.Auth.Users;

internal static class AdminSeeder
{
    /// <summary>
    /// Creates the administrator when missing and applies the configured password at every start, so changing
    /// the configuration changes it (and a database first used in Development loses <c>admin123</c>).
    /// Reading the options validates them, so a missing password fails start-up here.
    /// </summary>
    public static async Task SeedAdminAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<IOptions<AdminOptions>>().Value;
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>();
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<AdminOptions>>();

        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == admin.UserName, cancellationToken);
        if (user is not null)
        {
            if (admin.Password is not null
                && hasher.VerifyHashedPassword(user, user.PasswordHash, admin.Password) != PasswordVerificationResult.Success)
            {
                user.PasswordHash = hasher.HashPassword(user, admin.Password);
                // Sessions signed in with the old password end.
                user.SecurityStamp = User.NewSecurityStamp();
                await db.SaveChangesAsync(cancellationToken);
                UsersLog.ChangedAdminPassword(logger, user.UserName);
            }

            return;
        }

        user = new User
        {
            UserName = admin.UserName,
            Email = admin.Email.ToLowerInvariant(),
            PasswordHash = "",
            Role = UserRole.Admin,
            CreatedAt = TimeProvider.System.GetUtcNow().UtcDateTime,
        };
        user.ApprovedAt = user.CreatedAt;
        user.PasswordHash = hasher.HashPassword(user, admin.Password ?? AdminOptions.DevelopmentPassword);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);

        if (admin.Password is null)
        {
            UsersLog.SeededDevelopmentAdmin(logger, user.UserName);
        }
        else
        {
            UsersLog.SeededAdmin(logger, user.UserName);
        }
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Auth.Data;

namespace SaasPanel.Auth.Users;

internal static class AdminSeeder
{
    /// <summary>Creates the administrator when missing. Reading the options validates them, so a missing password fails start-up here.</summary>
    public static async Task SeedAdminAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<IOptions<AdminOptions>>().Value;
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<AdminOptions>>();
        if (await db.Users.AnyAsync(u => u.UserName == admin.UserName, cancellationToken))
        {
            return;
        }

        var user = new User
        {
            UserName = admin.UserName,
            Email = admin.Email.ToLowerInvariant(),
            PasswordHash = "",
            Role = UserRole.Admin,
            CreatedAt = TimeProvider.System.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>()
            .HashPassword(user, admin.Password ?? AdminOptions.DevelopmentPassword);
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

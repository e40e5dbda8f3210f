using Microsoft.Extensions.Options;

namespace SaasPanel.Auth.Users;

/// <summary>
/// The built-in administrator (section <c>Admin</c>). Development falls back to the well-known
/// <c>admin</c>/<c>admin123</c>; anywhere else start-up fails until a password is configured.
/// </summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";
    public const string DevelopmentPassword = "admin123";

    public string UserName { get; set; } = "admin";

    public string Email { get; set; } = "admin@localhost";

    public string? Password { get; set; }
}

internal sealed class AdminOptionsValidator(IHostEnvironment environment) : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        if (string.IsNullOrEmpty(options.Password))
        {
            return environment.IsDevelopment()
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"Admin:Password is not configured. Outside Development (environment '{environment.EnvironmentName}') "
                    + "the administrator password must come from configuration, e.g. the environment variable Admin__Password.");
        }

        return options.Password.Length < 8
            ? ValidateOptionsResult.Fail("Admin:Password must be at least 8 characters long.")
            : ValidateOptionsResult.Success;
    }
}

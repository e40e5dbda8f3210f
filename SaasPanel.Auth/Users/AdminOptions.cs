using Microsoft.Extensions.Options;

namespace SaasPanel.Auth.Users;

/// <summary>
/// The built-in administrator (section <c>Admin</c>). The password comes from <c>Admin:Password</c>,
/// the environment variable <c>SAASPANEL_ADMIN_PASSWORD</c> or the file <c>SAASPANEL_ADMIN_PASSWORD_FILE</c>
/// names, and is applied at every start. Development falls back to the well-known <c>admin</c>/<c>admin123</c>;
/// anywhere else start-up fails until a password is configured, and <c>admin123</c> is refused.
/// </summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";
    public const string DevelopmentPassword = "admin123";
    public const string PasswordVariable = "SAASPANEL_ADMIN_PASSWORD";
    public const string PasswordFileVariable = "SAASPANEL_ADMIN_PASSWORD_FILE";

    public string UserName { get; set; } = "admin";

    public string Email { get; set; } = "admin@localhost";

    public string? Password { get; set; }
}

/// <summary>Takes the password from the deployment's variables when the section has none.</summary>
internal sealed class AdminPasswordSource(IConfiguration configuration) : IPostConfigureOptions<AdminOptions>
{
    public void PostConfigure(string? name, AdminOptions options)
    {
        if (!string.IsNullOrEmpty(options.Password))
        {
            return;
        }

        if (configuration[AdminOptions.PasswordVariable] is { Length: > 0 } password)
        {
            options.Password = password;
        }
        else if (configuration[AdminOptions.PasswordFileVariable] is { Length: > 0 } file)
        {
            options.Password = ReadPasswordFile(file);
        }
    }

    private static string ReadPasswordFile(string file)
    {
        try
        {
            // A file written by `echo` or an editor ends with a newline that is not part of the password.
            return File.ReadAllText(file).TrimEnd('\r', '\n');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new OptionsValidationException(AdminOptions.SectionName, typeof(AdminOptions),
                [$"{AdminOptions.PasswordFileVariable} names '{file}', which cannot be read: {exception.Message}"]);
        }
    }
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
                    + $"the administrator password must come from configuration: {AdminOptions.PasswordVariable}, "
                    + $"a file named by {AdminOptions.PasswordFileVariable}, or Admin__Password.");
        }

        if (options.Password == AdminOptions.DevelopmentPassword && !environment.IsDevelopment())
        {
            return ValidateOptionsResult.Fail(
                $"Admin:Password is the Development default '{AdminOptions.DevelopmentPassword}', which is refused outside Development.");
        }

        return options.Password.Length < 8
            ? ValidateOptionsResult.Fail("Admin:Password must be at least 8 characters long.")
            : ValidateOptionsResult.Success;
    }
}

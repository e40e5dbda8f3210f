using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using SaasPanel.Auth.Users;

namespace SaasPanel.Tests.Unit.Auth;

public sealed class AdminOptionsValidatorTests
{
    [Theory]
    [InlineData("Development", null, true)]
    [InlineData("Production", null, false)]
    [InlineData("Staging", "", false)]
    [InlineData("Production", "short", false)]
    [InlineData("Production", "long-enough", true)]
    public void The_admin_password_may_be_left_out_only_in_development(string environment, string? password, bool valid)
    {
        var validator = new AdminOptionsValidator(new Environment(environment));

        var result = validator.Validate(null, new AdminOptions { Password = password });

        Assert.Equal(valid, result.Succeeded);
        if (!valid && string.IsNullOrEmpty(password))
        {
            Assert.Contains("Admin:Password", result.FailureMessage);
        }
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "test";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using SaasPanel.Control.Data;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Control;

public sealed class ControlServiceTests
{
    [Fact]
    public async Task Starts_with_its_database_migrated_and_shows_the_panel_to_admins_only()
    {
        await using var factory = new ServiceFactory<ControlDbContext>("control");
        using var anonymous = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var admin = factory.CreateSignedInClient("admin", SharedSignInExtensions.AdminRole);

        var page = await admin.GetAsync("/");
        var refused = await anonymous.GetAsync("/");
        var alive = await anonymous.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<h1>Overview</h1>", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/login", refused.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM __EFMigrationsHistory";
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 1);
    }

    [Fact]
    public async Task Without_an_engine_readiness_is_unhealthy_and_says_how_to_start_one()
    {
        const string missingSocket = "unix:///tmp/saaspanel-no-engine-here.sock";
        await using var factory = new ServiceFactory<ControlDbContext>("control",
            new Dictionary<string, string?> { ["Runtime:DockerHost"] = missingSocket });
        using var client = factory.CreateSignedInClient("admin", SharedSignInExtensions.AdminRole);
        using var api = factory.CreateApiClient();

        var health = await api.GetAsync("/health");
        var page = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        using var report = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        var engine = report.RootElement.GetProperty("entries").GetProperty("docker-engine");
        Assert.Equal("Unhealthy", engine.GetProperty("status").GetString());
        var description = engine.GetProperty("description").GetString();
        Assert.Contains(missingSocket, description);
        Assert.Contains("scripts/docker-up", description);
        // The panel still opens, and says what is wrong.
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Unreachable", await page.Content.ReadAsStringAsync());
    }
}

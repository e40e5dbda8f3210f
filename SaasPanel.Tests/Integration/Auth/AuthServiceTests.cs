using System.Net;
using System.Text.Json;
using SaasPanel.Auth.Data;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Auth;

public sealed class AuthServiceTests
{
    [Fact]
    public async Task Starts_healthy_with_its_database_and_shows_a_page()
    {
        await using var factory = AuthTestHost.Create($"http://127.0.0.1:{TestNetwork.FreePort()}/");
        using var client = factory.CreateApiClient();

        var health = await client.GetAsync("/health");
        var page = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var report = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", report.RootElement.GetProperty("entries").GetProperty("auth-database").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(File.Exists(factory.DatabasePath));
    }
}

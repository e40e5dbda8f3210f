using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using SaasPanel.Contracts;
using SaasPanel.Control.Audit;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>Bad requests get a 4xx with problem details, never a 500, and write nothing.</summary>
public sealed class ControlApiValidationTests : IAsyncLifetime
{
    private ControlHost _control = null!;

    public Task InitializeAsync()
    {
        _control = new ControlHost();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _control.DisposeAsync();

    public static TheoryData<string> InvalidNames => ["..%2Fx", "A", new string('a', 200), "admin", "ab", "-abc", "al_ice"];

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task Invalid_names_are_refused(string name)
    {
        var response = await _control.ProvisionAsync(name);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, response.StatusCode.ToString());
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("PUT", "/api/workspaces/erin", "{bad json")]
    [InlineData("PUT", "/api/workspaces/erin", "")]
    [InlineData("PUT", "/api/workspaces/erin", "{\"email\":\"not-an-email\"}")]
    [InlineData("PUT", "/api/workspaces/erin", "{\"email\":null}")]
    [InlineData("PUT", "/api/workspaces/erin", "[]")]
    [InlineData("POST", "/api/workspaces/activity", "[{\"user\":\"A\",\"lastActivity\":\"2026-12-02T10:00:00Z\"}]")]
    [InlineData("POST", "/api/workspaces/activity", "[{\"user\":null,\"lastActivity\":\"2026-12-02T10:00:00Z\"}]")]
    [InlineData("POST", "/api/workspaces/activity", "[{\"user\":\"erin\",\"lastActivity\":\"yesterday\"}]")]
    [InlineData("POST", "/api/workspaces/activity", "{\"user\":\"erin\"}")]
    [InlineData("POST", "/api/workspaces/activity", "")]
    public async Task Malformed_bodies_are_refused_with_problem_details(string method, string path, string body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };

        var response = await _control.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("GET", "/api/workspaces/nobody")]
    [InlineData("POST", "/api/workspaces/nobody/start")]
    [InlineData("POST", "/api/workspaces/nobody/stop")]
    [InlineData("POST", "/api/workspaces/nobody/restart")]
    [InlineData("POST", "/api/workspaces/nobody/pin")]
    [InlineData("POST", "/api/workspaces/nobody/unpin")]
    [InlineData("POST", "/api/workspaces/nobody/suspend")]
    [InlineData("POST", "/api/workspaces/nobody/resume")]
    [InlineData("DELETE", "/api/workspaces/nobody")]
    [InlineData("GET", "/api/workspaces/nobody/logs")]
    public async Task Unknown_workspaces_are_404_with_problem_details(string method, string path)
    {
        var response = await _control.Api.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task Without_the_right_api_key_every_call_is_401(string? key)
    {
        using var client = _control.Factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add(Headers.ApiKey, key);
        }

        using var content = new StringContent("{\"email\":\"erin@example.com\"}", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PutAsync("/api/workspaces/erin", content)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/workspaces")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/" + WorkspaceChangeEvent.Path)).StatusCode);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task The_api_is_described_by_openapi()
    {
        using var client = _control.Factory.CreateClient();

        var document = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/workspaces/{user}", document);
        Assert.Contains("/api/audit", document);
    }

    private async Task AssertNothingWrittenAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_control.Factory.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM Workspaces) + (SELECT count(*) FROM AuditLog)";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }
}

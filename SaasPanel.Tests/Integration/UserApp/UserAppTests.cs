using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SaasPanel.Contracts;
using SaasPanel.UserApp;

namespace SaasPanel.Tests.Integration.UserApp;

public sealed class UserAppTests : IClassFixture<UserAppTests.Factory>
{
    private const string Secret = "test-gateway-secret";
    private readonly Factory _factory;

    public UserAppTests(Factory factory) => _factory = factory;

    [Fact]
    public async Task Readiness_needs_no_secret()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(WorkspaceContainer.HealthPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-secret")]
    public async Task Without_the_gateway_secret_the_page_is_forbidden(string? secret)
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        if (secret is not null)
        {
            request.Headers.Add(Headers.GatewaySecret, secret);
        }

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("alice@example.com", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_the_secret_the_user_sees_who_they_are_under_the_gateway_prefix()
    {
        var response = await OpenAsGatewayAsync(caller: "alice", email: "alice@example.com");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>Hello, <span id=\"username\">alice</span></h1>", html);
        Assert.Contains("alice@example.com", html);
        Assert.Contains("<base href=\"/u/alice/\">", html);
        Assert.Contains("action=\"/user/logout\"", html);
    }

    [Fact]
    public async Task An_admin_opening_the_workspace_sees_whose_it_is_and_who_they_are()
    {
        var html = await (await OpenAsGatewayAsync(caller: "admin", email: "admin@localhost")).Content.ReadAsStringAsync();

        Assert.Contains("<h1>The workspace of <span id=\"username\">alice</span></h1>", html);
        Assert.Contains("admin (admin@localhost)", html);
        Assert.DoesNotContain("Hello", html);
    }

    /// <summary>alice's workspace page as the gateway asks for it: her secret, her path, and who is calling.</summary>
    private async Task<HttpResponseMessage> OpenAsGatewayAsync(string caller, string email)
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add(Headers.GatewaySecret, Secret);
        request.Headers.Add(Headers.ForwardedPrefix, "/u/alice");
        request.Headers.Add(Headers.ForwardedWorkspace, "alice");
        request.Headers.Add(Headers.ForwardedUser, caller);
        request.Headers.Add(Headers.ForwardedEmail, email);
        return await client.SendAsync(request);
    }

    public sealed class Factory : WebApplicationFactory<WorkspaceIdentity>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting(WorkspaceEnvironment.GatewaySecret, Secret);
            builder.UseSetting(WorkspaceEnvironment.WorkspaceDirectory, Path.GetTempPath());
        }
    }
}

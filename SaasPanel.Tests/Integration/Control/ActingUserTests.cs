using System.Net;
using System.Net.Http.Json;
using SaasPanel.Contracts;
using SaasPanel.Control.Apis;
using SaasPanel.Control.Audit;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>
/// What Auth tells Control about its accounts: the user it acts for, whom the audit log then shows (only the API key may
/// say so), and the account a workspace is for, which it is then bound to.
/// </summary>
public sealed class ActingUserTests : IAsyncLifetime
{
    private ControlHost _control = null!;

    public Task InitializeAsync()
    {
        _control = new ControlHost();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _control.DisposeAsync();

    [Fact]
    public async Task The_key_holder_acting_for_a_user_is_audited_as_that_user()
    {
        Assert.Equal(HttpStatusCode.Created, (await _control.ProvisionAsync("selfie")).StatusCode);

        using var stop = ActingAs("selfie", HttpMethod.Post, "/api/workspaces/selfie/stop");
        Assert.Equal(HttpStatusCode.Accepted, (await _control.Api.SendAsync(stop)).StatusCode);
        // A name that is no user name is not believed: the key stays the actor.
        using var start = ActingAs("Not A User", HttpMethod.Post, "/api/workspaces/selfie/start");
        Assert.Equal(HttpStatusCode.Accepted, (await _control.Api.SendAsync(start)).StatusCode);

        var audit = await _control.Api.GetFromJsonAsync<Page<AuditEntry>>("/api/audit?user=selfie&pageSize=200", ControlHost.Json);
        Assert.Equal("selfie", Assert.Single(audit!.Items, a => a.Action == "stop").Actor);
        Assert.Equal("api-key", Assert.Single(audit.Items, a => a.Action == "start").Actor);
        Assert.Equal("api-key", Assert.Single(audit.Items, a => a.Action == "provision").Actor);
    }

    [Fact]
    public async Task Without_the_key_the_header_signs_nobody_in()
    {
        using var client = _control.Factory.CreateClient();
        client.DefaultRequestHeaders.Add(Headers.ActingUser, "selfie");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/workspaces/selfie")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/api/workspaces/selfie/stop", content: null)).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/workspaces/nobody")]
    [InlineData("GET", "/api/workspaces/nobody/logs?tail=100")]
    [InlineData("GET", "/api/workspaces/nobody/volume")]
    [InlineData("POST", "/api/workspaces/nobody/start")]
    [InlineData("POST", "/api/workspaces/nobody/stop")]
    [InlineData("POST", "/api/workspaces/nobody/restart")]
    public async Task A_user_without_a_workspace_gets_404(string method, string path)
    {
        using var request = ActingAs("nobody", new HttpMethod(method), path);

        var response = await _control.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Provisioning_binds_the_owner_and_refuses_another_account_of_the_same_name()
    {
        Assert.Equal(HttpStatusCode.Created, (await PutAsync("bound", ownerId: "7")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync("bound", ownerId: "7")).StatusCode);

        var other = await PutAsync("bound", ownerId: "8");

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Contains("another account", await other.Content.ReadAsStringAsync());
        Assert.Equal("7", (await _control.GetAsync("bound"))!.OwnerId);
    }

    [Fact]
    public async Task A_workspace_provisioned_without_an_owner_takes_the_first_one_named()
    {
        Assert.Equal(HttpStatusCode.Created, (await _control.ProvisionAsync("unbound")).StatusCode);
        Assert.Null((await _control.GetAsync("unbound"))!.OwnerId);

        Assert.Equal(HttpStatusCode.OK, (await PutAsync("unbound", ownerId: "9")).StatusCode);

        Assert.Equal("9", (await _control.GetAsync("unbound"))!.OwnerId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an id")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task A_malformed_owner_id_is_a_400(string ownerId)
    {
        var response = await PutAsync("malformed", ownerId);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ownerId", await response.Content.ReadAsStringAsync());
        Assert.Null(await _control.GetAsync("malformed"));
    }

    private Task<HttpResponseMessage> PutAsync(string user, string ownerId) =>
        _control.Api.PutAsJsonAsync($"/api/workspaces/{user}", new { email = $"{user}@example.com", ownerId });

    private static HttpRequestMessage ActingAs(string user, HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(Headers.ActingUser, user);
        return request;
    }
}

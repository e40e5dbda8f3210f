using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SaasPanel.Contracts;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.EndToEnd;

/// <summary>
/// Issue 6, acceptance 4: every panel action is refused without an admin sign-in (redirect to sign-in,
/// 401 for the API) and without the antiforgery token (400), and no GET changes anything.
/// </summary>
[Collection(OperatorPanelCollection.Name)]
public sealed class PanelSecurityTests(PanelAppHostFixture panel)
{
    private static readonly string[] StateChangingActions = ["provision", "start", "stop", "restart", "delete"];

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in_and_change_nothing()
    {
        const string victim = "anon-target";
        await ProvisionAsync(victim);
        using var anonymous = panel.NewBrowser();

        foreach (var path in new[] { "/", "/audit", $"/workspaces/{victim}", $"/workspaces/{victim}/delete" })
        {
            var response = await anonymous.Http.GetAsync(new Uri(panel.ControlAddress, path));
            AssertSentToSignIn(response);
        }

        var login = await anonymous.Http.GetAsync(new Uri(panel.ControlAddress, "/login"));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith($"{panel.AuthAddress}admin/login?ReturnUrl=", login.Headers.Location!.AbsoluteUri);

        foreach (var (path, form) in ActionPosts(victim))
        {
            var response = await anonymous.Http.PostAsync(new Uri(panel.ControlAddress, path), new FormUrlEncodedContent(form));
            AssertSentToSignIn(response);
        }

        var api = await anonymous.Http.PostAsync(new Uri(panel.ControlAddress, $"/api/workspaces/{victim}/stop"), null);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        await AssertUntouchedAsync(victim);
    }

    [Fact]
    public async Task A_signed_in_user_who_is_not_an_admin_is_refused()
    {
        using var user = panel.NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await user.RegisterAsync("not-admin", "not-admin@example.com", "not-admin-password")).StatusCode);

        var overview = await user.Http.GetAsync(panel.ControlAddress);
        var login = await user.Http.GetStringAsync(AssertSentToSignIn(overview));
        Assert.Contains("not an administrator", login);
        var api = await user.Http.PostAsync(new Uri(panel.ControlAddress, "/api/workspaces/not-admin/stop"), null);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
    }

    [Fact]
    public async Task An_admin_without_the_antiforgery_token_gets_400_and_gets_are_harmless()
    {
        const string victim = "csrf-target";
        await ProvisionAsync(victim);
        using var admin = panel.NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.AdminSignInAsync()).StatusCode);

        foreach (var (path, form) in ActionPosts(victim))
        {
            var response = await admin.Http.PostAsync(new Uri(panel.ControlAddress, path), new FormUrlEncodedContent(form));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        var api = await admin.Http.PostAsync(new Uri(panel.ControlAddress, $"/api/workspaces/{victim}/stop"), null);
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);

        // The same actions as links: a GET only ever shows a page.
        foreach (var (path, form) in ActionPosts(victim))
        {
            var query = string.Join('&', form.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}"));
            var response = await admin.Http.GetAsync(new Uri(panel.ControlAddress, $"{path}{(path.Contains('?') ? '&' : '?')}{query}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await AssertUntouchedAsync(victim);

        // With the token from the page, the very same stop goes through: the refusals above were the token's doing.
        var stopped = await admin.PostFormAsync(new Uri(panel.ControlAddress, "/?handler=Action").AbsoluteUri,
            new() { ["act"] = "stop", ["users"] = victim }, formPage: panel.ControlAddress.AbsoluteUri);
        Assert.Equal(HttpStatusCode.Redirect, stopped.StatusCode);
        Assert.Equal(DesiredStates.Stopped, (await panel.GetWorkspaceAsync(victim))!.Value.GetProperty("desiredState").GetString());
    }

    private static IEnumerable<(string Path, Dictionary<string, string> Form)> ActionPosts(string user) =>
    [
        ("/?handler=Action", new() { ["act"] = "stop", ["users"] = user }),
        ("/?handler=Action", new() { ["act"] = "restart", ["users"] = user }),
        ("/?handler=Provision", new() { ["Provision.UserName"] = "intruder", ["Provision.Email"] = "intruder@example.com" }),
        ($"/workspaces/{user}/delete", new()),
    ];

    private Uri AssertSentToSignIn(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(panel.ControlAddress, response.Headers.Location!);
        Assert.Equal("/login", target.AbsolutePath);
        return target;
    }

    private async Task ProvisionAsync(string user)
    {
        using var api = panel.NewControlApiClient();
        var response = await api.PutAsJsonAsync($"/api/workspaces/{user}", new { email = $"{user}@example.com" });
        Assert.True(response.IsSuccessStatusCode, $"PUT {user}: {(int)response.StatusCode}");
    }

    /// <summary>Still wanted running, never asked to stop, restart or be deleted (the audit says so), and no intruder provisioned.</summary>
    private async Task AssertUntouchedAsync(string user)
    {
        var workspace = (await panel.GetWorkspaceAsync(user))!.Value;
        Assert.Equal(DesiredStates.Running, workspace.GetProperty("desiredState").GetString());
        Assert.Null(await panel.GetWorkspaceAsync("intruder"));

        using var api = panel.NewControlApiClient();
        var audit = await api.GetFromJsonAsync<JsonElement>($"/api/audit?user={user}&pageSize=200");
        var actions = audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["provision"], actions.Intersect(StateChangingActions));
    }

}

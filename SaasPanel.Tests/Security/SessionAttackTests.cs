using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using SaasPanel.Auth.Apis;
using SaasPanel.Auth.Data;
using SaasPanel.Contracts;
using SaasPanel.Control.Data;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Security;

/// <summary>
/// An attacker who copied a session cookie, who posts to sign-out from another site, or who registers a deleted user's
/// name at once, before Control has removed (and reported removing) the deleted account's workspace.
/// </summary>
public sealed class SessionAttackTests : IAsyncLifetime
{
    private FakeControlApi _control = null!;
    private EchoWorkspace _container = null!;
    private ServiceFactory<AuthDbContext> _auth = null!;

    public async Task InitializeAsync()
    {
        _control = await FakeControlApi.StartNewAsync();
        _container = await EchoWorkspace.StartNewAsync();
        _auth = AuthTestHost.Create(_control.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        await _auth.DisposeAsync();
        await _container.DisposeAsync();
        await _control.DisposeAsync();
    }

    [Fact]
    public async Task A_cookie_copied_before_logout_is_refused_by_the_gateway_after_it()
    {
        using var alice = _auth.CreateBrowser();
        var registered = await alice.RegisterAsync("alice", "alice@example.com", "password1");
        var copied = SessionCookie(registered);
        _control.Publish(FakeControlApi.Running("alice", _container.Endpoint, "alice-secret"));
        using var thief = _auth.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        await Eventually.AssertAsync(async () => (await GetWithCookieAsync(thief, "/u/alice/", copied)).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "the copied cookie reaching the workspace before logout");

        await alice.PostFormAsync("/user/logout", new());
        var gateway = await GetWithCookieAsync(thief, "/u/alice/", copied);
        var page = await GetWithCookieAsync(thief, "/user/preparing", copied);

        Assert.Equal(HttpStatusCode.Redirect, gateway.StatusCode);
        Assert.StartsWith("/user/login", gateway.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task Logout_is_one_post_from_the_own_origin_and_refused_from_another_site()
    {
        using var alice = _auth.CreateBrowser();
        await alice.RegisterAsync("alice", "alice@example.com", "password1");

        var foreign = await PostLogoutAsync(alice, "Origin", "https://evil.example");
        var signedInAfterForeign = await alice.Http.GetAsync("/user/preparing");
        var own = await PostLogoutAsync(alice, "Sec-Fetch-Site", "same-origin");
        var signedInAfterOwn = await alice.Http.GetAsync("/user/preparing");

        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedInAfterForeign.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
        Assert.Equal("/user/login", own.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, signedInAfterOwn.StatusCode);
    }

    [Fact]
    public async Task A_re_registered_name_does_not_reach_the_deleted_accounts_workspace()
    {
        using var alice = _auth.CreateBrowser();
        await alice.RegisterAsync("alice", "alice@example.com", "password1");
        await ProvisionedAsync("PUT alice alice@example.com");
        _control.Publish(FakeControlApi.Running("alice", _container.Endpoint, "alice-secret"));
        await Eventually.AssertAsync(async () => (await alice.Http.GetAsync("/u/alice/")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "alice reaching her workspace");

        using var admin = _auth.CreateBrowser();
        await admin.AdminSignInAsync();
        await admin.PostFormAsync("/admin/users/alice/delete", new(), "/admin/users/alice/delete");
        await ProvisionedAsync("DELETE alice");
        // Control has not removed the workspace yet: the gateway still knows it as alice's, running.
        using var attacker = _auth.CreateBrowser();
        await attacker.RegisterAsync("alice", "mallory@example.com", "password1");
        await ProvisionedAsync("PUT alice mallory@example.com");

        var gateway = await attacker.Http.GetAsync("/u/alice/");
        var status = await attacker.Http.GetFromJsonAsync<WorkspaceStatus>("/user/workspace/status");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, gateway.StatusCode);
        Assert.Equal(WorkspaceStates.Pending, status!.State);

        // Once Control has replaced it with a workspace of the new account, that one opens.
        _control.Publish(FakeControlApi.Change("alice", WorkspaceStates.Deleted, DesiredStates.Deleted));
        _control.Publish(FakeControlApi.Running("alice", _container.Endpoint, "new-secret"));
        await Eventually.AssertAsync(async () => (await attacker.Http.GetAsync("/u/alice/")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "the new account reaching its own workspace");
    }

    private Task ProvisionedAsync(string call) =>
        Eventually.AssertAsync(() => Task.FromResult(_control.CountCalls(call) > 0), TimeSpan.FromSeconds(15), call);

    private static async Task<HttpResponseMessage> PostLogoutAsync(AuthTestClient browser, string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/user/logout") { Content = new FormUrlEncodedContent([]) };
        request.Headers.Add(header, value);
        return await browser.Http.SendAsync(request);
    }

    internal static async Task<HttpResponseMessage> GetWithCookieAsync(HttpClient client, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    internal static string SessionCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Select(cookie => cookie.Split(';')[0])
            .Single(cookie => cookie.StartsWith(SharedSignInExtensions.CookieName + "=", StringComparison.Ordinal));
}

/// <summary>Control (:5001) beside a real Auth whose admin is signed in: the panel as the admin's browser sees it.</summary>
internal sealed class SignedInPanel : IAsyncDisposable
{
    private FakeControlApi _fakeControl = null!;
    private ServiceFactory<AuthDbContext> _auth = null!;

    public ServiceFactory<ControlDbContext> Control { get; private set; } = null!;

    public AuthTestClient Admin { get; private set; } = null!;

    public string Cookie { get; private set; } = "";

    public static async Task<SignedInPanel> StartAsync()
    {
        var panel = new SignedInPanel { _fakeControl = await FakeControlApi.StartNewAsync() };
        var authPort = TestNetwork.FreePort();
        panel._auth = AuthTestHost.Create(panel._fakeControl.BaseAddress);
        panel._auth.UseKestrel(authPort);
        panel._auth.StartServer();
        panel.Control = new ServiceFactory<ControlDbContext>("control", new Dictionary<string, string?>
        {
            ["DataProtection:KeyDirectory"] = Path.Combine(panel._auth.DataDirectory, "keys"),
            ["AuthSessions:Url"] = $"http://127.0.0.1:{authPort}/",
            ["AuthSessions:CacheDuration"] = "00:00:00",
        });
        panel.Admin = AuthTestHost.CreateLoopbackBrowser(authPort);
        panel.Cookie = SessionAttackTests.SessionCookie(await panel.Admin.AdminSignInAsync());
        return panel;
    }

    /// <summary>A client of Control that sends only the cookie it is given (the copied one).</summary>
    public HttpClient CreateClient() =>
        Control.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Control.DisposeAsync();
        await _auth.DisposeAsync();
        await _fakeControl.DisposeAsync();
    }
}

/// <summary>An admin's cookie copied before they signed out, replayed at Control (:5001) against the panel and the API.</summary>
public sealed class ControlSessionAttackTests
{
    private static Task<HttpResponseMessage> GetWithCookieAsync(HttpClient client, string path, string cookie) =>
        SessionAttackTests.GetWithCookieAsync(client, path, cookie);

    [Fact]
    public async Task An_admin_cookie_copied_before_logout_is_refused_by_Control_after_it()
    {
        await using var panel = await SignedInPanel.StartAsync();
        var (admin, copied) = (panel.Admin, panel.Cookie);
        using var thief = panel.CreateClient();
        var apiBefore = await GetWithCookieAsync(thief, "/api/workspaces", copied);
        var panelBefore = await GetWithCookieAsync(thief, "/", copied);

        await admin.PostFormAsync("/user/logout", []);
        var apiAfter = await GetWithCookieAsync(thief, "/api/workspaces", copied);
        var panelAfter = await GetWithCookieAsync(thief, "/", copied);

        Assert.Equal(HttpStatusCode.OK, apiBefore.StatusCode);
        Assert.Equal(HttpStatusCode.OK, panelBefore.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, apiAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, panelAfter.StatusCode);
        Assert.Equal("/login", panelAfter.Headers.Location?.AbsolutePath);
    }
}

using System.Diagnostics;
using System.Net;
using SaasPanel.Contracts;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.EndToEnd;

/// <summary>
/// Issue 5's acceptance list, end to end: the whole AppHost, the real engine, a browser-like client at
/// Auth's port. Each test uses its own user names, so the order of the tests does not matter.
/// </summary>
public sealed class AuthGatewayTests(PanelAppHostFixture panel) : IClassFixture<PanelAppHostFixture>
{
    private static readonly TimeSpan s_provisionDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Acceptance_1_registering_alice_opens_her_own_container_within_ten_seconds_and_never_shows_its_address()
    {
        using var alice = panel.NewBrowser();
        var clock = Stopwatch.StartNew();

        var registered = await alice.RegisterAsync("alice", "alice@example.com", "alice-password");
        Assert.Equal("/user/preparing", registered.Headers.Location?.OriginalString);
        // The page waits a moment for the workspace: one claimed from the warm pool runs by then, and the answer is a
        // redirect straight to it; otherwise it says the workspace is being prepared.
        var preparing = await alice.Http.GetAsync("/user/preparing");
        if (preparing.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.Equal("/u/alice/", preparing.Headers.Location?.OriginalString);
        }
        else
        {
            Assert.Contains("being prepared", await preparing.Content.ReadAsStringAsync());
        }

        var page = await WaitForWorkspacePageAsync(alice, "alice", TimeSpan.FromSeconds(10));
        clock.Stop();

        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<span id=\"username\">alice</span>", html);
        Assert.Contains("alice@example.com", html);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");

        var container = Assert.Single(await panel.ContainersOfAsync("alice"));
        Assert.DoesNotContain(container.Ports, p => p.PublicPort > 0);
        var everything = page.Headers + page.Content.Headers.ToString() + html;
        Assert.DoesNotContain(container.ID[..12], everything);
        foreach (var network in container.NetworkSettings?.Networks?.Values ?? [])
        {
            if (network.IPAddress is { Length: > 0 } address)
            {
                Assert.DoesNotContain(address, everything);
            }
        }
    }

    [Fact]
    public async Task Acceptance_2_only_the_owner_or_an_admin_enters_and_logout_from_inside_signs_out()
    {
        using var amy = panel.NewBrowser();
        using var ben = panel.NewBrowser();
        using var anonymous = panel.NewBrowser();
        using var admin = panel.NewBrowser();
        await amy.RegisterAsync("amy", "amy@example.com", "amy-password");
        await ben.RegisterAsync("ben", "ben@example.com", "ben-password");
        var amyPage = await (await WaitForWorkspacePageAsync(amy, "amy", s_provisionDeadline)).Content.ReadAsStringAsync();

        var benVisit = await ben.Http.GetAsync("/u/amy/");
        var anonymousVisit = await anonymous.Http.GetAsync("/u/amy/");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.AdminSignInAsync("admin", "admin123")).StatusCode);
        var adminVisit = await admin.Http.GetAsync("/u/amy/");
        // Admin single sign-on: the cookie from Auth's port opens Control's API on Control's port.
        var adminAtControl = await admin.Http.GetAsync(new Uri(panel.ControlAddress, "/api/workspaces/amy"));

        Assert.Equal(HttpStatusCode.Forbidden, benVisit.StatusCode);
        Assert.Equal("/user/login?ReturnUrl=%2Fu%2Famy%2F", anonymousVisit.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, adminVisit.StatusCode);
        Assert.Contains("<span id=\"username\">amy</span>", await adminVisit.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, adminAtControl.StatusCode);

        // The workspace page's own logout: one same-origin POST, as the browser sends its form.
        Assert.Contains("action=\"/user/logout\"", amyPage);
        Assert.Equal(HttpStatusCode.OK, (await amy.Http.GetAsync("/u/amy/")).StatusCode);
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/user/logout") { Content = new FormUrlEncodedContent([]) };
        logout.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.Redirect, (await amy.Http.SendAsync(logout)).StatusCode);
        Assert.StartsWith("/user/login", (await amy.Http.GetAsync("/u/amy/")).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Acceptance_3_bad_and_duplicate_registrations_get_clear_messages_and_twenty_at_once_make_one_user()
    {
        using var browser = panel.NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.RegisterAsync("dora", "dora@example.com", "dora-password")).StatusCode);

        var cases = new (string Name, string Email, string Password, string Field, string Message)[]
        {
            ("dora", "other@example.com", "long-enough", "username", "already taken"),
            ("dora2", "dora@example.com", "long-enough", "email", "already exists"),
            ("Bad_Name", "b@example.com", "long-enough", "username", "3 to 32 characters"),
            ("api", "b@example.com", "long-enough", "username", "reserved"),
            ("shorty", "s@example.com", "short", "password", "at least 8"),
            ("", "", "", "username", "Choose a user name."),
            ("", "", "", "email", "Enter your email address."),
            ("", "", "", "password", "Choose a password."),
        };
        foreach (var (name, email, password, field, message) in cases)
        {
            using var attempt = panel.NewBrowser();
            var response = await attempt.RegisterAsync(name, email, password);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(message, AuthTestClient.FieldError(await response.Content.ReadAsStringAsync(), field));
        }

        var racers = Enumerable.Range(0, 20).Select(_ => panel.NewBrowser()).ToList();
        try
        {
            var responses = await Task.WhenAll(racers.Select((racer, i) => racer.RegisterAsync("rush", $"rush{i}@example.com", "rush-password")));
            Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"got {(int)r.StatusCode}"));
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        }
        finally
        {
            racers.ForEach(r => r.Dispose());
        }

        using var admin = panel.NewBrowser();
        await admin.AdminSignInAsync();
        var list = await admin.Http.GetStringAsync("/admin/users?q=rush");
        Assert.Equal(1, list.Split("data-user=\"rush\"").Length - 1);
    }

    [Fact]
    public async Task Acceptance_4_registering_while_control_is_down_is_delivered_when_it_comes_back()
    {
        await panel.StopControlAsync();
        var controlRunning = false;
        try
        {
            using var carol = panel.NewBrowser();
            Assert.Equal(HttpStatusCode.Redirect, (await carol.RegisterAsync("carol", "carol@example.com", "carol-password")).StatusCode);
            Assert.Contains("being prepared", await carol.Http.GetStringAsync("/user/preparing"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await carol.Http.GetAsync("/u/carol/")).StatusCode);
            await Task.Delay(TimeSpan.FromSeconds(3)); // a few failed deliveries, as in a real outage

            await panel.StartControlAsync();
            controlRunning = true;

            var page = await WaitForWorkspacePageAsync(carol, "carol", s_provisionDeadline);
            Assert.Contains("carol@example.com", await page.Content.ReadAsStringAsync());
        }
        finally
        {
            if (!controlRunning)
            {
                await panel.StartControlAsync(); // leave Control running for the other tests, whatever happened
            }
        }
    }

    [Fact]
    public async Task Acceptance_5_deleting_bob_removes_his_row_sessions_and_container()
    {
        using var bob = panel.NewBrowser();
        await bob.RegisterAsync("bob", "bob@example.com", "bob-password");
        await WaitForWorkspacePageAsync(bob, "bob", s_provisionDeadline);
        Assert.Single(await panel.ContainersOfAsync("bob"));
        using var admin = panel.NewBrowser();
        await admin.AdminSignInAsync();

        var listed = await admin.Http.GetStringAsync("/admin/users?q=bob");
        Assert.Contains("data-user=\"bob\"", listed);
        Assert.Contains("state-Running", listed);
        Assert.Contains("Delete bob?", await admin.Http.GetStringAsync("/admin/users/bob/delete"));
        var deleted = await admin.PostFormAsync("/admin/users/bob/delete", [], "/admin/users/bob/delete");

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.DoesNotContain("data-user=\"bob\"", await admin.Http.GetStringAsync("/admin/users?q=bob"));
        Assert.StartsWith("/user/login", (await bob.Http.GetAsync("/u/bob/")).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync("/u/bob/")).StatusCode);
        await Eventually.GetAsync(async () => (await panel.ContainersOfAsync("bob")).Count, count => count == 0, s_provisionDeadline, "bob's container removed");
        await Eventually.GetAsync(() => panel.GetWorkspaceAsync("bob"),
            workspace => workspace is null || workspace.Value.GetProperty("state").GetString() == WorkspaceStates.Deleted, s_provisionDeadline, "bob's workspace gone at Control");
    }

    [Fact]
    public async Task Acceptance_6_posts_without_antiforgery_are_400_and_repeated_bad_passwords_pause_that_network()
    {
        using var browser = panel.NewBrowser();
        await browser.Http.GetAsync("/user/login");
        var forged = await browser.Http.PostAsync("/user/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "admin",
            ["password"] = "admin123",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        using var lou = panel.NewBrowser();
        await lou.RegisterAsync("lou", "lou@example.com", "lou-password");
        using var guesser = panel.NewBrowser();
        string last = "";
        for (var i = 0; i < 5; i++)
        {
            last = await (await guesser.SignInAsync("lou", $"guess-{i}")).Content.ReadAsStringAsync();
        }

        // After the allowed attempts even the right password waits, from this network (the same answer as a wrong one).
        Assert.Contains("sign-in from your network pauses", last);
        Assert.Contains("sign-in from your network pauses", await (await guesser.SignInAsync("lou", "lou-password")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Acceptance_7_a_stopped_container_wakes_when_its_owner_opens_it()
    {
        using var gwen = panel.NewBrowser();
        await gwen.RegisterAsync("gwen", "gwen@example.com", "gwen-password");
        await WaitForWorkspacePageAsync(gwen, "gwen", s_provisionDeadline);

        using (var control = panel.NewControlApiClient())
        {
            Assert.Equal(HttpStatusCode.Accepted, (await control.PostAsync("/api/workspaces/gwen/stop", null)).StatusCode);
        }

        await Eventually.GetAsync(() => panel.GetWorkspaceAsync("gwen"),
            workspace => workspace?.GetProperty("state").GetString() == WorkspaceStates.Stopped, s_provisionDeadline, "gwen stopped");
        var waiting = await Eventually.GetAsync(() => gwen.Http.GetAsync("/u/gwen/"),
            response => response.StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10), "the waiting page");
        Assert.Contains("workspace-status.js", await waiting.Content.ReadAsStringAsync());

        // What the waiting page does without JavaScript: ask again until the workspace answers.
        var page = await WaitForWorkspacePageAsync(gwen, "gwen", s_provisionDeadline);
        Assert.Contains("<span id=\"username\">gwen</span>", await page.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> WaitForWorkspacePageAsync(AuthTestClient browser, string userName, TimeSpan deadline) =>
        Eventually.GetAsync(() => browser.Http.GetAsync($"/u/{userName}/"), response => response.StatusCode == HttpStatusCode.OK,
            deadline, $"/u/{userName}/ to answer 200", TimeSpan.FromMilliseconds(200));
}

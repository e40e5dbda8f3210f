using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Users;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Security;

/// <summary>
/// An attacker registers account after account to get a container each: a cap on workspaces stops it, and under the
/// approval policy no account gets one before an admin approved it.
/// </summary>
public sealed class MassRegistrationAttackTests : IAsyncLifetime
{
    private FakeControlApi _control = null!;
    private ServiceFactory<AuthDbContext> _auth = null!;

    public async Task InitializeAsync()
    {
        _control = await FakeControlApi.StartNewAsync();
        _auth = AuthTestHost.Create(_control.BaseAddress, new Dictionary<string, string?> { ["SignUp:MaxWorkspaces"] = "2" });
    }

    public async Task DisposeAsync()
    {
        await _auth.DisposeAsync();
        await _control.DisposeAsync();
    }

    [Fact]
    public async Task Registrations_past_the_cap_get_a_clear_page_and_create_nothing()
    {
        for (var i = 1; i <= 2; i++)
        {
            using var bot = _auth.CreateBrowser();
            Assert.Equal(HttpStatusCode.Redirect, (await bot.RegisterAsync($"bot-{i}", $"bot-{i}@example.com", "password1")).StatusCode);
        }

        await Eventually.AssertAsync(() => Task.FromResult(_control.Calls.Count(c => c.StartsWith("PUT ", StringComparison.Ordinal)) == 2),
            TimeSpan.FromSeconds(15), "both allowed registrations provisioned");
        using var attacker = _auth.CreateBrowser();
        // The closed page has no form: the attacker posts anyway, with an antiforgery token from the sign-in page.
        var refused = await attacker.PostFormAsync("/user/register",
            new() { ["username"] = "bot-3", ["email"] = "bot-3@example.com", ["password"] = "password1" }, "/user/login");
        var form = await attacker.Http.GetStringAsync("/user/register");

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("maximum number of workspaces", await refused.Content.ReadAsStringAsync());
        Assert.Contains("maximum number of workspaces", form);
        Assert.DoesNotContain("name=\"password\"", form);
        using var scope = _auth.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "bot-3"));
        Assert.False(await db.OutboxMessages.AnyAsync(m => m.UserName == "bot-3"));
        Assert.Equal(2, await db.Users.CountAsync(u => u.Role == UserRole.User));
        Assert.DoesNotContain(_control.Calls, c => c.Contains("bot-3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Parallel_registrations_cannot_race_past_the_cap()
    {
        var bots = Enumerable.Range(1, 20).Select(i => $"swarm-{i}").ToArray();
        var browsers = bots.Select(_ => _auth.CreateBrowser()).ToArray();
        try
        {
            // Each bot loads the form first, so all twenty posts are in flight together.
            var responses = await Task.WhenAll(bots.Select((name, i) =>
                browsers[i].PostFormAsync("/user/register",
                    new() { ["username"] = name, ["email"] = $"{name}@example.com", ["password"] = "password1" }, "/user/login")));

            Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.Redirect));
            using var scope = _auth.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            Assert.Equal(2, await db.Users.CountAsync(u => u.Role == UserRole.User));
            Assert.Equal(2, await db.OutboxMessages.CountAsync());
        }
        finally
        {
            foreach (var browser in browsers)
            {
                browser.Dispose();
            }
        }
    }

    [Fact]
    public async Task Under_the_approval_policy_a_new_account_gets_no_workspace_until_an_admin_approves_it()
    {
        await using var auth = AuthTestHost.Create(_control.BaseAddress,
            new Dictionary<string, string?> { ["SignUp:Policy"] = "approval", ["SignUp:MaxWorkspaces"] = "1" });
        using var bot = auth.CreateBrowser();
        using var other = auth.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await bot.RegisterAsync("bot-1", "bot-1@example.com", "password1")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await other.RegisterAsync("bot-2", "bot-2@example.com", "password1")).StatusCode);

        var gateway = await bot.Http.GetAsync("/u/bot-1/");
        var preparing = await bot.Http.GetStringAsync("/user/preparing");

        Assert.Equal(HttpStatusCode.Redirect, gateway.StatusCode);
        Assert.Equal("/user/preparing", gateway.Headers.Location?.OriginalString);
        Assert.Contains("id=\"awaiting-approval\"", preparing);
        Assert.DoesNotContain("workspace-status.js", preparing);
        using (var scope = auth.Services.CreateScope())
        {
            Assert.False(await scope.ServiceProvider.GetRequiredService<AuthDbContext>().OutboxMessages.AnyAsync());
        }

        using var admin = auth.CreateBrowser();
        await admin.AdminSignInAsync();
        var users = await admin.Http.GetStringAsync("/admin/users");
        var approved = await admin.PostFormAsync("/admin/users?handler=Approve", new() { ["user"] = "bot-1" }, "/admin/users");
        var full = await admin.PostFormAsync("/admin/users?handler=Approve", new() { ["user"] = "bot-2" }, "/admin/users");

        Assert.Contains("awaiting approval", users);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, full.StatusCode);
        Assert.Contains("maximum number of workspaces", await full.Content.ReadAsStringAsync());
        await Eventually.AssertAsync(() => Task.FromResult(_control.CountCalls("PUT bot-1 bot-1@example.com") == 1),
            TimeSpan.FromSeconds(15), "the approved account provisioned");
        Assert.DoesNotContain(_control.Calls, c => c.Contains("bot-2", StringComparison.Ordinal));
        Assert.Contains("being prepared", await bot.Http.GetStringAsync("/user/preparing"));
    }
}

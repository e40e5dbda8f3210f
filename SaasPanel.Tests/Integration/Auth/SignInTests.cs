using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Outbox;
using SaasPanel.Auth.Users;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Auth;

public sealed class SignInTests : IAsyncLifetime
{
    private FakeControlApi _control = null!;
    private ServiceFactory<AuthDbContext> _auth = null!;

    public async Task InitializeAsync()
    {
        _control = await FakeControlApi.StartNewAsync();
        _auth = AuthTestHost.Create(_control.BaseAddress, new Dictionary<string, string?>
        {
            ["Accounts:MaxFailedSignIns"] = "3",
        });
    }

    public async Task DisposeAsync()
    {
        await _auth.DisposeAsync();
        await _control.DisposeAsync();
    }

    [Fact]
    public async Task Signing_in_goes_to_the_local_return_url_and_never_to_another_site()
    {
        await RegisterAsync("gina");
        using var browser = _auth.CreateBrowser();

        var local = await browser.SignInAsync("gina", "password1", "/u/gina/notes?x=1");
        using var other = _auth.CreateBrowser();
        var foreign = await other.SignInAsync("gina", "password1", "https://evil.example/");

        Assert.Equal("/u/gina/notes?x=1", local.Headers.Location?.OriginalString);
        Assert.Equal("/", foreign.Headers.Location?.OriginalString);
        var root = await other.Http.GetAsync("/");
        Assert.Equal("/u/gina/", root.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Anonymous_root_goes_to_sign_in_and_a_wrong_password_says_so()
    {
        using var browser = _auth.CreateBrowser();

        var root = await browser.Http.GetAsync("/");
        var wrong = await browser.SignInAsync("nobody", "password1");
        var empty = await browser.SignInAsync("", "");

        Assert.Equal("/user/login", root.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("Wrong user name or password.", await wrong.Content.ReadAsStringAsync());
        Assert.Contains("Enter your user name.", await empty.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Repeated_bad_passwords_pause_sign_in_from_that_network_even_with_the_right_one()
    {
        await RegisterAsync("hank");
        using var browser = _auth.CreateBrowser();

        for (var i = 0; i < 3; i++)
        {
            Assert.Contains("Wrong user name or password.", await (await browser.SignInAsync("hank", "wrong-password")).Content.ReadAsStringAsync());
        }

        var right = await browser.SignInAsync("hank", "password1");

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("sign-in from your network pauses", await right.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sign_out_is_one_click_from_every_page_and_a_typed_in_get_still_asks()
    {
        using var browser = await SignedInAsync("ivan");

        var page = await browser.Http.GetStringAsync("/user/login");
        var confirm = await browser.Http.GetStringAsync("/user/logout");
        var stillSignedIn = await browser.Http.GetAsync("/user/workspace/status");
        var post = await browser.PostFormAsync("/user/logout", [], formPage: "/user/login");
        var afterwards = await browser.Http.GetAsync("/user/workspace/status");

        Assert.Contains("<form class=\"sign-out\" method=\"post\" action=\"/user/logout\">", page);
        Assert.DoesNotContain("href=\"/user/logout\"", page);
        Assert.Contains("Sign out?", confirm);
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal("/user/login", post.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
    }

    [Fact]
    public async Task The_workspace_page_says_when_Control_is_unreachable_and_still_offers_account_deletion()
    {
        using var browser = await SignedInAsync("jude");
        await _control.StopAsync();

        var response = await browser.Http.GetAsync("/user/workspace");
        var page = await response.Content.ReadAsStringAsync();
        var change = await browser.PostFormAsync("/user/workspace?handler=Change", new() { ["action"] = "Start" }, "/user/login");
        var afterChange = await (await browser.Http.GetAsync("/user/workspace")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("The control service is unavailable right now", page);
        Assert.Contains("Delete my account", page);
        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        Assert.Contains("cannot do that right now", afterChange);
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_and_same_site()
    {
        using var browser = _auth.CreateBrowser();

        var response = await browser.RegisterAsync("judy", "judy@example.com", "password1");

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("saaspanel.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Admin_pages_need_an_admin_and_admins_sign_in_at_their_own_form()
    {
        await RegisterAsync("kate");
        using var anonymous = _auth.CreateBrowser();
        using var user = _auth.CreateBrowser();
        await user.SignInAsync("kate", "password1");
        using var admin = _auth.CreateBrowser();

        var anonymousView = await anonymous.Http.GetAsync("/admin/users");
        var userView = await user.Http.GetAsync("/admin/users");
        var userAtAdminForm = await user.AdminSignInAsync("kate", "password1");
        var adminSignIn = await admin.AdminSignInAsync();
        var adminView = await admin.Http.GetStringAsync("/admin/users?q=kat");

        Assert.Equal("/admin/login", anonymousView.Headers.Location?.AbsolutePath);
        Assert.Equal(HttpStatusCode.Forbidden, userView.StatusCode);
        Assert.Contains("not an administrator", await userAtAdminForm.Content.ReadAsStringAsync());
        Assert.Equal("/admin/users", adminSignIn.Headers.Location?.OriginalString);
        Assert.Contains("data-user=\"kate\"", adminView);
        Assert.DoesNotContain("data-user=\"admin\"", adminView);
    }

    [Fact]
    public async Task Admin_user_list_pages_through_many_users()
    {
        using (var scope = _auth.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            for (var i = 0; i < 45; i++)
            {
                db.Users.Add(new SaasPanel.Auth.Users.User { UserName = $"user{i:00}", Email = $"user{i:00}@example.com", PasswordHash = "x", CreatedAt = DateTime.UtcNow });
            }

            await db.SaveChangesAsync();
        }

        using var admin = _auth.CreateBrowser();
        await admin.AdminSignInAsync();
        var first = await admin.Http.GetStringAsync("/admin/users");
        var third = await admin.Http.GetStringAsync("/admin/users?p=3");

        Assert.Equal(20, CountRows(first));
        Assert.Equal(6, CountRows(third)); // 45 users + admin = 46
        Assert.Contains("page 3 of 3", third);
    }

    [Fact]
    public async Task Deleting_a_user_removes_the_row_ends_the_sessions_and_queues_the_workspace_removal()
    {
        await RegisterAsync("leo");
        using var leo = _auth.CreateBrowser();
        await leo.SignInAsync("leo", "password1");
        using var admin = _auth.CreateBrowser();
        await admin.AdminSignInAsync();

        var confirm = await admin.Http.GetStringAsync("/admin/users/leo/delete");
        var deleted = await admin.PostFormAsync("/admin/users/leo/delete", [], "/admin/users/leo/delete");
        var leoAfterwards = await leo.Http.GetAsync("/u/leo/");

        Assert.Contains("Delete leo?", confirm);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.StartsWith("/user/login", leoAfterwards.Headers.Location?.OriginalString);
        using var scope = _auth.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "leo"));
        Assert.True(await db.OutboxMessages.AnyAsync(m => m.UserName == "leo" && m.Kind == OutboxMessageKind.DeprovisionWorkspace));
        await Eventually.AssertAsync(() => Task.FromResult(_control.CountCalls("DELETE leo") == 1), TimeSpan.FromSeconds(10), "DELETE leo at Control");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync("/u/leo/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync("/admin/users/leo/delete")).StatusCode);
    }

    [Fact]
    public async Task Admins_cannot_be_deleted_from_the_panel()
    {
        using var admin = _auth.CreateBrowser();
        await admin.AdminSignInAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync("/admin/users/admin/delete")).StatusCode);
    }

    private async Task RegisterAsync(string userName)
    {
        using var browser = _auth.CreateBrowser();
        var response = await browser.RegisterAsync(userName, $"{userName}@example.com", "password1");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private async Task<AuthTestClient> SignedInAsync(string userName)
    {
        await RegisterAsync(userName);
        var browser = _auth.CreateBrowser();
        await browser.SignInAsync(userName, "password1");
        return browser;
    }

    private static int CountRows(string html) => html.Split("<tr data-user=").Length - 1;
}

public sealed class SignInRateLimitTests
{
    [Fact]
    public async Task Too_many_sign_in_posts_from_one_address_get_429()
    {
        await using var control = await FakeControlApi.StartNewAsync();
        await using var auth = AuthTestHost.Create(control.BaseAddress, new Dictionary<string, string?> { ["SignInRateLimit:PermitLimit"] = "3" });
        using var browser = auth.CreateBrowser();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await browser.SignInAsync("nobody", "password1")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/user/login")).StatusCode); // GETs are not limited
    }
}

public sealed class AdminPasswordTests
{
    [Theory]
    [InlineData(null, "Admin:Password is not configured")]
    [InlineData(AdminOptions.DevelopmentPassword, "refused outside Development")]
    public async Task Outside_development_start_up_fails_without_an_admin_password_or_with_admin123(string? password, string expected)
    {
        var factory = new ServiceFactory<AuthDbContext>("auth", new Dictionary<string, string?>
        {
            ["ControlClient:ApiKey"] = FakeControlApi.ApiKey,
            ["ControlClient:BaseAddress"] = $"http://127.0.0.1:{TestNetwork.FreePort()}/",
            [AdminOptions.PasswordVariable] = password,
        }, environment: "Production");
        await using (factory)
        {
            var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
            Assert.Contains(expected, Flatten(failure));
        }
    }

    [Fact]
    public async Task Outside_development_the_configured_admin_password_is_the_only_one()
    {
        await using var control = await FakeControlApi.StartNewAsync();
        await using var auth = AuthTestHost.Create(control.BaseAddress, new Dictionary<string, string?>
        {
            ["Admin:Password"] = "a-strong-secret",
        });
        using var browser = auth.CreateBrowser();

        Assert.Contains("Wrong user name or password.", await (await browser.AdminSignInAsync("admin", "admin123")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.AdminSignInAsync("admin", "a-strong-secret")).StatusCode);
        Assert.Equal("a-strong-secret", auth.Services.GetRequiredService<IOptions<AdminOptions>>().Value.Password);
    }

    [Fact]
    public async Task An_installation_first_started_in_development_refuses_admin123_in_production()
    {
        await using var control = await FakeControlApi.StartNewAsync();
        var data = ServiceData.Create("auth");
        try
        {
            await using (var development = AuthTestHost.Create(control.BaseAddress, data: data))
            {
                using var browser = development.CreateBrowser();
                Assert.Equal(HttpStatusCode.Redirect, (await browser.AdminSignInAsync("admin", "admin123")).StatusCode);
            }

            await using var production = AuthTestHost.Create(control.BaseAddress,
                new Dictionary<string, string?> { [AdminOptions.PasswordVariable] = "the-production-secret" }, data: data, environment: "Production");
            using var productionBrowser = production.CreateBrowser();

            Assert.Contains("Wrong user name or password.", await (await productionBrowser.AdminSignInAsync("admin", "admin123")).Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Redirect, (await productionBrowser.AdminSignInAsync("admin", "the-production-secret")).StatusCode);
        }
        finally
        {
            data.Delete();
        }
    }

    [Fact]
    public async Task The_password_file_is_applied_at_every_start_so_changing_it_changes_the_password()
    {
        await using var control = await FakeControlApi.StartNewAsync();
        var data = ServiceData.Create("auth");
        var passwordFile = Path.Combine(data.DataDirectory, "admin-password");
        var settings = new Dictionary<string, string?> { [AdminOptions.PasswordFileVariable] = passwordFile };
        try
        {
            await File.WriteAllTextAsync(passwordFile, "first-password\n");
            await using (var first = AuthTestHost.Create(control.BaseAddress, settings, data: data, environment: "Production"))
            {
                using var browser = first.CreateBrowser();
                Assert.Equal(HttpStatusCode.Redirect, (await browser.AdminSignInAsync("admin", "first-password")).StatusCode);
            }

            await File.WriteAllTextAsync(passwordFile, "second-password\n");
            await using var second = AuthTestHost.Create(control.BaseAddress, settings, data: data, environment: "Production");
            using var secondBrowser = second.CreateBrowser();

            Assert.Contains("Wrong user name or password.", await (await secondBrowser.AdminSignInAsync("admin", "first-password")).Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Redirect, (await secondBrowser.AdminSignInAsync("admin", "second-password")).StatusCode);
        }
        finally
        {
            data.Delete();
        }
    }

    private static string Flatten(Exception exception) =>
        exception.InnerException is null ? exception.Message : exception.Message + " | " + Flatten(exception.InnerException);
}

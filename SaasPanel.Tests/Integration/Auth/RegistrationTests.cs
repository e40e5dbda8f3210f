using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Outbox;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Auth;

public sealed class RegistrationTests : IAsyncLifetime
{
    private FakeControlApi _control = null!;
    private ServiceFactory<AuthDbContext> _auth = null!;

    public async Task InitializeAsync()
    {
        _control = await FakeControlApi.StartNewAsync();
        _auth = AuthTestHost.Create(_control.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        await _auth.DisposeAsync();
        await _control.DisposeAsync();
    }

    [Fact]
    public async Task Registering_stores_the_user_with_a_hash_signs_in_and_shows_the_preparing_page()
    {
        using var browser = _auth.CreateBrowser();

        var response = await browser.RegisterAsync("alice", "Alice@Example.com", "correct horse");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/user/preparing", response.Headers.Location?.OriginalString);
        var page = await browser.Http.GetStringAsync("/user/preparing");
        Assert.Contains("Your workspace is being prepared", page);
        Assert.Contains("alice", page);

        using var scope = _auth.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var user = await db.Users.SingleAsync(u => u.UserName == "alice");
        Assert.Equal("alice@example.com", user.Email);
        Assert.DoesNotContain("correct horse", user.PasswordHash);
        Assert.StartsWith("AQAAAA", user.PasswordHash);
        var message = await db.OutboxMessages.SingleAsync(m => m.UserName == "alice");
        Assert.Equal(OutboxMessageKind.ProvisionWorkspace, message.Kind);
    }

    [Fact]
    public async Task The_preparing_page_waits_for_the_workspace_and_redirects_straight_to_it_once_it_runs()
    {
        using var browser = _auth.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.RegisterAsync("dora", "dora@example.com", "correct horse")).StatusCode);

        var preparing = browser.Http.GetAsync("/user/preparing");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(preparing.IsCompleted, "the page answered before the workspace ran instead of waiting for it");
        _control.Publish(FakeControlApi.Running("dora", "http://127.0.0.1:9", "a-secret"));

        var response = await preparing;
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/u/dora/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("", "a@example.com", "long enough", "username", "Choose a user name.")]
    [InlineData("Alice", "a@example.com", "long enough", "username", "3 to 32 characters")]
    [InlineData("ab", "a@example.com", "long enough", "username", "3 to 32 characters")]
    [InlineData("-abc", "a@example.com", "long enough", "username", "3 to 32 characters")]
    [InlineData("a_b_c", "a@example.com", "long enough", "username", "3 to 32 characters")]
    [InlineData("admin", "a@example.com", "long enough", "username", "reserved")]
    [InlineData("static", "a@example.com", "long enough", "username", "reserved")]
    [InlineData("openapi", "a@example.com", "long enough", "username", "reserved")]
    [InlineData("carol", "", "long enough", "email", "Enter your email address.")]
    [InlineData("carol", "not-an-email", "long enough", "email", "valid email")]
    [InlineData("carol", "a b@c", "long enough", "email", "valid email")]
    [InlineData("carol", "Carol <carol@example.com>", "long enough", "email", "valid email")]
    [InlineData("carol", "c@example.com", "", "password", "Choose a password.")]
    [InlineData("carol", "c@example.com", "seven77", "password", "at least 8 characters")]
    public async Task Invalid_input_gets_a_message_beside_the_field_and_no_user(string userName, string email, string password, string field, string message)
    {
        using var browser = _auth.CreateBrowser();

        var response = await browser.RegisterAsync(userName, email, password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, AuthTestClient.FieldError(await response.Content.ReadAsStringAsync(), field));
        using var scope = _auth.Services.CreateScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<AuthDbContext>().Users.CountAsync()); // the admin only
    }

    [Fact]
    public async Task Duplicate_name_or_email_is_refused_with_a_clear_message()
    {
        using var first = _auth.CreateBrowser();
        using var second = _auth.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await first.RegisterAsync("dave", "dave@example.com", "password1")).StatusCode);

        var sameName = await second.RegisterAsync("dave", "other@example.com", "password1");
        var sameEmail = await second.RegisterAsync("dave2", "DAVE@example.com", "password1");

        Assert.Equal(HttpStatusCode.OK, sameName.StatusCode);
        Assert.Contains("already taken", AuthTestClient.FieldError(await sameName.Content.ReadAsStringAsync(), "username"));
        Assert.Equal(HttpStatusCode.OK, sameEmail.StatusCode);
        Assert.Contains("already exists", AuthTestClient.FieldError(await sameEmail.Content.ReadAsStringAsync(), "email"));
    }

    [Fact]
    public async Task Twenty_concurrent_registrations_of_one_name_make_one_user_and_no_server_error()
    {
        var browsers = Enumerable.Range(0, 20).Select(_ => _auth.CreateBrowser()).ToList();
        try
        {
            var responses = await Task.WhenAll(browsers.Select((browser, i) => browser.RegisterAsync("erin", $"erin{i}@example.com", "password1")));

            Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"got {(int)r.StatusCode}"));
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
            foreach (var refused in responses.Where(r => r.StatusCode == HttpStatusCode.OK))
            {
                Assert.Contains("already taken", AuthTestClient.FieldError(await refused.Content.ReadAsStringAsync(), "username"));
            }

            using var scope = _auth.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            Assert.Equal(1, await db.Users.CountAsync(u => u.UserName == "erin"));
            Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.UserName == "erin"));
        }
        finally
        {
            browsers.ForEach(b => b.Dispose());
        }
    }

    [Theory]
    [InlineData("/user/register", "username=frank&email=f@example.com&password=password1")]
    [InlineData("/user/login", "username=admin&password=admin123")]
    [InlineData("/admin/login", "username=admin&password=admin123")]
    [InlineData("/user/logout", "")]
    public async Task A_form_post_without_the_antiforgery_token_is_refused_with_400(string path, string form)
    {
        using var browser = _auth.CreateBrowser();
        await browser.Http.GetAsync(path);

        var response = await browser.Http.PostAsync(path, new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

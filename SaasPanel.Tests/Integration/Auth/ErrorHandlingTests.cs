using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasPanel.Auth.Data;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Auth;

/// <summary>Auth answers errors with problem details (or a page for browsers), never with a 500 for bad input or a stack trace.</summary>
public sealed class ErrorHandlingTests : IAsyncLifetime
{
    // Nothing here needs Control: its address only has to be valid.
    private readonly ServiceFactory<AuthDbContext> _auth = AuthTestHost.Create($"http://127.0.0.1:{TestNetwork.FreePort()}/");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _auth.DisposeAsync();

    [Fact]
    public async Task A_form_that_cannot_be_read_is_a_400_with_a_problem_body_not_a_500()
    {
        using var client = _auth.CreateClient();
        // A multipart form without its boundary: nothing can read it.
        using var form = new StringContent("username=alice");
        form.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");

        using var response = await client.PostAsync("/user/login", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task An_unhandled_error_is_a_500_problem_without_a_stack_trace()
    {
        using var browser = _auth.CreateBrowser();
        await BreakTheDatabaseAsync();

        using var response = await browser.SignInAsync("alice", "password1");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Something went wrong", problem.RootElement.GetProperty("title").GetString());
        AssertRevealsNothing(body);
    }

    [Fact]
    public async Task A_browser_gets_an_error_page_instead()
    {
        using var browser = _auth.CreateBrowser();
        browser.Http.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        await BreakTheDatabaseAsync();

        using var response = await browser.SignInAsync("alice", "password1");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Something went wrong</h1>", page);
        AssertRevealsNothing(page);
    }

    /// <summary>A real failure underneath a request: the users' table is gone.</summary>
    private async Task BreakTheDatabaseAsync()
    {
        using var scope = _auth.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<AuthDbContext>().Database.ExecuteSqlRawAsync("ALTER TABLE Users RENAME TO UsersGone");
    }

    private static void AssertRevealsNothing(string body)
    {
        Assert.DoesNotContain("Sqlite", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("SaasPanel.Auth.", body, StringComparison.Ordinal);
    }
}

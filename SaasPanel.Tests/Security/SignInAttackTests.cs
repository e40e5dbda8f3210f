using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Users;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Security;

/// <summary>An attacker guessing passwords online: each test is the requests they would send.</summary>
public sealed partial class SignInAttackTests : IAsyncLifetime
{
    private FakeControlApi _control = null!;

    public async Task InitializeAsync() => _control = await FakeControlApi.StartNewAsync();

    public async Task DisposeAsync() => await _control.DisposeAsync();

    [Theory]
    [InlineData("/user/login/", "/user/login")]
    [InlineData("/USER/LOGIN", "/user/login")]
    [InlineData("/admin/login/", "/admin/login")]
    [InlineData("/user/register/", "/user/register")]
    public async Task A_trailing_slash_or_other_case_does_not_escape_the_rate_limit(string path, string formPage)
    {
        await using var auth = StartAuth(new() { ["SignInRateLimit:PermitLimit"] = "3" });
        using var attacker = auth.CreateBrowser();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await attacker.PostFormAsync(path, Guess("admin", $"guess-{i}"), formPage)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
    }

    [Fact]
    public async Task Every_address_of_one_IPv6_64_shares_one_rate_limit()
    {
        await using var auth = StartAuth(new() { ["SignInRateLimit:PermitLimit"] = "3" });
        using var attacker = auth.CreateBrowser();

        var answers = new List<HttpStatusCode>();
        for (var i = 1; i <= 4; i++)
        {
            attacker.From($"2001:db8:1:2::{i:x}");
            answers.Add((await attacker.PostFormAsync("/user/login", Guess("admin", $"guess-{i}"))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
    }

    [Fact]
    public async Task Fifty_parallel_wrong_passwords_verify_at_most_the_allowed_number_and_the_owner_elsewhere_signs_in_at_once()
    {
        var verifications = new VerificationCounter("victim");
        await using var auth = StartAuth(new() { ["Accounts:MaxFailedSignIns"] = "5" }, verifications);
        await RegisterAsync(auth, "victim");
        var attackers = Enumerable.Range(0, 50).Select(_ => auth.CreateBrowser()).ToList();
        foreach (var attacker in attackers)
        {
            attacker.From("203.0.113.7");
        }

        await Task.WhenAll(attackers.Select((attacker, i) => attacker.SignInAsync("victim", $"wrong-{i}")));
        var verified = verifications.Count;
        using var owner = auth.CreateBrowser();
        owner.From("198.51.100.20");
        var ownerSignIn = await owner.SignInAsync("victim", "password1");

        Assert.InRange(verified, 1, 5);
        Assert.Equal(HttpStatusCode.Redirect, ownerSignIn.StatusCode);
        attackers.ForEach(attacker => attacker.Dispose());
    }

    [Fact]
    public async Task Guesses_at_made_up_names_leave_nothing_behind_once_they_block_nothing()
    {
        var forgetAfter = TimeSpan.FromSeconds(3);
        await using var auth = StartAuth(new() { ["Accounts:LockoutDuration"] = "00:00:01", ["Accounts:MaxLockoutDuration"] = forgetAfter.ToString() });
        var attackers = Enumerable.Range(0, 10).Select(_ => auth.CreateBrowser()).ToList();
        attackers.ForEach(attacker => attacker.From("203.0.113.8"));
        await Task.WhenAll(attackers.Select((attacker, i) => attacker.SignInAsync($"made-up-{i}", "guess")));

        using var scope = auth.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var throttles = scope.ServiceProvider.GetRequiredService<SignInThrottles>();
        Assert.Equal(10, await db.SignInThrottles.CountAsync());
        Assert.Equal(0, await throttles.PruneAsync(CancellationToken.None));

        await Task.Delay(forgetAfter + TimeSpan.FromSeconds(0.5));
        await attackers[0].SignInAsync("made-up-0", "guess");

        Assert.Equal(9, await throttles.PruneAsync(CancellationToken.None));
        // The one guessed again just now counts afresh: one attempt, not two.
        Assert.Equal(1, (await db.SignInThrottles.AsNoTracking().SingleAsync()).Attempts);
        attackers.ForEach(attacker => attacker.Dispose());
    }

    [Fact]
    public async Task Wrong_admin_passwords_from_one_network_do_not_lock_the_admin_out_elsewhere()
    {
        await using var auth = StartAuth(new() { ["Accounts:MaxFailedSignIns"] = "3" });
        using var attacker = auth.CreateBrowser();
        attacker.From("203.0.113.7");
        for (var i = 0; i < 10; i++)
        {
            await attacker.AdminSignInAsync("admin", $"guess-{i}");
        }

        using var admin = auth.CreateBrowser();
        admin.From("198.51.100.20");
        var signIn = await admin.AdminSignInAsync();

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task Repeated_guesses_answer_the_same_for_a_real_account_and_an_unknown_name()
    {
        await using var auth = StartAuth(new() { ["Accounts:MaxFailedSignIns"] = "3" });
        await RegisterAsync(auth, "realname");
        using var attacker = auth.CreateBrowser();
        attacker.From("203.0.113.7");

        string real = "", unknown = "";
        for (var i = 0; i < 6; i++)
        {
            real = await AnswerAsync(attacker, "realname", $"guess-{i}");
            unknown = await AnswerAsync(attacker, "unknownname", $"guess-{i}");
        }

        Assert.Equal(unknown, real);
    }

    private static async Task<string> AnswerAsync(AuthTestClient client, string userName, string password)
    {
        var response = await client.SignInAsync(userName, password);
        var html = await response.Content.ReadAsStringAsync();
        // The form echoes the typed name back and carries a fresh antiforgery token; the rest of the page is the answer.
        var answer = AntiforgeryToken().Replace(html.Replace(userName, "NAME", StringComparison.Ordinal), "TOKEN");
        return $"{(int)response.StatusCode} {answer}";
    }

    private static Dictionary<string, string> Guess(string userName, string password) =>
        new() { ["username"] = userName, ["password"] = password, ["email"] = $"{Guid.NewGuid():N}@example.com" };

    private ServiceFactory<AuthDbContext> StartAuth(Dictionary<string, string?> settings, VerificationCounter? counter = null) =>
        AuthTestHost.Create(_control.BaseAddress, settings, builder =>
        {
            AttackerAddress.Enable(builder);
            if (counter is not null)
            {
                builder.ConfigureTestServices(services => services.AddSingleton<IPasswordHasher<User>>(counter));
            }
        });

    private static async Task RegisterAsync(ServiceFactory<AuthDbContext> auth, string userName)
    {
        using var browser = auth.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.RegisterAsync(userName, $"{userName}@example.com", "password1")).StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"")]
    private static partial Regex AntiforgeryToken();

    /// <summary>The real hasher, counting how often one user's stored hash is checked.</summary>
    private sealed class VerificationCounter(string userName) : IPasswordHasher<User>
    {
        private readonly PasswordHasher<User> _inner = new();
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public string HashPassword(User user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            if (user?.UserName == userName)
            {
                Interlocked.Increment(ref _count);
            }

            return _inner.VerifyHashedPassword(user!, hashedPassword, providedPassword);
        }
    }
}

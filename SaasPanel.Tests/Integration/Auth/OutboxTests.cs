using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Outbox;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Auth;

/// <summary>The outbox against a real HTTP server speaking Control's contract: late, failing, restarted.</summary>
public sealed class OutboxTests
{
    /// <summary>Reserved by the contract, so Control refuses it: what an older Auth, which allowed it, may have left in its outbox.</summary>
    private const string RefusedUserName = "openapi";

    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_registration_reaches_control_once_it_answers()
    {
        await using var control = await FakeControlApi.StartNewAsync();
        await using var auth = AuthTestHost.Create(control.BaseAddress);
        using var browser = auth.CreateBrowser();

        await browser.RegisterAsync("mia", "mia@example.com", "password1");

        await Eventually.AssertAsync(() => Task.FromResult(control.CountCalls("PUT mia mia@example.com") == 1), s_deadline, "PUT mia");
        await Eventually.AssertAsync(() => DeliveredAsync(auth, "mia"), s_deadline, "mia delivered");
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff_until_delivered()
    {
        await using var control = await FakeControlApi.StartNewAsync();
        control.FailNextCalls = 3;
        await using var auth = AuthTestHost.Create(control.BaseAddress);
        using var browser = auth.CreateBrowser();

        await browser.RegisterAsync("nina", "nina@example.com", "password1");

        await Eventually.AssertAsync(() => DeliveredAsync(auth, "nina"), s_deadline, "nina delivered");
        Assert.Equal(4, control.CountCalls("PUT nina nina@example.com"));
        using var scope = auth.Services.CreateScope();
        var message = await scope.ServiceProvider.GetRequiredService<AuthDbContext>().OutboxMessages.SingleAsync(m => m.UserName == "nina");
        Assert.Equal(4, message.Attempts);
    }

    [Fact]
    public async Task With_control_down_a_registration_waits_and_survives_a_restart_of_auth()
    {
        var control = new FakeControlApi(); // not started: connection refused
        var shared = TestPaths.NewScratchDirectory("outbox");
        var database = new Dictionary<string, string?> { ["ConnectionStrings:auth"] = $"Data Source={Path.Combine(shared, "auth.db")}" };
        try
        {
            await using (var first = AuthTestHost.Create(control.BaseAddress, database))
            {
                using var browser = first.CreateBrowser();
                Assert.Equal(HttpStatusCode.Redirect, (await browser.RegisterAsync("olga", "olga@example.com", "password1")).StatusCode);
                await Eventually.AssertAsync(async () =>
                {
                    using var scope = first.Services.CreateScope();
                    var message = await scope.ServiceProvider.GetRequiredService<AuthDbContext>().OutboxMessages.SingleAsync();
                    return message.Attempts >= 2 && message.DeliveredAt is null && message.LastError is not null;
                }, s_deadline, "failed attempts while Control is down");
            }

            await control.StartAsync();
            await using var second = AuthTestHost.Create(control.BaseAddress, database);
            _ = second.Server; // start it: the dispatcher picks up what the first one left

            await Eventually.AssertAsync(() => DeliveredAsync(second, "olga"), s_deadline, "olga delivered after restart");
            Assert.Equal(1, control.CountCalls("PUT olga olga@example.com"));
        }
        finally
        {
            await control.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(shared, recursive: true);
        }
    }

    [Fact]
    public async Task A_rejected_message_is_set_aside_and_does_not_block_others()
    {
        await using var control = await FakeControlApi.StartNewAsync();
        await using var auth = AuthTestHost.Create(control.BaseAddress);
        using (var scope = auth.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            db.OutboxMessages.Add(OutboxMessage.Provision(RefusedUserName, "x@example.com", "1", "admin", DateTime.UtcNow));
            await db.SaveChangesAsync();
        }

        using var browser = auth.CreateBrowser();
        await browser.RegisterAsync("paul", "paul@example.com", "password1");

        await Eventually.AssertAsync(() => DeliveredAsync(auth, "paul"), s_deadline, "paul delivered");
        // Users are delivered side by side, so the rejection may land just after paul's delivery.
        await Eventually.AssertAsync(async () =>
        {
            using var check = auth.Services.CreateScope();
            var rejected = await check.ServiceProvider.GetRequiredService<AuthDbContext>().OutboxMessages.SingleAsync(m => m.UserName == RefusedUserName);
            return rejected.FailedAt is not null;
        }, s_deadline, "the rejected message set aside");
        Assert.Equal(1, control.CountCalls($"PUT {RefusedUserName} x@example.com"));
    }

    [Fact]
    public async Task Different_users_are_delivered_side_by_side_up_to_the_limit_and_each_user_in_order()
    {
        await using var control = await FakeControlApi.StartNewAsync();
        control.HoldCalls();
        await using var auth = AuthTestHost.Create(control.BaseAddress, new Dictionary<string, string?> { ["Outbox:Parallelism"] = "3" });
        using (var scope = auth.Services.CreateScope())
        {
            // One transaction, so the dispatcher sees all five in the same pass. Ulla's second message is among the first
            // three written: only keeping her messages in order holds it back while her first is at Control.
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            var now = DateTime.UtcNow;
            db.OutboxMessages.Add(OutboxMessage.Provision("ulla", "ulla@example.com", "1", "admin", now));
            db.OutboxMessages.Add(OutboxMessage.Deprovision("ulla", "ulla", now));
            db.OutboxMessages.Add(OutboxMessage.Provision("vera", "vera@example.com", "2", "admin", now));
            db.OutboxMessages.Add(OutboxMessage.Provision("walt", "walt@example.com", "3", "admin", now));
            db.OutboxMessages.Add(OutboxMessage.Provision("xena", "xena@example.com", "4", "admin", now));
            await db.SaveChangesAsync();
        }

        await Eventually.AssertAsync(() => Task.FromResult(control.InFlight == 3), s_deadline, "three users' calls held at Control at once");
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // two poll intervals: room for a fourth call, or ulla's second, to slip out
        Assert.Equal(3, control.MaxInFlight);
        Assert.DoesNotContain("DELETE ulla", control.Calls);

        control.ReleaseCalls();
        await Eventually.AssertAsync(async () =>
        {
            using var scope = auth.Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<AuthDbContext>().OutboxMessages.CountAsync(m => m.DeliveredAt != null) == 5;
        }, s_deadline, "all five delivered");
        Assert.Equal(3, control.MaxInFlight);
        var calls = control.Calls.ToList();
        Assert.Equal(5, calls.Distinct().Count());
        Assert.True(calls.IndexOf("PUT ulla ulla@example.com") < calls.IndexOf("DELETE ulla"), string.Join(", ", calls));
    }

    [Fact]
    public async Task Users_waiting_for_a_retry_do_not_hold_back_a_new_registration()
    {
        await using var control = await FakeControlApi.StartNewAsync();
        await using var auth = AuthTestHost.Create(control.BaseAddress, new Dictionary<string, string?> { ["Outbox:BatchSize"] = "2" });
        using (var scope = auth.Services.CreateScope())
        {
            // More users backing off (say their plan at Control is full) than a batch holds, each with a later message too.
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            var now = DateTime.UtcNow;
            foreach (var (user, id) in new[] { ("anna", "1"), ("bert", "2"), ("cleo", "3") })
            {
                var waiting = OutboxMessage.Provision(user, $"{user}@example.com", id, user, now);
                waiting.NextAttemptAt = now.AddHours(1);
                db.OutboxMessages.Add(waiting);
                db.OutboxMessages.Add(OutboxMessage.Deprovision(user, user, now));
            }

            await db.SaveChangesAsync();
        }

        using var browser = auth.CreateBrowser();
        await browser.RegisterAsync("dora", "dora@example.com", "password1");

        await Eventually.AssertAsync(() => DeliveredAsync(auth, "dora"), s_deadline, "dora delivered past the users backing off");
        Assert.DoesNotContain(control.Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_backlog_gauge_counts_the_messages_waiting_for_control()
    {
        await using var control = new FakeControlApi(); // not started yet: connection refused
        await using var auth = AuthTestHost.Create(control.BaseAddress);
        using var metrics = new ServiceMetrics(auth.Services);
        using var browser = auth.CreateBrowser();

        await browser.RegisterAsync("quinn", "quinn@example.com", "password1");
        await Eventually.AssertAsync(() => Task.FromResult(Backlog(metrics) == 1), s_deadline, "a backlog of one while Control is down");
        await control.StartAsync();

        await Eventually.AssertAsync(() => Task.FromResult(Backlog(metrics) == 0), s_deadline, "no backlog once delivered");
    }

    private static double Backlog(ServiceMetrics metrics) => Assert.Single(metrics.Observe("saaspanel.outbox.backlog")).Value;

    private static async Task<bool> DeliveredAsync(ServiceFactory<AuthDbContext> auth, string userName)
    {
        using var scope = auth.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        return await db.OutboxMessages.AnyAsync(m => m.UserName == userName && m.DeliveredAt != null);
    }
}

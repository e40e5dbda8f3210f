using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasPanel.Auth.Data;
using SaasPanel.Contracts;
using SaasPanel.Tests.Infrastructure;
using SaasPanel.Tests.Unit.Contracts;

namespace SaasPanel.Tests.Integration.CrossService;

/// <summary>
/// Auth and Control agree on who may exist: a registration Auth accepts is one its outbox delivers to the real
/// Control, and one it refuses is one Control refuses too, on the same field. The fake Control that Auth's other
/// tests run against gives the same verdicts, so those tests stand on the real contract.
/// </summary>
public sealed class RegistrationContractTests(RegistrationContractTests.Hosts hosts) : IClassFixture<RegistrationContractTests.Hosts>
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    private static readonly (string Name, bool Accepted)[] s_names =
    [
        ("abc", true),
        ("a-b", true),
        ("0day", true),
        ("abc-", true),
        ("abcdefghijklmnopqrstuvwxyz012345", true), // 32
        ("  padded  ", true), // Auth trims what it is given
        ("abcdefghijklmnopqrstuvwxyz0123456", false), // 33
        ("-ab", false),
        ("ab", false),
        ("UPPER", false),
        ("a_b", false),
        ("a.b", false),
        ("a b", false),
        ("a/b", false),
        ("admin", false),
        ("openapi", false),
        ("api", false),
        ("u", false),
        ("static", false),
        ("healthz", false),
        ("saaspanel", false),
        ("ábc", false),
        ("straße", false),
        ("ａｂｃ", false), // full-width
        ("abc\u200b", false), // zero-width space: not white space, so not trimmed
        ("\u0130abc", false), // dotted capital I
    ];

    private static readonly (string Email, bool Accepted)[] s_emails =
    [
        ("a@b", true),
        ("admin@localhost", true), // free here: the fixture's administrator has another address
        ("first.last+tag@example.com", true),
        ("UPPER@EXAMPLE.COM", true),
        ("  spaced@example.com  ", true),
        (new string('l', 64) + "@example.com", true),
        (EmailAddressesTests.OfLength(254, 'p'), true),
        ("a b@c", false),
        ("\"q\"@x.com", false),
        ("a@b..c", false),
        ("a@-b.com", false),
        ("a@b-.com", false),
        (EmailAddressesTests.OfLength(255, 'q'), false),
        (new string('m', 65) + "@example.com", false),
        ("x@[1.2.3.4]", false),
        ("A <a@b.c>", false),
        ("\"A\" <a@b.c>", false),
        ("@b.c", false),
        ("a@", false),
        ("a@@b.c", false),
        ("ü@x.com", false),
        ("a@ü.com", false),
        ("\u212Aelvin@example.com", false), // the Kelvin sign lower-cases to an ASCII k: checked before lower-casing
    ];

    public static TheoryData<string, string, bool> Cases()
    {
        var cases = new TheoryData<string, string, bool>();
        for (var i = 0; i < s_names.Length; i++)
        {
            cases.Add(s_names[i].Name, $"name-case-{i}@example.com", s_names[i].Accepted);
        }

        for (var i = 0; i < s_emails.Length; i++)
        {
            cases.Add($"mail-case-{i}", s_emails[i].Email, s_emails[i].Accepted);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Auth_accepts_a_registration_exactly_when_Control_does_and_the_fake_agrees(string userName, string email, bool accepted)
    {
        using var browser = hosts.Auth.CreateBrowser();
        var before = await CountRowsAsync();

        var response = await browser.RegisterAsync(userName, email, "password1");

        // What Control was asked: what Auth delivered, or (refused) what the user typed, sent to Control directly.
        var (asked, control) = response.StatusCode == HttpStatusCode.Redirect
            ? await DeliveredAsync(userName.Trim())
            : await RefusedAsync(userName, email, await response.Content.ReadAsStringAsync(), before);
        Assert.Equal(accepted, control.Accepted);

        var fake = await Verdict.OfAsync(await hosts.FakeApi.PutAsJsonAsync(WorkspacePath(asked.UserName), new { email = asked.Email }));
        Assert.Equal(control, fake);
    }

    /// <summary>Auth accepted: its outbox must deliver the registration, and Control must then know the workspace.</summary>
    private async Task<((string UserName, string Email) Asked, Verdict Control)> DeliveredAsync(string userName)
    {
        var messages = await Eventually.GetAsync(async () =>
        {
            using var scope = hosts.Auth.Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<AuthDbContext>().OutboxMessages.AsNoTracking()
                .Where(m => m.UserName == userName).ToListAsync();
        }, messages => messages.Count > 0 && messages.All(m => m.DeliveredAt is not null || m.FailedAt is not null), s_deadline,
            $"the outbox to deliver {userName}'s registration");

        var message = Assert.Single(messages);
        Assert.True(message.FailedAt is null, $"Control refused what Auth accepted: {message.LastError}");
        using var workspace = await hosts.Control.Api.GetAsync(WorkspacePath(userName));
        Assert.Equal(HttpStatusCode.OK, workspace.StatusCode);
        return ((userName, message.Email!), Verdict.Accept);
    }

    /// <summary>Auth refused: it says why beside the field, keeps nothing, and Control refuses the same input on the same field.</summary>
    private async Task<((string UserName, string Email) Asked, Verdict Control)> RefusedAsync(string userName, string email, string page,
        (int Users, int Messages) before)
    {
        // Auth's form fields by the names Control's problem details give them.
        var authFields = string.Join(',', new[] { ("email", "email"), ("username", "user") }
            .Where(field => AuthTestClient.FieldError(page, field.Item1).Length > 0).Select(field => field.Item2).Order(StringComparer.Ordinal));
        Assert.NotEmpty(authFields);
        Assert.Equal(before, await CountRowsAsync()); // no user, no message for Control

        var control = await Verdict.OfAsync(await hosts.Control.Api.PutAsJsonAsync(WorkspacePath(userName), new { email }));
        Assert.Equal(authFields, control.Fields);
        using var workspace = await hosts.Control.Api.GetAsync(WorkspacePath(userName));
        Assert.NotEqual(HttpStatusCode.OK, workspace.StatusCode);
        return ((userName, email), control);
    }

    private async Task<(int Users, int Messages)> CountRowsAsync()
    {
        using var scope = hosts.Auth.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        return (await db.Users.CountAsync(), await db.OutboxMessages.CountAsync());
    }

    private static string WorkspacePath(string userName) => $"/api/workspaces/{Uri.EscapeDataString(userName)}";

    /// <summary>A provisioning call's outcome: accepted, or refused (400, problem details) on these fields (sorted, comma-separated).</summary>
    private sealed record Verdict(bool Accepted, string Fields)
    {
        public static readonly Verdict Accept = new(true, "");

        public static async Task<Verdict> OfAsync(HttpResponseMessage response)
        {
            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    return Accept;
                }

                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var fields = problem.RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal);
                return new(false, string.Join(',', fields));
            }
        }
    }

    /// <summary>The real Control on Kestrel (its own engine instance), an Auth whose outbox delivers to it, and the fake.</summary>
    public sealed class Hosts : IAsyncLifetime
    {
        private FakeControlApi _fake = null!;

        public ControlHost Control { get; private set; } = null!;

        public ServiceFactory<AuthDbContext> Auth { get; private set; } = null!;

        public HttpClient FakeApi { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var port = TestNetwork.FreePort();
            // Every accepted case becomes a workspace; two at a time is plenty and spares the shared CPUs.
            Control = new ControlHost(settings: new Dictionary<string, string?> { ["Reconciler:Parallelism"] = "2" }, port: port);
            Auth = AuthTestHost.Create($"http://127.0.0.1:{port}/", new Dictionary<string, string?>
            {
                ["ControlClient:ApiKey"] = Control.Data.ApiKey,
                ["Admin:Email"] = "root@example.com",
            });
            _ = Auth.Server;
            _fake = await FakeControlApi.StartNewAsync();
            FakeApi = new HttpClient { BaseAddress = new Uri(_fake.BaseAddress) };
            FakeApi.DefaultRequestHeaders.Add(Headers.ApiKey, FakeControlApi.ApiKey);
        }

        public async Task DisposeAsync()
        {
            FakeApi.Dispose();
            await _fake.DisposeAsync();
            await Auth.DisposeAsync();
            await Control.DisposeAsync();
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SaasPanel.Auth.Apis;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Gateway;
using SaasPanel.Contracts;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Auth;

/// <summary>
/// The gateway in Auth, with a real HTTP server speaking Control's change stream and a real echo
/// server standing in for a container on a loopback port.
/// </summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private const string Secret = "alice-gateway-secret";
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(15);

    private FakeControlApi _control = null!;
    private EchoWorkspace _container = null!;
    private ServiceFactory<AuthDbContext> _auth = null!;
    private AuthTestClient _alice = null!;

    public async Task InitializeAsync()
    {
        _control = await FakeControlApi.StartNewAsync();
        _container = await EchoWorkspace.StartNewAsync();
        _auth = AuthTestHost.Create(_control.BaseAddress, new Dictionary<string, string?> { ["Gateway:WakeInterval"] = "00:00:30" });
        _alice = _auth.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await _alice.RegisterAsync("alice", "alice@example.com", "password1")).StatusCode);
        await Eventually.AssertAsync(() => Task.FromResult(_control.OpenStreams == 1), s_deadline, "Auth following the change stream");
    }

    public async Task DisposeAsync()
    {
        _alice.Dispose();
        await _auth.DisposeAsync();
        await _container.DisposeAsync();
        await _control.DisposeAsync();
    }

    [Fact]
    public async Task Forwards_to_the_container_without_the_prefix_with_the_secret_and_without_panel_credentials()
    {
        await PublishRunningAsync("alice");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/u/alice/notes/today?sort=desc");
        request.Headers.Add("Cookie", "app-pref=dark");
        request.Headers.Add("Authorization", "Bearer stolen");
        request.Headers.Add(Headers.GatewaySecret, "forged");
        request.Headers.Add(Headers.ForwardedPrefix, "/elsewhere");

        var response = await _alice.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echoed = (await response.Content.ReadFromJsonAsync<EchoedRequest>())!;
        Assert.Equal("/notes/today", echoed.Path);
        Assert.Equal("?sort=desc", echoed.Query);
        Assert.Equal("/u/alice", echoed.Headers[Headers.ForwardedPrefix]);
        Assert.Equal(Secret, echoed.Headers[Headers.GatewaySecret]);
        Assert.False(echoed.Headers.ContainsKey("Authorization"));
        Assert.Contains("app-pref=dark", echoed.Headers["Cookie"]);
        Assert.DoesNotContain("saaspanel.", echoed.Headers["Cookie"]);
        Assert.DoesNotContain(".AspNetCore.", echoed.Headers["Cookie"]);
    }

    [Fact]
    public async Task The_app_learns_who_is_calling_from_the_gateway_and_never_from_the_client()
    {
        await PublishRunningAsync("alice");
        using var admin = _auth.CreateBrowser();
        await admin.AdminSignInAsync();

        var owner = await EchoWithForgedIdentityAsync(_alice);
        var visitingAdmin = await EchoWithForgedIdentityAsync(admin);

        // One value each: a client's copy was dropped, not joined to the gateway's.
        Assert.Equal("alice", owner.Headers[Headers.ForwardedUser]);
        Assert.Equal("alice@example.com", owner.Headers[Headers.ForwardedEmail]);
        Assert.Equal("admin", visitingAdmin.Headers[Headers.ForwardedUser]);
        Assert.Equal("admin@localhost", visitingAdmin.Headers[Headers.ForwardedEmail]);
        // Whose workspace it is comes from the route, whoever calls and whatever they claim.
        Assert.Equal("alice", owner.Headers[Headers.ForwardedWorkspace]);
        Assert.Equal("alice", visitingAdmin.Headers[Headers.ForwardedWorkspace]);
        Assert.Equal(Secret, visitingAdmin.Headers[Headers.GatewaySecret]);
    }

    [Fact]
    public async Task An_older_event_never_overwrites_a_newer_one_and_a_later_deletion_removes_the_route()
    {
        _control.Publish(FakeControlApi.Running("alice", _container.Endpoint, Secret) with { Generation = 5 });
        await Eventually.AssertAsync(() => Task.FromResult(RouteState("alice") == WorkspaceStates.Running), s_deadline, "alice running");

        _control.Publish(FakeControlApi.Change("alice", WorkspaceStates.Stopped, DesiredStates.Stopped, secret: Secret) with { Generation = 4 });
        _control.Publish(FakeControlApi.Change("alice", WorkspaceStates.Deleted, DesiredStates.Deleted) with { Generation = 3 });
        await PublishRunningAsync("bob"); // the stream is ordered: once bob's event is in, alice's late ones have been seen

        Assert.Equal(WorkspaceStates.Running, RouteState("alice"));
        Assert.Equal(HttpStatusCode.OK, (await _alice.Http.GetAsync("/u/alice/")).StatusCode);

        _control.Publish(FakeControlApi.Change("alice", WorkspaceStates.Deleted, DesiredStates.Deleted) with { Generation = 5 });
        await Eventually.AssertAsync(() => Task.FromResult(RouteState("alice") is null), s_deadline, "alice removed");
    }

    [Fact]
    public async Task The_container_address_never_reaches_the_browser()
    {
        await PublishRunningAsync("alice");

        var redirect = await _alice.Http.GetAsync("/u/alice/redirect-to-self");
        var cookies = await _alice.Http.GetAsync("/u/alice/cookies");
        var page = await _alice.Http.GetAsync("/u/alice/");

        Assert.Equal("/u/alice/landed?x=1", redirect.Headers.Location?.OriginalString);
        var setCookies = cookies.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(setCookies, c => c.StartsWith("app-cookie=1", StringComparison.Ordinal));
        Assert.DoesNotContain(setCookies, c => c.StartsWith("saaspanel.", StringComparison.Ordinal));
        foreach (var response in new[] { redirect, cookies, page })
        {
            var everything = response.Headers.ToString() + response.Content.Headers + await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain($":{_container.Port}", everything);
            Assert.DoesNotContain(new Uri(_container.Endpoint).Authority, everything);
        }
    }

    [Fact]
    public async Task The_containers_own_error_responses_pass_through_untouched()
    {
        await PublishRunningAsync("alice");

        var response = await _alice.Http.GetAsync("/u/alice/missing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Who_may_enter_anonymous_to_sign_in_others_forbidden_admin_anywhere()
    {
        await PublishRunningAsync("alice");
        using var anonymous = _auth.CreateBrowser();
        using var bob = _auth.CreateBrowser();
        await bob.RegisterAsync("bob", "bob@example.com", "password1");
        using var admin = _auth.CreateBrowser();
        await admin.AdminSignInAsync();

        var anonymousVisit = await anonymous.Http.GetAsync("/u/alice/x?y=1");
        var bobVisit = await bob.Http.GetAsync("/u/alice/");
        var adminVisit = await admin.Http.GetAsync("/u/alice/");
        var noSlash = await _alice.Http.GetAsync("/u/alice?tab=1");

        Assert.Equal("/user/login?ReturnUrl=%2Fu%2Falice%2Fx%3Fy%3D1", anonymousVisit.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, bobVisit.StatusCode);
        Assert.DoesNotContain(_container.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), await bobVisit.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, adminVisit.StatusCode);
        Assert.Equal("/u/alice/?tab=1", noSlash.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_stopped_workspace_shows_a_waiting_page_wakes_once_and_opens_when_running()
    {
        PublishAndWait(FakeControlApi.Change("alice", WorkspaceStates.Stopped, DesiredStates.Stopped, secret: Secret));
        await Eventually.AssertAsync(() => Task.FromResult(RouteState("alice") == WorkspaceStates.Stopped), s_deadline, "alice stopped");

        var first = await _alice.Http.GetAsync("/u/alice/");
        var second = await _alice.Http.GetAsync("/u/alice/");
        using var admin = _auth.CreateBrowser();
        await admin.AdminSignInAsync();
        var adminPage = await (await admin.Http.GetAsync("/u/alice/")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        var page = await first.Content.ReadAsStringAsync();
        // Its owner's page follows the workspace over server-sent events; it reloads itself only without JavaScript.
        Assert.Contains("<noscript><meta http-equiv=\"refresh\"", page);
        Assert.Contains("src=\"/js/workspace-status.js\"", page);
        Assert.Contains("data-events-url=\"/user/workspace/events\"", page);
        Assert.Contains("on its way", page);
        // An admin's would follow the admin's own workspace: it reloads instead.
        Assert.Contains("<meta http-equiv=\"refresh\"", adminPage);
        Assert.DoesNotContain("<noscript>", adminPage);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        await Eventually.AssertAsync(() => Task.FromResult(_control.CountCalls("START alice") == 1), s_deadline, "one wake call");

        await PublishRunningAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await _alice.Http.GetAsync("/u/alice/")).StatusCode);
        Assert.Equal(1, _control.CountCalls("START alice"));
    }

    [Fact]
    public async Task A_failed_workspace_gets_a_clear_page_and_a_removed_one_is_not_found()
    {
        PublishAndWait(FakeControlApi.Change("alice", WorkspaceStates.Failed, DesiredStates.Running, secret: Secret, lastError: "image missing"));
        await Eventually.AssertAsync(() => Task.FromResult(RouteState("alice") == WorkspaceStates.Failed), s_deadline, "alice failed");
        var failed = await _alice.Http.GetAsync("/u/alice/");

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        var page = await failed.Content.ReadAsStringAsync();
        Assert.Contains("could not start", page);
        Assert.DoesNotContain("image missing", page); // details are for admins

        PublishAndWait(FakeControlApi.Change("alice", WorkspaceStates.Deleted, DesiredStates.Deleted));
        await Eventually.AssertAsync(() => Task.FromResult(RouteState("alice") is null), s_deadline, "alice removed");
        using var admin = _auth.CreateBrowser();
        await admin.AdminSignInAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync("/u/nobody-here/")).StatusCode);
    }

    [Fact]
    public async Task Before_control_reports_a_workspace_its_owner_waits_and_the_status_api_says_pending()
    {
        var page = await _alice.Http.GetAsync("/u/alice/");
        var status = await _alice.Http.GetFromJsonAsync<SaasPanel.Auth.Apis.WorkspaceStatus>("/user/workspace/status");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal(WorkspaceStates.Pending, status!.State);
        Assert.False(status.Ready);

        await PublishRunningAsync("alice");
        status = await _alice.Http.GetFromJsonAsync<SaasPanel.Auth.Apis.WorkspaceStatus>("/user/workspace/status");
        Assert.True(status!.Ready);
        Assert.Equal("/u/alice/", status.Url);
        Assert.Equal("/u/alice/", (await _alice.Http.GetAsync("/user/preparing")).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_events_stream_pushes_each_state_and_ends_the_moment_the_workspace_runs()
    {
        using var timeout = new CancellationTokenSource(s_deadline);
        using var response = await _alice.Http.GetAsync(WorkspaceStatusApi.EventsPath, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        await using var events = SseParser.Create(stream).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);

        var pending = await NextStatusAsync(events);
        PublishAndWait(FakeControlApi.Change("alice", WorkspaceStates.Starting, DesiredStates.Running, secret: Secret));
        var starting = await NextStatusAsync(events);
        PublishAndWait(FakeControlApi.Running("alice", _container.Endpoint, Secret));
        var running = await NextStatusAsync(events);

        Assert.Equal((WorkspaceStates.Pending, false), (pending.State, pending.Ready));
        Assert.Equal((WorkspaceStates.Starting, false), (starting.State, starting.Ready));
        Assert.Equal((WorkspaceStates.Running, true, "/u/alice/"), (running.State, running.Ready, running.Url));
        Assert.False(await events.MoveNextAsync(), "the stream ends once the workspace runs");
    }

    [Fact]
    public async Task The_events_stream_is_only_for_a_signed_in_user()
    {
        using var anonymous = _auth.CreateBrowser();

        var response = await anonymous.Http.GetAsync(WorkspaceStatusApi.EventsPath);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_reconnect_replaces_the_route_table_with_the_new_snapshot()
    {
        await PublishRunningAsync("alice");
        _control.SetSilently(FakeControlApi.Running("zoe", _container.Endpoint, "zoe-secret"));
        _control.RemoveSilently("alice");

        _control.DropStreams();

        await Eventually.AssertAsync(() => Task.FromResult(RouteState("alice") is null && RouteState("zoe") == WorkspaceStates.Running), s_deadline, "the new snapshot");
    }

    [Fact]
    public async Task Every_answer_is_counted_by_outcome_and_status_and_forwarded_ones_are_timed()
    {
        using var metrics = new ServiceMetrics(_auth.Services);
        await PublishRunningAsync("alice");

        Assert.Equal(HttpStatusCode.OK, (await _alice.Http.GetAsync("/u/alice/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _alice.Http.GetAsync("/u/bob/")).StatusCode);

        // Counted once the handler returns, which can be a moment after the client has the response.
        await Eventually.AssertAsync(() => Task.FromResult(metrics.Of("saaspanel.gateway.requests").Count == 2), s_deadline, "two requests counted");
        var requests = metrics.Of("saaspanel.gateway.requests").Select(m => (m.Tag("outcome"), m.Tag("http.response.status_code")));
        Assert.Equal([("Forbidden", "403"), ("Forwarded", "200")], requests.Order());
        var upstream = Assert.Single(metrics.Of("saaspanel.gateway.upstream.duration"));
        Assert.InRange(upstream.Value, 0, s_deadline.TotalSeconds);
    }

    private static async Task<EchoedRequest> EchoWithForgedIdentityAsync(AuthTestClient caller)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/u/alice/whoami");
        request.Headers.Add(Headers.ForwardedUser, "mallory");
        request.Headers.Add(Headers.ForwardedEmail.ToLowerInvariant(), "mallory@example.com");
        request.Headers.Add(Headers.ForwardedWorkspace, "mallory");
        request.Headers.Add(Headers.GatewaySecret, "forged");

        var response = await caller.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<EchoedRequest>())!;
    }

    private async Task PublishRunningAsync(string userName)
    {
        PublishAndWait(FakeControlApi.Running(userName, _container.Endpoint, Secret));
        await Eventually.AssertAsync(() => Task.FromResult(RouteState(userName) == WorkspaceStates.Running), s_deadline, $"{userName} running in the route table");
    }

    private static async Task<WorkspaceStatus> NextStatusAsync(IAsyncEnumerator<SseItem<string>> events)
    {
        Assert.True(await events.MoveNextAsync(), "another status event");
        Assert.Equal(WorkspaceStatusApi.StatusEventType, events.Current.EventType);
        return JsonSerializer.Deserialize<WorkspaceStatus>(events.Current.Data, JsonSerializerOptions.Web)!;
    }

    private void PublishAndWait(WorkspaceChangeEvent workspace) => _control.Publish(workspace);

    private string? RouteState(string userName) =>
        _auth.Services.GetRequiredService<GatewayRouteTable>().TryGet(userName, out var route) ? route.State : null;
}

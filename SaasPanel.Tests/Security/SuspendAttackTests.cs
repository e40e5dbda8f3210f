using System.Net;
using System.Net.Http.Json;
using SaasPanel.Control.Apis;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Security;

/// <summary>
/// A user an admin suspended keeps visiting their workspace, and asks Control to start it, hoping to undo the
/// suspension: the real Control on the real engine, Auth's gateway in front of it.
/// </summary>
public sealed class SuspendAttackTests : IAsyncLifetime
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(90);

    public Task InitializeAsync() => DockerTestEngine.BuildUserAppImageAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Visits_do_not_undo_a_suspension_while_a_plain_stop_still_wakes_on_request()
    {
        var controlPort = TestNetwork.FreePort();
        await using var control = new ControlHost(port: controlPort);
        await using var auth = AuthTestHost.Create($"http://127.0.0.1:{controlPort}/", new Dictionary<string, string?>
        {
            ["ControlClient:ApiKey"] = control.Data.ApiKey,
            ["Gateway:WakeInterval"] = "00:00:00.100",
        });
        using var mallory = auth.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await mallory.RegisterAsync("mallory", "mallory@example.com", "password1")).StatusCode);
        await control.WaitForStateAsync("mallory", WorkspaceState.Running, s_deadline);
        await Eventually.AssertAsync(async () => (await mallory.Http.GetAsync("/u/mallory/")).StatusCode == HttpStatusCode.OK,
            s_deadline, "mallory's workspace reachable");

        Assert.Equal(HttpStatusCode.Accepted, (await control.Api.PostAsync("/api/workspaces/mallory/suspend", null)).StatusCode);
        var suspended = await control.WaitForStateAsync("mallory", WorkspaceState.Stopped, s_deadline);
        Assert.True(suspended.Suspended);

        // The attack: keep visiting (each visit may wake it) and ask for a start the way the gateway does.
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < TimeSpan.FromSeconds(5))
        {
            using var visit = await mallory.Http.GetAsync("/u/mallory/");
            if (visit.StatusCode != HttpStatusCode.Forbidden)
            {
                // The change stream may still be on its way to the gateway: a waiting page, never the app.
                Assert.Equal(HttpStatusCode.ServiceUnavailable, visit.StatusCode);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        using var page = await mallory.Http.GetAsync("/u/mallory/");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("suspended by an administrator", await page.Content.ReadAsStringAsync());
        using var start = await control.Api.PostAsync("/api/workspaces/mallory/start", null);
        Assert.Equal(HttpStatusCode.Conflict, start.StatusCode);
        Assert.Contains("suspended by an administrator", await start.Content.ReadAsStringAsync());
        var afterVisits = (await control.GetAsync("mallory"))!;
        Assert.True(afterVisits is { DesiredState: DesiredState.Stopped, State: WorkspaceState.Stopped, Suspended: true }, $"{afterVisits}");
        var container = await control.Docker.Containers.InspectContainerAsync(afterVisits.ContainerId);
        Assert.False(container.State.Running, "the suspended workspace's container runs");

        // Resumed, then plainly stopped: a visit wakes it again.
        Assert.Equal(HttpStatusCode.Accepted, (await control.Api.PostAsync("/api/workspaces/mallory/resume", null)).StatusCode);
        await control.WaitForStateAsync("mallory", WorkspaceState.Running, s_deadline);
        Assert.Equal(HttpStatusCode.Accepted, (await control.Api.PostAsync("/api/workspaces/mallory/stop", null)).StatusCode);
        await control.WaitForStateAsync("mallory", WorkspaceState.Stopped, s_deadline);
        await Eventually.AssertAsync(async () => (await mallory.Http.GetAsync("/u/mallory/")).StatusCode == HttpStatusCode.OK,
            s_deadline, "mallory's stopped workspace woken by a visit");

        var audit = await control.Api.GetFromJsonAsync<Page<AuditEntry>>("/api/audit?user=mallory", ControlHost.Json);
        Assert.Contains(audit!.Items, entry => entry.Action == "suspended");
        Assert.Contains(audit.Items, entry => entry.Action == "resumed");
    }
}

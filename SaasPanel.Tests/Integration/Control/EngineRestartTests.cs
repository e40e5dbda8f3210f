using System.Net;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>The engine restarts (every container stops, addresses may change): everything converges again, no operator needed.</summary>
[Collection(EngineRestartCollection.Name)]
public sealed class EngineRestartTests : IAsyncLifetime
{
    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan BackWithin = TimeSpan.FromSeconds(10);
    private static readonly string[] Users = ["erin", "frank"];

    public Task InitializeAsync() => DockerTestEngine.BuildUserAppImageAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task After_a_dockerd_restart_the_network_and_every_workspace_are_back_and_the_gateway_follows_within_ten_seconds()
    {
        var controlPort = TestNetwork.FreePort();
        await using var control = new ControlHost(port: controlPort);
        await using var auth = AuthTestHost.Create($"http://127.0.0.1:{controlPort}/",
            new Dictionary<string, string?> { ["ControlClient:ApiKey"] = control.Data.ApiKey });
        var browsers = Users.ToDictionary(user => user, _ => auth.CreateBrowser());
        foreach (var (user, browser) in browsers)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await browser.RegisterAsync(user, $"{user}@example.com", "password1")).StatusCode);
        }

        foreach (var (user, browser) in browsers)
        {
            await control.WaitForStateAsync(user, WorkspaceState.Running, StateTimeout);
            await Eventually.GetAsync(() => browser.Http.GetAsync($"/u/{user}/"), r => r.StatusCode == HttpStatusCode.OK, StateTimeout,
                $"{user}'s workspace through the gateway");
        }

        await DockerDaemon.RestartAsync();

        var network = WorkspaceLabels.IsolatedNetworkName(control.Data.InstanceId);
        var deadline = DateTime.UtcNow + BackWithin;
        foreach (var (user, browser) in browsers)
        {
            var left = deadline - DateTime.UtcNow;
            await Eventually.GetAsync(() => browser.Http.GetAsync($"/u/{user}/"), r => r.StatusCode == HttpStatusCode.OK, left,
                $"{user}'s workspace through the gateway after the restart", TimeSpan.FromMilliseconds(50));
            var workspace = await control.WaitForStateAsync(user, WorkspaceState.Running, TimeSpan.FromSeconds(1));
            var container = await control.Docker.Containers.InspectContainerAsync(workspace.ContainerId);
            Assert.True(container.State.Running);
            var (endpoint, _) = await ChangeStream.ReadRouteAsync(control.Api, user);
            Assert.Equal(container.NetworkSettings.Networks[network].IPAddress, endpoint.Host);
        }

        Assert.Single(await DockerTestEngine.ListNetworksAsync(control.Docker, control.Data.InstanceId));
        foreach (var browser in browsers.Values)
        {
            browser.Dispose();
        }
    }
}

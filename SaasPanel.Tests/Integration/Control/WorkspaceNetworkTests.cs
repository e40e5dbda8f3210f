using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>
/// Workspaces on the installation's own network, on the real engine: no host port, nothing else attached, no
/// traffic between workspaces or from a workspace to Auth or Control; the gateway reaches each one, whatever its template.
/// </summary>
public sealed class WorkspaceNetworkTests : IAsyncLifetime
{
    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(30);
    private const string Password = "password1";

    private string _staticImage = null!;

    public async Task InitializeAsync()
    {
        await DockerTestEngine.BuildUserAppImageAsync(CancellationToken.None);
        _staticImage = await DockerTestEngine.BuildStaticImageAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Workspaces_are_reached_only_through_the_gateway_on_an_isolated_network_with_no_host_port()
    {
        var controlPort = TestNetwork.FreePort();
        var authPort = TestNetwork.FreePort();
        await using var control = new ControlHost(port: controlPort);
        await using var auth = AuthTestHost.Create($"http://127.0.0.1:{controlPort}/",
            new Dictionary<string, string?> { ["ControlClient:ApiKey"] = control.Data.ApiKey });
        auth.UseKestrel(authPort);
        auth.StartServer();
        using var alice = AuthTestHost.CreateLoopbackBrowser(authPort);
        using var bob = AuthTestHost.CreateLoopbackBrowser(authPort);
        Assert.Equal(HttpStatusCode.Redirect, (await alice.RegisterAsync("alice", "alice@example.com", Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await bob.RegisterAsync("bob", "bob@example.com", Password)).StatusCode);
        var first = await control.WaitForStateAsync("bob", WorkspaceState.Running, StateTimeout);
        // Bob's workspace moves to the static-site template: a new container of the other image, the same volume.
        Assert.Equal(HttpStatusCode.OK, (await control.ProvisionAsync("bob", "bob@example.com", "static")).StatusCode);
        var bobs = await control.WaitForStateAsync("bob", WorkspaceState.Running, StateTimeout,
            w => w.Template == "static" && w.ContainerId != first.ContainerId);
        var alices = await control.WaitForStateAsync("alice", WorkspaceState.Running, StateTimeout);

        // The gateway reaches both, each with its own app.
        var alicePage = await Eventually.GetAsync(() => alice.Http.GetAsync("/u/alice/"), r => r.StatusCode == HttpStatusCode.OK,
            StateTimeout, "alice's workspace through the gateway");
        Assert.Contains("alice", await alicePage.Content.ReadAsStringAsync());
        var bobPage = await Eventually.GetAsync(() => bob.Http.GetAsync("/u/bob/"), r => r.StatusCode == HttpStatusCode.OK,
            StateTimeout, "bob's static site through the gateway");
        Assert.Contains("<h1>Your workspace</h1>", await bobPage.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.Http.GetAsync("/u/alice/")).StatusCode);

        // No port bindings; attached only to the installation's network, which is internal with ICC off.
        var network = WorkspaceLabels.IsolatedNetworkName(control.Data.InstanceId);
        var addresses = new Dictionary<string, string>();
        foreach (var workspace in new[] { alices, bobs })
        {
            var container = await control.Docker.Containers.InspectContainerAsync(workspace.ContainerId);
            Assert.Empty(container.HostConfig.PortBindings ?? new Dictionary<string, IList<PortBinding>>());
            Assert.All(container.NetworkSettings.Ports ?? new Dictionary<string, IList<PortBinding>>(), p => Assert.Empty(p.Value ?? []));
            Assert.Equal([network], container.NetworkSettings.Networks.Keys);
            addresses[workspace.UserName] = container.NetworkSettings.Networks[network].IPAddress;
        }

        var inspected = await control.Docker.Networks.InspectNetworkAsync(network);
        Assert.True(inspected.Internal);
        Assert.Equal("false", inspected.Options["com.docker.network.bridge.enable_icc"]);
        Assert.Equal(control.Data.InstanceId, inspected.Labels[WorkspaceLabels.Instance]);
        var host = inspected.IPAM.Config.Single().Gateway;

        // From inside alice's network namespace: her own app answers (the probe works), nothing else does.
        Assert.Equal(0, await ProbeAsync(control.Docker, control.Data.InstanceId, alices.ContainerId!, "127.0.0.1", 8080));
        Assert.NotEqual(0, await ProbeAsync(control.Docker, control.Data.InstanceId, alices.ContainerId!, addresses["bob"], 8080));
        Assert.NotEqual(0, await ProbeAsync(control.Docker, control.Data.InstanceId, bobs.ContainerId!, addresses["alice"], 8080));
        foreach (var port in new[] { authPort, controlPort })
        {
            Assert.NotEqual(0, await ProbeAsync(control.Docker, control.Data.InstanceId, alices.ContainerId!, host, port));
            Assert.NotEqual(0, await ProbeAsync(control.Docker, control.Data.InstanceId, alices.ContainerId!, "127.0.0.1", port));
        }
    }

    [Fact]
    public async Task A_removed_network_is_created_again_and_its_workspaces_come_back_on_it()
    {
        await using var control = new ControlHost();
        await control.ProvisionAsync("carol");
        var before = await control.WaitForStateAsync("carol", WorkspaceState.Running, StateTimeout);
        var network = WorkspaceLabels.IsolatedNetworkName(control.Data.InstanceId);

        await control.Docker.Networks.DisconnectNetworkAsync(network, new NetworkDisconnectParameters { Container = before.ContainerId, Force = true });
        await control.Docker.Networks.DeleteNetworkAsync(network);

        var after = await control.WaitForStateAsync("carol", WorkspaceState.Running, StateTimeout, w => w.ContainerId != before.ContainerId);
        var container = await control.Docker.Containers.InspectContainerAsync(after.ContainerId);
        Assert.Equal([network], container.NetworkSettings.Networks.Keys);
        var (endpoint, secret) = await ChangeStream.ReadRouteAsync(control.Api, "carol");
        Assert.Equal(container.NetworkSettings.Networks[network].IPAddress, endpoint.Host);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint) { Headers = { { SaasPanel.Contracts.Headers.GatewaySecret, secret } } };
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_template_that_allows_egress_gets_a_routed_network_of_its_own_still_without_traffic_between_workspaces()
    {
        await using var control = new ControlHost(settings: new Dictionary<string, string?>
        {
            ["Runtime:Templates:open:Image"] = DockerTestEngine.UserAppImageTag,
            ["Runtime:Templates:open:Egress"] = "true",
        });
        await control.ProvisionAsync("gina", template: "open");
        var workspace = await control.WaitForStateAsync("gina", WorkspaceState.Running, StateTimeout);

        var egress = WorkspaceLabels.EgressNetworkName(control.Data.InstanceId);
        var container = await control.Docker.Containers.InspectContainerAsync(workspace.ContainerId);
        Assert.Equal([egress], container.NetworkSettings.Networks.Keys);
        var network = await control.Docker.Networks.InspectNetworkAsync(egress);
        Assert.False(network.Internal);
        Assert.Equal("false", network.Options["com.docker.network.bridge.enable_icc"]);
        Assert.Equal(control.Data.InstanceId, network.Labels[WorkspaceLabels.Instance]);
    }

    /// <summary>
    /// Runs the static image's <c>nc</c> in the container's network namespace (<c>--network container:&lt;id&gt;</c>)
    /// and returns its exit code: 0 when <paramref name="address"/>:<paramref name="port"/> accepted a connection.
    /// </summary>
    private async Task<long> ProbeAsync(DockerClient docker, string instanceId, string containerId, string address, int port)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var probe = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = _staticImage,
            Labels = DockerTestEngine.LabelsFor(instanceId),
            Entrypoint = ["/bin/nc"],
            Cmd = ["-z", "-w", "2", address, port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            HostConfig = new HostConfig { NetworkMode = $"container:{containerId}" },
        }, timeout.Token);
        try
        {
            await docker.Containers.StartContainerAsync(probe.ID, new ContainerStartParameters(), timeout.Token);
            return (await docker.Containers.WaitContainerAsync(probe.ID, timeout.Token)).StatusCode;
        }
        finally
        {
            await docker.Containers.RemoveContainerAsync(probe.ID, new ContainerRemoveParameters { Force = true });
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using Docker.DotNet.Models;
using SaasPanel.Contracts;
using SaasPanel.Control.Apis;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>A workspace's whole life through the API, on a real engine: the host's, and a one-node swarm.</summary>
public abstract class WorkspaceLifecycleTests(TestRuntime runtime) : IAsyncLifetime
{
    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(30);
    private ControlHost _control = null!;

    public async Task InitializeAsync()
    {
        await DockerTestEngine.BuildUserAppImageAsync(CancellationToken.None);
        _control = new ControlHost(runtime: runtime);
    }

    public async Task DisposeAsync() => await _control.DisposeAsync();

    [Fact]
    public async Task Provision_stop_start_restart_delete_each_converge_and_leave_an_audit_row()
    {
        Assert.Equal(HttpStatusCode.Created, (await _control.ProvisionAsync("alice")).StatusCode);
        var running = await _control.WaitForStateAsync("alice", WorkspaceState.Running, StateTimeout);
        Assert.Equal(HttpStatusCode.OK, await GatewayStatusAsync(running));

        Assert.Equal(HttpStatusCode.Accepted, (await _control.Api.PostAsync("/api/workspaces/alice/stop", null)).StatusCode);
        var stopped = await _control.WaitForStateAsync("alice", WorkspaceState.Stopped, StateTimeout);
        Assert.False(await runtime.IsRunningAsync(_control.Docker, running.ContainerId!));

        Assert.Equal(HttpStatusCode.Accepted, (await _control.Api.PostAsync("/api/workspaces/alice/start", null)).StatusCode);
        var started = await _control.WaitForStateAsync("alice", WorkspaceState.Running, StateTimeout);
        Assert.Equal(running.ContainerId, started.ContainerId);

        var beforeRestart = await StartedAtAsync(started);
        Assert.Equal(HttpStatusCode.Accepted, (await _control.Api.PostAsync("/api/workspaces/alice/restart", null)).StatusCode);
        var restarted = await _control.WaitForStateAsync("alice", WorkspaceState.Running, StateTimeout,
            w => w.RunningSince > started.RunningSince);
        Assert.NotEqual(beforeRestart, await StartedAtAsync(restarted));
        Assert.Equal(HttpStatusCode.OK, await GatewayStatusAsync(restarted));

        Assert.Equal(HttpStatusCode.Accepted, (await _control.Api.DeleteAsync("/api/workspaces/alice")).StatusCode);
        await WaitUntilGoneAsync("alice");
        Assert.Empty(await runtime.ListAsync(_control.Docker, _control.Data.InstanceId));
        await Eventually.AssertAsync(async () => (await DockerTestEngine.ListVolumesAsync(_control.Docker, _control.Data.InstanceId)).Count == 0,
            StateTimeout, "the workspace's volume to be removed");
        // The installation's networks (none on swarm) stay for the next workspace, with nothing attached.
        foreach (var network in await DockerTestEngine.ListNetworksAsync(_control.Docker, _control.Data.InstanceId))
        {
            Assert.Empty((await _control.Docker.Networks.InspectNetworkAsync(network.ID)).Containers ?? new Dictionary<string, EndpointResource>());
        }

        var audit = await _control.Api.GetFromJsonAsync<Page<AuditEntry>>("/api/audit?user=alice&pageSize=200", ControlHost.Json);
        var actions = audit!.Items.Select(a => a.Action).ToHashSet();
        Assert.Superset(new HashSet<string> { "provision", "stop", "start", "restart", "delete", "remove", "transition" }, actions);
        Assert.All(audit.Items.Where(a => a.Action != "transition" && a.Action != "remove"), a => Assert.Equal("api-key", a.Actor));
    }

    [Fact]
    public async Task Twenty_concurrent_provisions_of_one_name_make_exactly_one_workspace_on_the_engine()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _control.ProvisionAsync("bob")));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        await _control.WaitForStateAsync("bob", WorkspaceState.Running, StateTimeout);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await runtime.ListAsync(_control.Docker, _control.Data.InstanceId), w => w.User == "bob");
    }

    [Fact]
    public async Task The_container_is_hardened_and_refuses_requests_without_the_gateway_secret()
    {
        await _control.ProvisionAsync("carol");
        var workspace = await _control.WaitForStateAsync("carol", WorkspaceState.Running, StateTimeout);

        var container = await _control.Docker.Containers.InspectContainerAsync(await runtime.ContainerOfAsync(_control.Docker, workspace.ContainerId!));
        Assert.Equal("10001:10001", container.Config.User);
        Assert.True(container.HostConfig.ReadonlyRootfs);
        Assert.Equal(["ALL"], container.HostConfig.CapDrop);
        Assert.Empty(container.HostConfig.CapAdd ?? []);
        await AssertNoNewPrivilegesAsync(container);
        Assert.True(container.HostConfig.Memory > 0);
        Assert.True(container.HostConfig.NanoCPUs > 0);
        Assert.True(container.HostConfig.PidsLimit > 0);
        Assert.False(container.HostConfig.Privileged);
        Assert.DoesNotContain(container.Mounts, m => m.Type == "bind");
        // A container says whose it is by its name (a swarm task's, whose service is never renamed, by its label).
        Assert.Equal("carol", WorkspaceLabels.Find(container.Config.Labels, WorkspaceLabels.User)
            ?? WorkspaceLabels.WorkspaceNameOf(_control.Data.InstanceId, container.Name));
        Assert.Equal(_control.Data.InstanceId, container.Config.Labels[WorkspaceLabels.Instance]);

        var (endpoint, _) = await ChangeStream.ReadRouteAsync(_control.Api, "carol");
        using var http = new HttpClient();
        var response = await http.GetAsync(endpoint);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("carol@example.com", await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// The kernel's own word that the app cannot gain privileges: on docker the container's security option sets it;
    /// on swarm (API 1.41 has no such service option) the node's engine default, <c>dockerd --no-new-privileges</c>.
    /// </summary>
    private static async Task AssertNoNewPrivilegesAsync(ContainerInspectResponse container)
    {
        var status = await File.ReadAllLinesAsync($"/proc/{container.State.Pid}/status");
        Assert.Contains("NoNewPrivs:\t1", status);
    }

    private async Task<string> StartedAtAsync(WorkspaceDto workspace) =>
        (await _control.Docker.Containers.InspectContainerAsync(await runtime.ContainerOfAsync(_control.Docker, workspace.ContainerId!))).State.StartedAt;

    /// <summary>The page as the gateway will fetch it: the endpoint plus the secret from the change stream.</summary>
    private async Task<HttpStatusCode> GatewayStatusAsync(WorkspaceDto workspace)
    {
        var (endpoint, secret) = await ChangeStream.ReadRouteAsync(_control.Api, workspace.UserName);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        request.Headers.Add(Headers.GatewaySecret, secret);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task WaitUntilGoneAsync(string user)
    {
        var deadline = DateTime.UtcNow + StateTimeout;
        while (await _control.GetAsync(user) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{user} was not removed within {StateTimeout.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}

public sealed class DockerWorkspaceLifecycleTests(DockerTestRuntime runtime) : WorkspaceLifecycleTests(runtime), IClassFixture<DockerTestRuntime>;

public sealed class SwarmWorkspaceLifecycleTests(SwarmTestRuntime runtime) : WorkspaceLifecycleTests(runtime), IClassFixture<SwarmTestRuntime>;

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Docker.DotNet.Models;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SaasPanel.Contracts;
using SaasPanel.Control.Apis;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Plans;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Stats;
using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>
/// The warm pool on the real engine: started members are claimed once each under concurrent registrations, the pool
/// refills, a claim cut off by Control's death is finished by the next Control, a claimed workspace is made like a
/// fresh one, and a member answers nobody through the gateway.
/// </summary>
public sealed class WarmPoolTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public Task InitializeAsync() => DockerTestEngine.BuildUserAppImageAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    private static Dictionary<string, string?> PoolOf(int size) => new()
    {
        ["Runtime:PoolSize"] = size.ToString(CultureInfo.InvariantCulture),
        ["Runtime:PoolParallelism"] = "4",
        // The default template's pool only (the static one is a second template of the tests' configuration).
        ["Runtime:Templates:static:PoolSize"] = "0",
    };

    [Fact]
    public async Task Twenty_concurrent_registrations_claim_twenty_members_once_each_and_the_pool_refills()
    {
        var controlPort = TestNetwork.FreePort();
        await using var control = new ControlHost(settings: PoolOf(20), port: controlPort);
        await using var auth = AuthTestHost.Create($"http://127.0.0.1:{controlPort}/", new Dictionary<string, string?>
        {
            ["ControlClient:ApiKey"] = control.Data.ApiKey,
        });
        await WaitForReadyMembersAsync(control, 20);
        var users = Enumerable.Range(1, 20).Select(i => $"claim{i:00}").ToList();
        var browsers = users.Select(_ => auth.CreateBrowser()).ToList();

        var responses = await Task.WhenAll(users.Select((user, i) => browsers[i].RegisterAsync(user, $"{user}@example.com", "password1")));
        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Redirect, response.StatusCode));
        browsers.ForEach(browser => browser.Dispose());
        var workspaces = await Task.WhenAll(users.Select(user => control.WaitForStateAsync(user, WorkspaceState.Running, Deadline)));

        // Twenty containers, one per user, named for their user, each one a pool member's (its volume is named for the member).
        var claimed = workspaces.Select(w => w.ContainerId!).ToList();
        Assert.Equal(20, claimed.Distinct().Count());
        Assert.Equal(users.Order(), (await control.Runtime.ListAsync(control.Docker, control.Data.InstanceId)).Select(c => c.User).Order());
        var volumes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var workspace in workspaces)
        {
            var container = await control.Docker.Containers.InspectContainerAsync(workspace.ContainerId);
            Assert.Equal(WorkspaceLabels.ContainerName(control.Data.InstanceId, workspace.UserName), container.Name.TrimStart('/'));
            var volume = Assert.Single(container.Mounts, m => m.Destination == WorkspaceContainer.Directory).Name;
            Assert.StartsWith(WorkspaceLabels.ContainerName(control.Data.InstanceId, WorkspaceLabels.PoolMemberPrefix), volume);
            Assert.True(volumes.Add(volume), $"{workspace.UserName} shares the volume {volume}");
        }

        // Each answers its own user's secret, as the gateway is told it, and no other's.
        var (endpoint, secret) = await ChangeStream.ReadRouteAsync(control.Api, "claim01");
        var (_, otherSecret) = await ChangeStream.ReadRouteAsync(control.Api, "claim02");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(endpoint, secret, "claim01")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(endpoint, otherSecret, "claim01")).StatusCode);

        // The pool refills with new members; the claimed ones are no longer among them.
        var refilled = await WaitForReadyMembersAsync(control, 20);
        Assert.Empty(refilled.Intersect(claimed));
    }

    [Fact]
    public async Task Control_dying_in_the_middle_of_a_claim_leaves_the_claim_to_the_next_control_with_no_orphan()
    {
        var data = ServiceData.Create("control");
        using var docker = DockerTestEngine.CreateClient();
        try
        {
            string member;
            var claiming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (var first = new ControlHost(data, settings: PoolOf(1), configure: builder => builder.ConfigureTestServices(services =>
                services.AddSingleton(provider => HangingClaims.Around(provider.GetRequiredService<DockerWorkspaceRuntime>(), claiming)))))
            {
                member = Assert.Single(await WaitForReadyMembersAsync(first, 1));
                Assert.Equal(HttpStatusCode.Created, (await first.ProvisionAsync("alice")).StatusCode);
                await claiming.Task.WaitAsync(Deadline);

                // Died after the row took the member and before the member took alice's name.
                var row = await first.GetAsync("alice");
                Assert.Equal(member, row!.ContainerId);
                Assert.StartsWith(WorkspaceLabels.ContainerName(data.InstanceId, WorkspaceLabels.PoolMemberPrefix),
                    (await docker.Containers.InspectContainerAsync(member)).Name.TrimStart('/'));
            }

            await using (var second = new ControlHost(data, settings: PoolOf(1)))
            {
                var alice = await second.WaitForStateAsync("alice", WorkspaceState.Running, Deadline);
                Assert.Equal(member, alice.ContainerId);
                var (endpoint, secret) = await ChangeStream.ReadRouteAsync(second.Api, "alice");
                Assert.Equal(HttpStatusCode.OK, (await GetAsync(endpoint, secret, "alice")).StatusCode);

                // No orphan: alice's one container, and the pool's one member (it was not handed out twice).
                var refill = Assert.Single(await WaitForReadyMembersAsync(second, 1));
                Assert.NotEqual(member, refill);
                Assert.Equal([("alice", member)], (await second.Runtime.ListAsync(docker, data.InstanceId)).Select(c => (c.User, c.Id)));
                Assert.Equal(new[] { member, refill }.Order(), (await DockerTestEngine.ListContainersAsync(docker, data.InstanceId)).Select(c => c.ID).Order());
                Assert.Equal(2, (await DockerTestEngine.ListVolumesAsync(docker, data.InstanceId)).Count);
            }
        }
        finally
        {
            await DockerTestEngine.RemoveInstanceAsync(docker, data.InstanceId);
            data.Delete();
        }
    }

    [Fact]
    public async Task A_claimed_workspace_is_made_and_audited_like_a_freshly_created_one()
    {
        await using var fresh = new ControlHost();
        await using var pooled = new ControlHost(settings: PoolOf(1));
        await WaitForReadyMembersAsync(pooled, 1);
        await fresh.ProvisionAsync("erin");
        await pooled.ProvisionAsync("erin");
        var freshRow = await fresh.WaitForStateAsync("erin", WorkspaceState.Running, Deadline);
        var pooledRow = await pooled.WaitForStateAsync("erin", WorkspaceState.Running, Deadline);

        var a = await fresh.Docker.Containers.InspectContainerAsync(freshRow.ContainerId);
        var b = await pooled.Docker.Containers.InspectContainerAsync(pooledRow.ContainerId);
        // Everything but what names the installation and when the row was at (the instance, the generation) is the same.
        Assert.Equal(Comparable(a.Config.Labels, fresh.Data.InstanceId), Comparable(b.Config.Labels, pooled.Data.InstanceId));
        Assert.Equal(EnvironmentNames(a), EnvironmentNames(b));
        Assert.Equal(WorkspaceLabels.ContainerName(fresh.Data.InstanceId, "erin"), a.Name.TrimStart('/'));
        Assert.Equal(WorkspaceLabels.ContainerName(pooled.Data.InstanceId, "erin"), b.Name.TrimStart('/'));
        Assert.Equal(Hardening(a, fresh.Data.InstanceId), Hardening(b, pooled.Data.InstanceId));
        Assert.Equal(await AuditTrailAsync(fresh), await AuditTrailAsync(pooled));
    }

    [Fact]
    public async Task A_change_of_the_default_plans_limits_rolls_the_pool()
    {
        await using var control = new ControlHost(settings: PoolOf(1));
        var before = Assert.Single(await WaitForReadyMembersAsync(control, 1));

        Assert.Equal(HttpStatusCode.OK, (await control.Api.PutAsJsonAsync("/api/plans/standard",
            new PlanRequest(MemoryLimitMb: 96, CpuLimit: 0.5, PidsLimit: 128), ControlHost.Json)).StatusCode);

        var rolled = await Eventually.GetAsync(async () => await ReadyMembersAsync(control),
            members => members is [var member] && member != before, Deadline, "a member with the plan's new limits in place of the old one");
        Assert.Equal(96L * 1024 * 1024, (await control.Docker.Containers.InspectContainerAsync(rolled.Single())).HostConfig.Memory);
        Assert.False(await ExistsAsync(control, before));
    }

    [Fact]
    public async Task A_pool_member_answers_nobody_through_the_gateway_not_even_an_admin()
    {
        var controlPort = TestNetwork.FreePort();
        await using var control = new ControlHost(settings: PoolOf(1), port: controlPort);
        var authPort = TestNetwork.FreePort();
        await using var auth = AuthTestHost.Create($"http://127.0.0.1:{controlPort}/", new Dictionary<string, string?>
        {
            ["ControlClient:ApiKey"] = control.Data.ApiKey,
        });
        auth.UseKestrel(authPort);
        auth.StartServer();
        var memberId = Assert.Single(await WaitForReadyMembersAsync(control, 1));
        var member = await control.Docker.Containers.InspectContainerAsync(memberId);
        var memberName = WorkspaceLabels.WorkspaceNameOf(control.Data.InstanceId, member.Name)!;
        var address = member.NetworkSettings.Networks[WorkspaceLabels.IsolatedNetworkName(control.Data.InstanceId)].IPAddress;

        using var admin = AuthTestHost.CreateLoopbackBrowser(authPort);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.AdminSignInAsync()).StatusCode);
        var throughGateway = await admin.Http.GetAsync($"/u/{memberName}/");
        Assert.NotEqual(HttpStatusCode.OK, throughGateway.StatusCode);
        Assert.DoesNotContain("id=\"username\"", await throughGateway.Content.ReadAsStringAsync());
        // Its own address without the secret that only a claim hands to the gateway: nothing either.
        using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.Forbidden, (await direct.GetAsync($"http://{address}:{WorkspaceContainer.Port}/")).StatusCode);

        // Claimed by a new user, it answers them at their path, and still nobody at the member's.
        using var bob = AuthTestHost.CreateLoopbackBrowser(authPort);
        Assert.Equal(HttpStatusCode.Redirect, (await bob.RegisterAsync("bob", "bob@example.com", "password1")).StatusCode);
        Assert.Equal(memberId, (await control.WaitForStateAsync("bob", WorkspaceState.Running, Deadline)).ContainerId);
        await Eventually.AssertAsync(async () => (await bob.Http.GetAsync("/u/bob/")).StatusCode == HttpStatusCode.OK, Deadline,
            "bob's claimed workspace through the gateway");
        var page = await (await bob.Http.GetAsync("/u/bob/")).Content.ReadAsStringAsync();
        Assert.Contains("<span id=\"username\">bob</span>", page);
        Assert.Contains("bob@example.com", page);
        Assert.NotEqual(HttpStatusCode.OK, (await admin.Http.GetAsync($"/u/{memberName}/")).StatusCode);
    }

    /// <summary>Waits until the pool reports this many ready members; their container ids.</summary>
    private static async Task<List<string>> WaitForReadyMembersAsync(ControlHost control, int count)
    {
        await Eventually.AssertAsync(async () => (await control.Api.GetFromJsonAsync<ControlStats>("/api/stats", ControlHost.Json))!.Pool.Ready == count,
            Deadline, $"{count} warm pool members ready");
        return await ReadyMembersAsync(control);
    }

    private static async Task<bool> ExistsAsync(ControlHost control, string containerId) =>
        (await DockerTestEngine.ListContainersAsync(control.Docker, control.Data.InstanceId)).Any(c => c.ID == containerId);

    /// <summary>The running pool members' container ids, as the engine lists them.</summary>
    private static async Task<List<string>> ReadyMembersAsync(ControlHost control)
    {
        var containers = await DockerTestEngine.ListContainersAsync(control.Docker, control.Data.InstanceId);
        return containers
            .Where(c => c.State == "running"
                && WorkspaceLabels.WorkspaceNameOf(control.Data.InstanceId, c.Names.FirstOrDefault()) is { } name && WorkspaceLabels.IsPoolMember(name))
            .Select(c => c.ID).ToList();
    }

    /// <summary>The workspace's page at its endpoint, as the gateway asks for it with this secret.</summary>
    private static async Task<HttpResponseMessage> GetAsync(Uri endpoint, string secret, string user)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        request.Headers.Add(Headers.GatewaySecret, secret);
        request.Headers.Add(Headers.ForwardedUser, user);
        return await http.SendAsync(request);
    }

    private static List<KeyValuePair<string, string>> Comparable(IDictionary<string, string> labels, string instanceId) =>
        [.. labels.Where(l => l.Key != WorkspaceLabels.Generation).Select(l => KeyValuePair.Create(l.Key, l.Value.Replace(instanceId, "")))
            .OrderBy(l => l.Key, StringComparer.Ordinal)];

    /// <summary>What a container may do and use, as text (the installation's id taken out of its network's name).</summary>
    private static string Hardening(ContainerInspectResponse c, string instanceId) => JsonSerializer.Serialize(new
    {
        c.Config.User,
        c.HostConfig.ReadonlyRootfs,
        c.HostConfig.CapDrop,
        c.HostConfig.SecurityOpt,
        c.HostConfig.Memory,
        c.HostConfig.NanoCPUs,
        c.HostConfig.PidsLimit,
        c.HostConfig.RestartPolicy.Name,
        c.HostConfig.Tmpfs,
        c.HostConfig.PortBindings,
        c.HostConfig.Binds,
        Network = c.HostConfig.NetworkMode.Replace(instanceId, "", StringComparison.Ordinal),
    });

    private static List<string> EnvironmentNames(ContainerInspectResponse container) =>
        [.. container.Config.Env.Select(e => e[..e.IndexOf('=', StringComparison.Ordinal)]).Order(StringComparer.Ordinal)];

    private static async Task<List<(string Action, string Outcome, string? Detail)>> AuditTrailAsync(ControlHost control)
    {
        var page = await control.Api.GetFromJsonAsync<Page<AuditEntry>>("/api/audit?user=erin&pageSize=50", ControlHost.Json);
        return [.. page!.Items.Select(e => (e.Action, e.Outcome, e.Detail)).Reverse()];
    }
}

/// <summary>
/// The runtime Control is given in a test that kills it mid-claim: every call goes to the real runtime, except that the
/// claim's rename never returns (until Control stops), so Control dies exactly between the row's claim and the rename.
/// </summary>
public class HangingClaims : DispatchProxy
{
    private IWorkspaceRuntime _inner = null!;
    private TaskCompletionSource _claiming = null!;

    /// <summary>The real runtime, whose claims signal <paramref name="claiming"/> and then hang.</summary>
    public static IWorkspaceRuntime Around(IWorkspaceRuntime inner, TaskCompletionSource claiming)
    {
        var proxy = Create<IWorkspaceRuntime, HangingClaims>();
        var hanging = (HangingClaims)(object)proxy;
        hanging._inner = inner;
        hanging._claiming = claiming;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == nameof(IWorkspaceRuntime.ClaimAsync))
        {
            _claiming.TrySetResult();
            return HangAsync((CancellationToken)args![2]!);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException!).Throw();
            throw;
        }
    }

    private static async Task<WorkspaceInstance> HangAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new OperationCanceledException(cancellationToken);
    }
}

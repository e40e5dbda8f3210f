using System.Diagnostics;
using System.Globalization;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using SaasPanel.Auth.Data;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>
/// The swarm runtime on a real three-node lab (one manager, two workers, each a dockerd in its own network
/// namespace), through the real Control and the real Auth gateway: a node without the image gets no task until it is
/// filled; 30 workspaces spread over the nodes; a worker's dockerd stopped, its workspaces run and answer at
/// <c>/u/&lt;user&gt;/</c> elsewhere within 60 s; the node back, nothing runs twice. Provision times on the swarm and
/// on the host's plain engine, from this run. It prints what it measures (<c>scripts/swarm-check</c> shows it).
/// </summary>
public sealed class SwarmClusterTests(ITestOutputHelper output)
{
    private const int WorkspaceCount = 30;
    private const int BeforeFill = 6;
    private const int Workers = 2;
    private const int LateNode = Workers + 1;
    private static readonly TimeSpan ProvisionTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan FailoverTarget = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(20);

    [SwarmLabFact]
    public async Task Thirty_workspaces_spread_survive_a_worker_stopping_and_run_once_when_it_returns()
    {
        var lab = SwarmLabFactAttribute.Lab!;
        await DockerTestEngine.BuildUserAppImageAsync(CancellationToken.None);
        await DockerTestEngine.BuildStaticImageAsync(CancellationToken.None);
        try
        {
            await CheckAsync(lab);
        }
        finally
        {
            await lab.RunAsync("down");
        }
    }

    private async Task CheckAsync(SwarmLab lab)
    {
        Print($"lab: manager 1 and worker 2 with the images, worker {LateNode} joined without them");
        await lab.RunAsync("up", "2");
        Print((await lab.RunAsync("add")).Trim());
        var users = Enumerable.Range(1, WorkspaceCount).Select(i => $"user{i:00}").ToList();

        // The plain engine first, from the same run and the same code path, for the provision time next to the swarm's.
        List<TimeSpan> dockerTimes;
        await using (var docker = await GatewayInstallation.StartAsync(new DockerTestRuntime()))
        {
            dockerTimes = await ProvisionAllAsync(docker, users);
        }

        await using var swarm = await GatewayInstallation.StartAsync(new SwarmTestRuntime(lab));
        var manager = swarm.Control.Docker;
        var swarmTimes = await ProvisionAllAsync(swarm, users[..BeforeFill]);
        var beforeFill = await SpreadAsync(lab, manager);
        Print($"before fill: {Describe(beforeFill)}");
        Assert.Equal(0, beforeFill.GetValueOrDefault(LateNode));
        Assert.Equal(BeforeFill, beforeFill.Values.Sum());

        Print((await lab.RunAsync("fill", LateNode.ToString(CultureInfo.InvariantCulture))).Trim());
        swarmTimes.AddRange(await ProvisionAllAsync(swarm, users[BeforeFill..]));
        var spread = await SpreadAsync(lab, manager);
        Print($"after fill, {WorkspaceCount} workspaces: {Describe(spread)}");
        Assert.True(spread.GetValueOrDefault(LateNode) > 0, $"node {LateNode} got no task after it was filled");
        Assert.Equal(WorkspaceCount, spread.Values.Sum());
        Assert.Equal(3, spread.Count(n => n.Value > 0));
        Print($"provision, registration to the first 200 at /u/<user>/ (sequential, {WorkspaceCount} each): " +
            $"swarm p50 {Median(swarmTimes):0.00} s (max {swarmTimes.Max().TotalSeconds:0.00} s), " +
            $"docker p50 {Median(dockerTimes):0.00} s (max {dockerTimes.Max().TotalSeconds:0.00} s)");

        await CheckStatsAsync(lab, swarm, manager);

        // The worker with the most workspaces goes down.
        var placement = await PlacementAsync(lab, manager);
        var victim = spread.Where(n => n.Key != 1).MaxBy(n => n.Value).Key;
        var moving = placement.Where(p => p.Value == victim).Select(p => p.Key).ToList();
        Print($"stopping node {victim}'s dockerd ({moving.Count} workspaces on it)");
        var stopwatch = Stopwatch.StartNew();
        await lab.RunAsync("stop", victim.ToString(CultureInfo.InvariantCulture));
        var stoppedAfter = stopwatch.Elapsed;
        var (first, back) = await WaitUntilServedElsewhereAsync(lab, swarm, moving, victim, stopwatch);
        Print($"all {moving.Count} of node {victim}'s workspaces Running on other nodes and answering at /u/<user>/ " +
            $"{back.TotalSeconds:0.0} s after the stop began (the first {first.TotalSeconds:0.0} s; its dockerd had exited at " +
            $"{stoppedAfter.TotalSeconds:0.0} s)");
        Print($"while node {victim} is down: {Describe(await SpreadAsync(lab, manager))}");
        Assert.True(back <= FailoverTarget, $"failover took {back.TotalSeconds:0.0} s, more than {FailoverTarget.TotalSeconds} s");

        Print($"starting node {victim} again");
        await lab.RunAsync("start", victim.ToString(CultureInfo.InvariantCulture));
        await Eventually.AssertAsync(async () => (await NodeStatesAsync(lab, manager))[victim] == "ready", NodeTimeout, $"node {victim} to be ready");
        var duplicates = await WatchForDuplicatesAsync(lab, manager, users);
        Print($"node {victim} ready; for {QuietPeriod.TotalSeconds:0} s after: {duplicates}");
        Print($"after: {Describe(await SpreadAsync(lab, manager))}");
        foreach (var user in users)
        {
            Assert.Equal(HttpStatusCode.OK, await swarm.GatewayStatusAsync(user));
        }

        Print($"all {WorkspaceCount} answer at /u/<user>/");
        Print($"workspace volumes per node (node-local: a moved workspace started on an empty one): {await VolumesAsync(lab, swarm)}");
    }

    /// <summary>Registers each user at Auth in turn and times it until the gateway serves their app; also the p50 source.</summary>
    private static async Task<List<TimeSpan>> ProvisionAllAsync(GatewayInstallation installation, IEnumerable<string> users)
    {
        var times = new List<TimeSpan>();
        foreach (var user in users)
        {
            times.Add(await installation.ProvisionAsync(user, ProvisionTimeout));
        }

        return times;
    }

    /// <summary>
    /// Stats come only from the engine that runs the container: Control reaches the manager's, so a workspace on a
    /// worker answers 409 with the reason, one on the manager its numbers.
    /// </summary>
    private async Task CheckStatsAsync(SwarmLab lab, GatewayInstallation swarm, DockerClient manager)
    {
        var placement = await PlacementAsync(lab, manager);
        var onManager = placement.First(p => p.Value == 1).Key;
        var onWorker = placement.First(p => p.Value != 1).Key;
        using var managerStats = await swarm.Control.Api.GetAsync($"/api/workspaces/{onManager}/stats");
        Assert.Equal(HttpStatusCode.OK, managerStats.StatusCode);
        using var workerStats = await swarm.Control.Api.GetAsync($"/api/workspaces/{onWorker}/stats");
        var problem = await workerStats.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, workerStats.StatusCode);
        Assert.Contains("only on that node's engine", problem);
        Print($"stats: {onManager} on the manager 200; {onWorker} on node {placement[onWorker]} {(int)workerStats.StatusCode}");
    }

    /// <summary>Polls until each moved workspace runs on another node, is Running in Control and answers through the gateway.</summary>
    private static async Task<(TimeSpan First, TimeSpan Last)> WaitUntilServedElsewhereAsync(SwarmLab lab, GatewayInstallation swarm,
        List<string> moving, int victim, Stopwatch stopwatch)
    {
        var pending = moving.ToHashSet();
        var first = TimeSpan.Zero;
        while (pending.Count > 0)
        {
            Assert.True(stopwatch.Elapsed < FailoverTimeout,
                $"after {FailoverTimeout.TotalSeconds} s, {pending.Count} workspaces were still not served elsewhere: {string.Join(", ", pending)}");
            var placement = await PlacementAsync(lab, swarm.Control.Docker);
            foreach (var user in pending.ToList())
            {
                if (placement.TryGetValue(user, out var node) && node != victim
                    && (await swarm.Control.GetAsync(user))?.State == WorkspaceState.Running
                    && await swarm.GatewayStatusAsync(user) == HttpStatusCode.OK)
                {
                    pending.Remove(user);
                    first = first == TimeSpan.Zero ? stopwatch.Elapsed : first;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        return (first, stopwatch.Elapsed);
    }

    /// <summary>For a while after the node is back: one running task per service and one running container per user, on all nodes.</summary>
    private static async Task<string> WatchForDuplicatesAsync(SwarmLab lab, DockerClient manager, List<string> users)
    {
        var until = DateTime.UtcNow + QuietPeriod;
        var samples = 0;
        while (DateTime.UtcNow < until)
        {
            var tasks = await RunningTasksAsync(manager);
            var perService = tasks.GroupBy(t => t.ServiceID).ToDictionary(g => g.Key, g => g.Count());
            Assert.All(perService, s => Assert.Equal(1, s.Value));
            Assert.Equal(users.Count, perService.Count);
            var containers = await RunningContainersAsync(lab);
            Assert.Equal(users.Order(StringComparer.Ordinal), containers.Order(StringComparer.Ordinal));
            samples++;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return $"{samples} samples, each with one running task per service ({users.Count}) and one running container per workspace across all nodes";
    }

    /// <summary>The user of every running workspace container, asked of each node's own engine (a node that is down counts none).</summary>
    private static async Task<List<string>> RunningContainersAsync(SwarmLab lab)
    {
        var users = new List<string>();
        for (var node = 1; node <= LateNode; node++)
        {
            using var docker = new DockerClientConfiguration(new Uri(lab.NodeEndpoint(node))).CreateClient();
            var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [WorkspaceLabels.User] = true } },
            });
            users.AddRange(containers.Select(c => c.Labels[WorkspaceLabels.User]));
        }

        return users;
    }

    private static async Task<string> VolumesAsync(SwarmLab lab, GatewayInstallation swarm)
    {
        var counts = new List<string>();
        for (var node = 1; node <= LateNode; node++)
        {
            using var docker = new DockerClientConfiguration(new Uri(lab.NodeEndpoint(node))).CreateClient();
            counts.Add($"node {node} {(await DockerTestEngine.ListVolumesAsync(docker, swarm.Control.Data.InstanceId)).Count}");
        }

        return string.Join(", ", counts);
    }

    /// <summary>Which node runs each user's workspace now (its running task wanted running), as the manager sees it.</summary>
    private static async Task<Dictionary<string, int>> PlacementAsync(SwarmLab lab, DockerClient manager)
    {
        var nodes = await NodesAsync(lab, manager);
        var services = (await manager.Swarm.ListServicesAsync()).ToDictionary(s => s.ID, s => WorkspaceLabels.Find(s.Spec.Labels, WorkspaceLabels.User));
        return (await RunningTasksAsync(manager))
            .Where(t => services.GetValueOrDefault(t.ServiceID) is not null)
            .GroupBy(t => services[t.ServiceID]!)
            .ToDictionary(g => g.Key, g => nodes[g.OrderByDescending(t => t.CreatedAt).First().NodeID]);
    }

    private static async Task<Dictionary<int, int>> SpreadAsync(SwarmLab lab, DockerClient manager)
    {
        var placement = await PlacementAsync(lab, manager);
        return Enumerable.Range(1, LateNode).ToDictionary(n => n, n => placement.Count(p => p.Value == n));
    }

    private static async Task<IList<TaskResponse>> RunningTasksAsync(DockerClient manager) =>
        (await manager.Tasks.ListAsync(new TasksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["desired-state"] = new Dictionary<string, bool> { ["running"] = true } },
        })).Where(t => t.Status.State == TaskState.Running).ToList();

    private static async Task<Dictionary<string, int>> NodesAsync(SwarmLab lab, DockerClient manager) =>
        (await manager.Swarm.ListNodesAsync()).ToDictionary(n => n.ID, n => lab.NodeAt(n.Status.Addr));

    private static async Task<Dictionary<int, string>> NodeStatesAsync(SwarmLab lab, DockerClient manager) =>
        (await manager.Swarm.ListNodesAsync()).ToDictionary(n => lab.NodeAt(n.Status.Addr), n => n.Status.State);

    private static string Describe(Dictionary<int, int> spread) =>
        string.Join(", ", spread.Select(n => $"node {n.Key} {n.Value}"));

    private static double Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2).TotalSeconds;

    private void Print(string line)
    {
        var stamped = $"[{DateTime.UtcNow:HH:mm:ss}] {line}";
        output.WriteLine(stamped);
        if (Environment.GetEnvironmentVariable("SAASPANEL_SWARM_CHECK_REPORT") is { Length: > 0 } report)
        {
            File.AppendAllLines(report, [stamped]);
        }
    }

    /// <summary>The real Control (on Kestrel, driving the given engine) and the real Auth whose gateway serves its workspaces.</summary>
    private sealed class GatewayInstallation : IAsyncDisposable
    {
        private const string Password = "password1";
        private readonly Dictionary<string, AuthTestClient> _browsers = [];
        private readonly int _authPort;

        private GatewayInstallation(ControlHost control, ServiceFactory<AuthDbContext> auth, int authPort)
        {
            Control = control;
            Auth = auth;
            _authPort = authPort;
        }

        public ControlHost Control { get; }

        public ServiceFactory<AuthDbContext> Auth { get; }

        public static async Task<GatewayInstallation> StartAsync(TestRuntime runtime)
        {
            var controlPort = TestNetwork.FreePort();
            var authPort = TestNetwork.FreePort();
            var control = new ControlHost(port: controlPort, runtime: runtime,
                settings: new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
            var auth = AuthTestHost.Create($"http://127.0.0.1:{controlPort}/",
                new Dictionary<string, string?> { ["ControlClient:ApiKey"] = control.Data.ApiKey });
            auth.UseKestrel(authPort);
            auth.StartServer();
            // Control serves once its first request is made; that also proves it is up before the clock starts.
            using var health = await control.Api.GetAsync("/api/workspaces");
            health.EnsureSuccessStatusCode();
            return new GatewayInstallation(control, auth, authPort);
        }

        /// <summary>Registers the user (Auth's outbox provisions the workspace) and waits until the gateway serves their own app.</summary>
        public async Task<TimeSpan> ProvisionAsync(string user, TimeSpan timeout)
        {
            var browser = AuthTestHost.CreateLoopbackBrowser(_authPort);
            _browsers[user] = browser;
            var stopwatch = Stopwatch.StartNew();
            using var registered = await browser.RegisterAsync(user, $"{user}@example.com", Password);
            Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
            await Eventually.AssertAsync(async () => await GatewayStatusAsync(user) == HttpStatusCode.OK, timeout, $"{user}'s app at /u/{user}/");
            return stopwatch.Elapsed;
        }

        /// <summary>What the gateway answers the signed-in user at <c>/u/&lt;user&gt;/</c>; 200 only when it is their own app.</summary>
        public async Task<HttpStatusCode> GatewayStatusAsync(string user)
        {
            try
            {
                using var response = await _browsers[user].Http.GetAsync($"/u/{user}/");
                return response.StatusCode == HttpStatusCode.OK && !(await response.Content.ReadAsStringAsync()).Contains(user, StringComparison.Ordinal)
                    ? HttpStatusCode.NoContent
                    : response.StatusCode;
            }
            catch (HttpRequestException)
            {
                return 0;
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var browser in _browsers.Values)
            {
                browser.Dispose();
            }

            await Auth.DisposeAsync();
            await Control.DisposeAsync();
        }
    }
}

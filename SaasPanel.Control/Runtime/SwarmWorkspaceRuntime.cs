using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using SaasPanel.Contracts;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Runtime;

/// <summary>
/// Workspaces as Docker Swarm services, driven through a manager: one replicated service per user (1 replica, or 0
/// when stopped) with the labels, limits and hardening of a plain container. The kernel here has no IPVS, so no
/// virtual IP and no routing mesh: the service uses <c>dnsrr</c> and publishes its port in host mode on whichever node
/// runs its task, and the endpoint is that node's address and port. There is no registry either: services run an
/// image id and are constrained to nodes labelled as holding it (<see cref="WorkspaceLabels.NodeImageLabel"/>).
/// A "container id" on this seam is the service's id.
/// </summary>
internal sealed class SwarmWorkspaceRuntime(
    DockerEngine engine, WorkspaceReadinessProbe probe, WorkspaceVolumes volumes, IOptions<RuntimeOptions> options)
    : EngineWorkspaceRuntime(engine, probe, volumes, options), IWorkspaceRuntime
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    protected override string LogsCommand => "docker service logs";

    /// <summary>Only checks that the engine is a swarm manager: services need no network of their own (see the class).</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken) => await ManagerNodeIdAsync(cancellationToken);

    public async Task<IReadOnlyList<WorkspaceInstance>> ListAsync(string? userName, CancellationToken cancellationToken)
    {
        var services = await ListServicesAsync(userName, cancellationToken);
        if (services.Count == 0)
        {
            return [];
        }

        var tasks = await ListTasksAsync(services.Select(s => s.ID), cancellationToken);
        var nodes = await ListNodesAsync(cancellationToken);
        return services.Select(s => ToWorkspaceInstance(s, tasks[s.ID], nodes)).ToList();
    }

    public async Task<WorkspaceInstance?> InspectAsync(string containerId, CancellationToken cancellationToken)
    {
        var service = await FindServiceAsync(containerId, cancellationToken);
        if (service is null)
        {
            return null;
        }

        var tasks = await ListTasksAsync([service.ID], cancellationToken);
        return ToWorkspaceInstance(service, tasks[service.ID], await ListNodesAsync(cancellationToken));
    }

    /// <summary>A swarm service cannot be renamed, so a started one cannot become a user's: no warm pool here.</summary>
    public bool SupportsWarmPool => false;

    public Task<IReadOnlyList<WorkspaceInstance>> ListPoolAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<WorkspaceInstance>>([]);

    public Task<WorkspaceInstance> ClaimAsync(string containerId, string userName, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The swarm runtime keeps no warm pool.");

    public Task<string?> ReadGatewaySecretAsync(string containerId, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The swarm runtime keeps no warm pool.");

    public async Task<WorkspaceInstance> CreateAsync(WorkspaceSpec spec, CancellationToken cancellationToken)
    {
        var name = WorkspaceLabels.ContainerName(Options.InstanceId, spec.UserName);
        try
        {
            var template = Template(spec.Template);
            var settings = await SettingsAsync(template, spec, cancellationToken);
            var created = await EngineTrace.TraceAsync("docker service create", () => Docker.Swarm.CreateServiceAsync(
                new ServiceCreateParameters { Service = ServiceSpecFor(name, template, settings, spec) }, cancellationToken),
                userName: spec.UserName);
            return await InspectAsync(created.ID, cancellationToken)
                ?? throw new WorkspaceRuntimeException($"Service {name} vanished right after it was created.");
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // An earlier run that crashed, or a parallel pass, created it already: adopt it only if it is ours.
            var existing = await FindServiceAsync(name, cancellationToken)
                ?? throw new WorkspaceRuntimeException($"Service {name} conflicted on create and then vanished; it is retried.");
            if (WorkspaceLabels.Find(existing.Spec.Labels, WorkspaceLabels.Instance) != Options.InstanceId
                || WorkspaceLabels.Find(existing.Spec.Labels, WorkspaceLabels.User) != spec.UserName)
            {
                throw new WorkspaceRuntimeException(
                    $"A service named {name} exists that this SaasPanel installation does not own; rename or remove it.");
            }

            return await InspectAsync(existing.ID, cancellationToken)
                ?? throw new WorkspaceRuntimeException($"Service {name} vanished while it was adopted.");
        }
    }

    private ServiceSpec ServiceSpecFor(string name, WorkspaceTemplate template, WorkspaceContainerSettings settings, WorkspaceSpec spec)
    {
        // A service is never renamed (there is no warm pool on a swarm), so it and its tasks keep naming their user.
        var labels = new Dictionary<string, string>(settings.Labels) { [WorkspaceLabels.User] = spec.UserName };
        IList<Mount> mounts =
        [
            new Mount
            {
                Type = "volume",
                Source = settings.VolumeName,
                Target = WorkspaceContainer.Directory,
                VolumeOptions = new VolumeOptions { Labels = new Dictionary<string, string>(settings.VolumeLabels) },
            },
        ];
        if (settings.TmpSizeMb > 0)
        {
            mounts.Add(new Mount
            {
                Type = "tmpfs",
                Target = "/tmp",
                TmpfsOptions = new TmpfsOptions { SizeBytes = settings.TmpSizeMb * 1024L * 1024L },
            });
        }

        return new ServiceSpec
        {
            Name = name,
            Labels = labels,
            // Created with no task; StartAsync scales it to one.
            Mode = new ServiceMode { Replicated = new ReplicatedService { Replicas = 0 } },
            TaskTemplate = new TaskSpec
            {
                ContainerSpec = new ContainerSpec
                {
                    // An image id, not a tag: a node never tries to pull it (there is no registry) and every node runs the same build.
                    Image = spec.ImageId,
                    User = WorkspaceContainerSettings.User,
                    Labels = labels,
                    Env = settings.Environment.ToList(),
                    ReadOnly = template.ReadOnlyRoot,
                    CapabilityDrop = ["ALL"],
                    Mounts = mounts,
                    StopGracePeriod = (long)(Options.StopTimeout.TotalMilliseconds * 1_000_000),
                },
                Resources = new ResourceRequirements
                {
                    Limits = new SwarmLimit { MemoryBytes = settings.MemoryBytes, NanoCPUs = settings.NanoCpus, Pids = settings.PidsLimit },
                },
                // The engine restarts a task that failed (the app crashed); one the reconciler stopped stays stopped.
                RestartPolicy = new SwarmRestartPolicy
                {
                    Condition = "on-failure",
                    Delay = (long)TimeSpan.FromSeconds(1).TotalMilliseconds * 1_000_000,
                    MaxAttempts = 3,
                },
                Placement = new Placement { Constraints = [$"node.labels.{WorkspaceLabels.NodeImageLabel(spec.ImageId)}==true"] },
                LogDriver = new SwarmDriver
                {
                    Name = "json-file",
                    Options = new Dictionary<string, string> { ["max-size"] = "1m", ["max-file"] = "2" },
                },
            },
            // One task per workspace, ever: the old one stops before its replacement starts (its volume, its port).
            UpdateConfig = new SwarmUpdateConfig { Parallelism = 1, Order = "stop-first", FailureAction = "continue" },
            EndpointSpec = new EndpointSpec
            {
                Mode = "dnsrr",
                // No published port: the node picks one, the task's status reports it.
                Ports = [new PortConfig { Protocol = "tcp", TargetPort = (uint)template.Port, PublishMode = "host" }],
            },
        };
    }

    public async Task StartAsync(string containerId, CancellationToken cancellationToken)
    {
        var service = await InspectServiceAsync(containerId, cancellationToken);
        var since = DateTime.UtcNow;
        if (service.Spec.Mode.Replicated?.Replicas == 1
            && !(await ListTasksAsync([service.ID], cancellationToken))[service.ID]
                .Any(t => t.DesiredState == TaskState.Running && t.Status.State < TaskState.Running))
        {
            // Wanted already, yet not running and none on its way (its task failed for good): a forced update makes a new task.
            // One on its way (swarm replacing a task whose node went down) is waited for, not replaced again.
            service.Spec.TaskTemplate.ForceUpdate++;
        }

        service.Spec.Mode.Replicated = new ReplicatedService { Replicas = 1 };
        await UpdateServiceAsync(service, "docker service scale", cancellationToken);
        await WaitForTaskAsync(service.ID, since, cancellationToken);
    }

    public async Task StopAsync(string containerId, CancellationToken cancellationToken)
    {
        var service = await InspectServiceAsync(containerId, cancellationToken);
        if (service.Spec.Mode.Replicated?.Replicas != 0)
        {
            service.Spec.Mode.Replicated = new ReplicatedService { Replicas = 0 };
            await UpdateServiceAsync(service, "docker service scale", cancellationToken);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.StopTimeout + Options.StartTimeout);
        try
        {
            while ((await ListTasksAsync([service.ID], deadline.Token))[service.ID].Any(t => t.Status.State == TaskState.Running))
            {
                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WorkspaceRuntimeException($"The task of service {service.Spec.Name} was still running after it was scaled to 0.");
        }
    }

    public async Task RestartAsync(string containerId, CancellationToken cancellationToken)
    {
        var service = await InspectServiceAsync(containerId, cancellationToken);
        var since = DateTime.UtcNow;
        service.Spec.TaskTemplate.ForceUpdate++;
        await UpdateServiceAsync(service, "docker service update --force", cancellationToken);
        await WaitForTaskAsync(service.ID, since, cancellationToken);
    }

    /// <summary>
    /// Waits until a task created after <paramref name="since"/> runs (swarm starts tasks on its own time, the seam's
    /// start is synchronous). A task that fails, or cannot be placed, ends the wait with swarm's own reason.
    /// </summary>
    private async Task WaitForTaskAsync(string serviceId, DateTime since, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.StartTimeout);
        TaskResponse? last = null;
        try
        {
            while (true)
            {
                var tasks = (await ListTasksAsync([serviceId], deadline.Token))[serviceId]
                    .Where(t => t.CreatedAt >= since.AddSeconds(-1) || t.Status.Timestamp >= since)
                    .OrderByDescending(t => t.CreatedAt)
                    .ToList();
                last = tasks.FirstOrDefault() ?? last;
                if (tasks.Any(t => t.Status.State == TaskState.Running && t.DesiredState == TaskState.Running))
                {
                    return;
                }

                if (last is { Status.State: TaskState.Failed or TaskState.Rejected } failed && failed.Status.Err is { Length: > 0 } err
                    && !tasks.Any(t => t.DesiredState == TaskState.Running && t.Status.State < TaskState.Running && t.ID != failed.ID))
                {
                    throw new WorkspaceRuntimeException($"The workspace's task {failed.Status.State.ToString().ToLowerInvariant()}: {err}");
                }

                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WorkspaceRuntimeException($"No task of the workspace ran within {Options.StartTimeout.TotalSeconds:0} s: " +
                (last is null ? "swarm made none" : $"{Describe(last)}"));
        }
    }

    public async Task RemoveAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await EngineTrace.TraceAsync("docker service rm", () => Docker.Swarm.RemoveServiceAsync(containerId, cancellationToken), containerId);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: that is the state we wanted.
        }
    }

    // Swarm gathers the lines from whichever nodes ran the service's tasks (those that are up).
    protected override Task<MultiplexedStream> OpenLogsAsync(string containerId, string tail, bool follow, CancellationToken cancellationToken) =>
        Docker.Swarm.GetServiceLogsAsync(containerId, tty: false,
            new ServiceLogsParameters { ShowStdout = true, ShowStderr = true, Timestamps = true, Follow = follow, Tail = tail }, cancellationToken);

    public async Task<WorkspaceStats> GetStatsAsync(string containerId, CancellationToken cancellationToken)
    {
        var running = (await ListTasksAsync([containerId], cancellationToken))[containerId]
            .FirstOrDefault(t => t.Status.State == TaskState.Running)
            ?? throw new WorkspaceRuntimeException($"Service {containerId} has no running task.");
        // A manager answers for the whole swarm, but only a node's own engine has its containers' statistics.
        if (running.NodeID != await ManagerNodeIdAsync(cancellationToken))
        {
            throw new WorkspaceRuntimeException(
                $"The workspace runs on node {running.NodeID}; its statistics are only on that node's engine, not at {EngineEndpoint}.");
        }

        return await EngineStreams.ReadStatsAsync(Docker, running.Status.ContainerStatus.ContainerID, cancellationToken);
    }

    public async IAsyncEnumerable<WorkspaceInstanceEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await ManagerNodeIdAsync(cancellationToken);
        var events = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true });
        var monitor = Task.Run(async () =>
        {
            try
            {
                await Docker.System.MonitorEventsAsync(new ContainerEventsParameters
                {
                    Filters = new Dictionary<string, IDictionary<string, bool>>
                    {
                        ["type"] = new Dictionary<string, bool> { ["service"] = true, ["node"] = true },
                    },
                }, new SynchronousProgress<Message>(message => events.Writer.TryWrite(message)), cancellationToken);
                events.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                events.Writer.TryComplete(ex);
            }
        }, cancellationToken);

        yield return WorkspaceInstanceEvent.Connected;
        var prefix = WorkspaceLabels.ContainerName(Options.InstanceId, "");
        await foreach (var message in events.Reader.ReadAllAsync(cancellationToken))
        {
            if (message.Type == "node")
            {
                // A node went down or came back: its tasks move, and API 1.41 has no task events; re-list everything.
                yield return WorkspaceInstanceEvent.Connected;
            }
            else if (WorkspaceLabels.Find(message.Actor?.Attributes, "name") is { } name && name.StartsWith(prefix, StringComparison.Ordinal))
            {
                // Service events carry the name only; the name is this installation's prefix and the user.
                yield return new WorkspaceInstanceEvent(message.Action, message.Actor!.ID, name[prefix.Length..]);
            }
        }

        await monitor;
    }

    public async Task PingAsync(CancellationToken cancellationToken) => await ManagerNodeIdAsync(cancellationToken);

    public async Task<EngineInfo> GetEngineInfoAsync(CancellationToken cancellationToken)
    {
        var version = await EngineTrace.TraceAsync("docker version", () => Docker.System.GetVersionAsync(cancellationToken));
        var nodes = (await ListNodesAsync(cancellationToken)).Values.Where(n => n.Status.State == "ready").ToList();
        var running = (await ListAsync(null, cancellationToken)).Count(w => w.Running);
        return new EngineInfo(EngineEndpoint, version.Version, version.APIVersion, $"Docker Swarm, {nodes.Count} node(s) ready",
            (int)(nodes.Sum(n => n.Description.Resources.NanoCPUs) / 1_000_000_000),
            nodes.Sum(n => n.Description.Resources.MemoryBytes), running);
    }

    /// <summary>The manager's own node id; throws when the engine is not a swarm manager (the runtime cannot work then).</summary>
    private async Task<string> ManagerNodeIdAsync(CancellationToken cancellationToken)
    {
        var info = await EngineTrace.TraceAsync("docker info", () => Docker.System.GetSystemInfoAsync(cancellationToken));
        return info.Swarm is { ControlAvailable: true, NodeID: { Length: > 0 } nodeId }
            ? nodeId
            : throw new WorkspaceRuntimeException(
                $"The engine at {EngineEndpoint} is not a swarm manager (Runtime:Engine is swarm; its swarm state is " +
                $"'{info.Swarm?.LocalNodeState}'). Point Runtime:DockerHost at a manager, e.g. the one 'scripts/swarm-lab up' prints.");
    }

    private async Task<IList<SwarmService>> ListServicesAsync(string? userName, CancellationToken cancellationToken)
    {
        var labels = new List<string> { $"{WorkspaceLabels.Instance}={Options.InstanceId}" };
        if (userName is not null)
        {
            labels.Add($"{WorkspaceLabels.User}={userName}");
        }

        return (await EngineTrace.TraceAsync("docker service ls", () => Docker.Swarm.ListServicesAsync(
            new ServicesListParameters { Filters = new ServiceFilter { Label = [.. labels] } }, cancellationToken), userName: userName)).ToList();
    }

    private async Task<SwarmService?> FindServiceAsync(string idOrName, CancellationToken cancellationToken)
    {
        try
        {
            return await InspectServiceAsync(idOrName, cancellationToken);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private Task<SwarmService> InspectServiceAsync(string idOrName, CancellationToken cancellationToken) =>
        EngineTrace.TraceAsync("docker service inspect", () => Docker.Swarm.InspectServiceAsync(idOrName, cancellationToken), idOrName);

    private Task UpdateServiceAsync(SwarmService service, string command, CancellationToken cancellationToken) =>
        EngineTrace.TraceAsync(command, () => Docker.Swarm.UpdateServiceAsync(service.ID,
            new ServiceUpdateParameters { Service = service.Spec, Version = (long)service.Version.Index }, cancellationToken), service.ID);

    private async Task<ILookup<string, TaskResponse>> ListTasksAsync(IEnumerable<string> serviceIds, CancellationToken cancellationToken)
    {
        var filter = serviceIds.ToDictionary(id => id, _ => true);
        var tasks = await EngineTrace.TraceAsync("docker service ps", () => Docker.Tasks.ListAsync(new TasksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["service"] = filter },
        }, cancellationToken));
        return tasks.ToLookup(t => t.ServiceID);
    }

    private async Task<Dictionary<string, NodeListResponse>> ListNodesAsync(CancellationToken cancellationToken) =>
        (await EngineTrace.TraceAsync("docker node ls", () => Docker.Swarm.ListNodesAsync(cancellationToken))).ToDictionary(n => n.ID);

    private WorkspaceInstance ToWorkspaceInstance(SwarmService service, IEnumerable<TaskResponse> tasks, Dictionary<string, NodeListResponse> nodes)
    {
        var labels = service.Spec.Labels ?? new Dictionary<string, string>();
        // The task swarm means to run; on a node that went down it still looks running until swarm replaces it.
        var current = tasks.Where(t => t.DesiredState == TaskState.Running).OrderByDescending(t => t.CreatedAt).FirstOrDefault();
        var node = current is null ? null : WorkspaceLabels.Find(nodes, current.NodeID);
        var running = current is { Status.State: TaskState.Running } && node is { Status.State: "ready" };
        return new WorkspaceInstance(
            service.ID,
            WorkspaceLabels.Find(labels, WorkspaceLabels.User) ?? "",
            WorkspaceLabels.Find(labels, WorkspaceLabels.Template) ?? "",
            WorkspaceLabels.GenerationOf(labels),
            service.Spec.TaskTemplate.ContainerSpec.Image,
            running,
            current is null ? $"no task ({service.Spec.Mode.Replicated?.Replicas ?? 0} replicas)"
                : node is { Status.State: not "ready" } ? $"{Describe(current)}, on node {node.Description.Hostname} which is {node.Status.State}"
                : Describe(current),
            running ? EndpointOf(current!, node!) : null,
            running ? current!.Status.Timestamp : null,
            WorkspaceLabels.Find(labels, WorkspaceLabels.Limits));
    }

    private static string Describe(TaskResponse task) =>
        task.Status.State.ToString().ToLowerInvariant()
        + (task.Status.Err is { Length: > 0 } err ? $": {err}" : task.Status.Message is { Length: > 0 } message ? $" ({message})" : "");

    /// <summary>The node's address and the port the task published on it in host mode; null before it has one.</summary>
    private static WorkspaceEndpoint? EndpointOf(TaskResponse task, NodeListResponse node) =>
        task.Status.PortStatus?.Ports?.FirstOrDefault(p => p.PublishedPort > 0) is { } port
        && IPAddress.TryParse(node.Status.Addr, out var address)
            ? new WorkspaceEndpoint(new UriBuilder(Uri.UriSchemeHttp, address.ToString(), (int)port.PublishedPort).Uri.GetLeftPart(UriPartial.Authority))
            : null;
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using SaasPanel.Contracts;
using SaasPanel.Control.Telemetry;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Runtime;

/// <summary>
/// Workspaces as Docker containers: one per user, hardened, publishing no port, attached only to this
/// installation's network (no traffic between containers, no route out unless the template allows egress),
/// reached at their address on it; their files on a named volume that outlives the container.
/// </summary>
internal sealed class DockerWorkspaceRuntime(
    DockerEngine engine, WorkspaceReadinessProbe probe, WorkspaceVolumes volumes, IOptions<RuntimeOptions> options)
    : EngineWorkspaceRuntime(engine, probe, volumes, options), IWorkspaceRuntime
{
    private const string IccOption = "com.docker.network.bridge.enable_icc";

    private readonly SemaphoreSlim _networkLock = new(1, 1);

    protected override string LogsCommand => "docker logs";

    /// <summary>This installation's containers; of one workspace (a user's, or a pool member's) when named.</summary>
    private Dictionary<string, IDictionary<string, bool>> InstanceFilter(string? type = null, string? workspaceName = null)
    {
        var filters = WorkspaceLabels.InstanceFilter(Options.InstanceId);
        if (type is not null)
        {
            filters["type"] = new Dictionary<string, bool> { [type] = true };
        }

        if (workspaceName is not null)
        {
            filters["name"] = WorkspaceLabels.NameFilter(Options.InstanceId, workspaceName);
        }

        return filters;
    }

    /// <summary>
    /// Whose workspace a container is: by its name (its labels name no user, so a pool member becomes a user's by a rename),
    /// or by the user label that containers made before the warm pool carry.
    /// </summary>
    private string? WorkspaceNameOf(IDictionary<string, string>? labels, string? containerName) =>
        WorkspaceLabels.Find(labels, WorkspaceLabels.User) ?? WorkspaceLabels.WorkspaceNameOf(Options.InstanceId, containerName);

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await EnsureNetworkAsync(egress: false, cancellationToken);
        if (Options.Templates.Values.Any(t => t.Egress))
        {
            await EnsureNetworkAsync(egress: true, cancellationToken);
        }
    }

    /// <summary>
    /// Finds the network, or creates it; one of that name that this installation does not own is never used.
    /// One at a time: the engine's duplicate check is not atomic, and two networks of one name break every create.
    /// </summary>
    private async Task<string> EnsureNetworkAsync(bool egress, CancellationToken cancellationToken)
    {
        var name = NetworkName(egress);
        await _networkLock.WaitAsync(cancellationToken);
        try
        {
            var existing = await EngineTrace.TraceAsync("docker network ls", () => Docker.Networks.ListNetworksAsync(new NetworksListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [name] = true } },
            }, cancellationToken));
            // The name filter matches substrings; only the exact name counts.
            var named = existing.Where(n => n.Name == name).OrderBy(n => n.Created).ToList();
            if (named.Count == 0)
            {
                await CreateNetworkAsync(name, egress, cancellationToken);
                return name;
            }

            foreach (var network in named)
            {
                if (WorkspaceLabels.Find(network.Labels, WorkspaceLabels.Instance) != Options.InstanceId)
                {
                    throw new WorkspaceRuntimeException(
                        $"A network named {name} exists that this SaasPanel installation does not own; rename or remove it.");
                }
            }

            // Duplicates of our own (left by an older version's race): keep the oldest, remove the empty rest.
            foreach (var duplicate in named.Skip(1).Where(n => n.Containers is not { Count: > 0 }))
            {
                await EngineTrace.TraceAsync("docker network rm", () => Docker.Networks.DeleteNetworkAsync(duplicate.ID, cancellationToken));
            }

            return name;
        }
        finally
        {
            _networkLock.Release();
        }
    }

    /// <summary>The network a workspace joins: the internal one, or the routed one of templates that allow egress.</summary>
    private string NetworkName(bool egress) =>
        egress ? WorkspaceLabels.EgressNetworkName(Options.InstanceId) : WorkspaceLabels.IsolatedNetworkName(Options.InstanceId);

    private Task CreateNetworkAsync(string name, bool egress, CancellationToken cancellationToken) =>
        EngineTrace.TraceAsync("docker network create", () => Docker.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = name,
            Driver = "bridge",
            CheckDuplicate = true,
            Internal = !egress,
            Labels = new Dictionary<string, string> { [WorkspaceLabels.Managed] = "true", [WorkspaceLabels.Instance] = Options.InstanceId },
            // Workspaces never reach each other; only the host (the gateway) reaches them.
            Options = new Dictionary<string, string> { [IccOption] = "false" },
        }, cancellationToken));

    public async Task<IReadOnlyList<WorkspaceInstance>> ListAsync(string? userName, CancellationToken cancellationToken) =>
        (await ListContainersAsync(userName, cancellationToken)).Where(c => !WorkspaceLabels.IsPoolMember(c.UserName)).ToList();

    private Task<IList<ContainerListResponse>> ListContainersAsync(IDictionary<string, IDictionary<string, bool>> filters, string? workspaceName,
        CancellationToken cancellationToken) =>
        EngineTrace.TraceAsync("docker ps", () => Docker.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = filters }, cancellationToken), userName: workspaceName);

    public bool SupportsWarmPool => true;

    public async Task<IReadOnlyList<WorkspaceInstance>> ListPoolAsync(CancellationToken cancellationToken) =>
        (await ListContainersAsync(null, cancellationToken)).Where(c => WorkspaceLabels.IsPoolMember(c.UserName)).ToList();

    public async Task<WorkspaceInstance> ClaimAsync(string containerId, string userName, CancellationToken cancellationToken)
    {
        var member = await InspectAsync(containerId, cancellationToken);
        if (member is null || !WorkspaceLabels.IsPoolMember(member.UserName))
        {
            throw new WorkspaceRuntimeException($"The warm pool member {containerId} is gone or belongs to someone ({member?.UserName}).");
        }

        await EngineTrace.TraceAsync("docker rename", () => Docker.Containers.RenameContainerAsync(containerId,
            new ContainerRenameParameters { NewName = WorkspaceLabels.ContainerName(Options.InstanceId, userName) }, cancellationToken),
            userName: userName);
        return member with { UserName = userName };
    }

    public async Task<string?> ReadGatewaySecretAsync(string containerId, CancellationToken cancellationToken)
    {
        var prefix = WorkspaceEnvironment.GatewaySecret + "=";
        var container = await InspectContainerAsync(containerId, cancellationToken);
        return container.Config.Env?.FirstOrDefault(e => e.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
    }

    /// <summary>
    /// Every workspace container of this installation (users' and pool members'), or those of one workspace: the one of its
    /// name, and any labelled as its user's (made before the warm pool, or by hand), which a name filter cannot find.
    /// </summary>
    private async Task<IReadOnlyList<WorkspaceInstance>> ListContainersAsync(string? workspaceName, CancellationToken cancellationToken)
    {
        IList<ContainerListResponse> containers;
        if (workspaceName is null)
        {
            containers = await ListContainersAsync(InstanceFilter(), workspaceName, cancellationToken);
        }
        else
        {
            var byName = ListContainersAsync(InstanceFilter(workspaceName: workspaceName), workspaceName, cancellationToken);
            var byLabel = ListContainersAsync(WorkspaceLabels.InstanceFilter(Options.InstanceId, workspaceName), workspaceName, cancellationToken);
            containers = [.. (await byName).Concat(await byLabel).DistinctBy(c => c.ID)];
        }

        var instances = new List<WorkspaceInstance>(containers.Count);
        foreach (var c in containers)
        {
            if (WorkspaceNameOf(c.Labels, c.Names?.FirstOrDefault()) is not { } name)
            {
                continue;
            }

            instances.Add(new WorkspaceInstance(
                c.ID,
                name,
                WorkspaceLabels.Find(c.Labels, WorkspaceLabels.Template) ?? "",
                WorkspaceLabels.GenerationOf(c.Labels),
                c.ImageID,
                c.State == "running",
                c.Status,
                c.State == "running" ? EndpointOf(c.Labels, c.NetworkSettings?.Networks) : null,
                StartedAt: null,
                WorkspaceLabels.Find(c.Labels, WorkspaceLabels.Limits)));
        }

        return instances;
    }

    public async Task<WorkspaceInstance?> InspectAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            return ToWorkspaceInstance(await InspectContainerAsync(containerId, cancellationToken));
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }

    public async Task<WorkspaceInstance> CreateAsync(WorkspaceSpec spec, CancellationToken cancellationToken)
    {
        var name = WorkspaceLabels.ContainerName(Options.InstanceId, spec.UserName);
        var template = Template(spec.Template);
        try
        {
            // Ensured on every create, so a network someone removed is back before the container needs it.
            var network = await EnsureNetworkAsync(template.Egress, cancellationToken);
            var settings = await SettingsAsync(template, spec, cancellationToken);
            var created = await EngineTrace.TraceAsync("docker create",
                () => Docker.Containers.CreateContainerAsync(CreateParameters(name, network, template, settings, spec.ImageId), cancellationToken),
                userName: spec.UserName);
            return await InspectAsync(created.ID, cancellationToken)
                ?? throw new WorkspaceRuntimeException($"Container {name} vanished right after it was created.");
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // Someone (an earlier run that crashed, a parallel pass) created it already: adopt it only if it is ours.
            var existing = await InspectContainerAsync(name, cancellationToken);
            var labels = existing.Config.Labels ?? new Dictionary<string, string>();
            if (WorkspaceLabels.Find(labels, WorkspaceLabels.Instance) != Options.InstanceId
                || WorkspaceNameOf(labels, existing.Name) != spec.UserName)
            {
                throw new WorkspaceRuntimeException(
                    $"A container named {name} exists that this SaasPanel installation does not own; rename or remove it.");
            }

            return ToWorkspaceInstance(existing);
        }
    }

    private static CreateContainerParameters CreateParameters(string name, string network, WorkspaceTemplate template,
        WorkspaceContainerSettings settings, string imageId)
    {
        var labels = new Dictionary<string, string>(settings.Labels);
        return new CreateContainerParameters
        {
            Name = name,
            Image = imageId,
            User = WorkspaceContainerSettings.User,
            Labels = labels,
            Env = settings.Environment.ToList(),
            // No published port: the gateway dials the container's address on the installation's network.
            NetworkingConfig = new NetworkingConfig { EndpointsConfig = new Dictionary<string, EndpointSettings> { [network] = new() } },
            HostConfig = new HostConfig
            {
                NetworkMode = network,
                ReadonlyRootfs = template.ReadOnlyRoot,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
                Memory = settings.MemoryBytes,
                MemorySwap = settings.MemoryBytes,
                NanoCPUs = settings.NanoCpus,
                PidsLimit = settings.PidsLimit,
                Tmpfs = settings.TmpSizeMb > 0
                    ? new Dictionary<string, string> { ["/tmp"] = $"rw,noexec,nosuid,size={settings.TmpSizeMb}m" }
                    : null,
                Mounts =
                [
                    new Mount
                    {
                        Type = "volume",
                        Source = settings.VolumeName,
                        Target = WorkspaceContainer.Directory,
                        VolumeOptions = new VolumeOptions { Labels = new Dictionary<string, string>(settings.VolumeLabels) },
                    },
                ],
                // The reconciler decides what runs; the engine must not restart anything on its own.
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
                LogConfig = new LogConfig
                {
                    Type = "json-file",
                    Config = new Dictionary<string, string> { ["max-size"] = "1m", ["max-file"] = "2" },
                },
            },
        };
    }

    public Task StartAsync(string containerId, CancellationToken cancellationToken) =>
        EngineTrace.TraceAsync("docker start", () => Docker.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken),
            containerId);

    public Task StopAsync(string containerId, CancellationToken cancellationToken) =>
        EngineTrace.TraceAsync("docker stop", () => Docker.Containers.StopContainerAsync(containerId,
            new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Options.StopTimeout.TotalSeconds }, cancellationToken), containerId);

    public Task RestartAsync(string containerId, CancellationToken cancellationToken) =>
        EngineTrace.TraceAsync("docker restart", () => Docker.Containers.RestartContainerAsync(containerId,
            new ContainerRestartParameters { WaitBeforeKillSeconds = (uint)Options.StopTimeout.TotalSeconds }, cancellationToken), containerId);

    public async Task RemoveAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await EngineTrace.TraceAsync("docker rm", () => Docker.Containers.RemoveContainerAsync(containerId,
                new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken), containerId);
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone: that is the state we wanted.
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // "removal already in progress" (a parallel pass or an engine event): it will be gone.
        }
    }

    protected override Task<MultiplexedStream> OpenLogsAsync(string containerId, string tail, bool follow, CancellationToken cancellationToken) =>
        Docker.Containers.GetContainerLogsAsync(containerId, tty: false,
            new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Timestamps = true, Follow = follow, Tail = tail }, cancellationToken);

    public Task<WorkspaceStats> GetStatsAsync(string containerId, CancellationToken cancellationToken) =>
        EngineStreams.ReadStatsAsync(Docker, containerId, cancellationToken);

    public async IAsyncEnumerable<WorkspaceInstanceEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Events are not replayed across a lost stream (or an engine restart): the caller re-lists on Connected.
        await PingAsync(cancellationToken);
        var events = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true });
        var monitor = Task.Run(async () =>
        {
            try
            {
                await Docker.System.MonitorEventsAsync(new ContainerEventsParameters { Filters = InstanceFilter("container") },
                    new SynchronousProgress<Message>(message => events.Writer.TryWrite(message)), cancellationToken);
                events.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                events.Writer.TryComplete(ex);
            }
        }, cancellationToken);

        yield return WorkspaceInstanceEvent.Connected;
        await foreach (var message in events.Reader.ReadAllAsync(cancellationToken))
        {
            // A pool member's events matter to nobody's workspace until a claim renames it (its "rename" event names the user).
            if (message.Actor is { } actor
                && WorkspaceNameOf(actor.Attributes, WorkspaceLabels.Find(actor.Attributes, "name")) is { } user
                && !WorkspaceLabels.IsPoolMember(user))
            {
                yield return new WorkspaceInstanceEvent(message.Action, actor.ID, user);
            }
        }

        await monitor;
    }

    public Task PingAsync(CancellationToken cancellationToken) =>
        EngineTrace.TraceAsync("docker ping", () => Docker.System.PingAsync(cancellationToken));

    public async Task<EngineInfo> GetEngineInfoAsync(CancellationToken cancellationToken)
    {
        var info = await EngineTrace.TraceAsync("docker info", () => Docker.System.GetSystemInfoAsync(cancellationToken));
        var version = await EngineTrace.TraceAsync("docker version", () => Docker.System.GetVersionAsync(cancellationToken));
        return new EngineInfo(EngineEndpoint, info.ServerVersion, version.APIVersion, info.OperatingSystem,
            (int)info.NCPU, info.MemTotal, (int)info.ContainersRunning);
    }

    private Task<ContainerInspectResponse> InspectContainerAsync(string containerIdOrName, CancellationToken cancellationToken) =>
        EngineTrace.TraceAsync("docker inspect", () => Docker.Containers.InspectContainerAsync(containerIdOrName, cancellationToken), containerIdOrName);

    private WorkspaceInstance ToWorkspaceInstance(ContainerInspectResponse container)
    {
        var labels = container.Config.Labels ?? new Dictionary<string, string>();
        return new WorkspaceInstance(
            container.ID,
            WorkspaceNameOf(labels, container.Name) ?? "",
            WorkspaceLabels.Find(labels, WorkspaceLabels.Template) ?? "",
            WorkspaceLabels.GenerationOf(labels),
            container.Image,
            container.State.Running,
            container.State.Status,
            container.State.Running ? EndpointOf(labels, container.NetworkSettings?.Networks) : null,
            DateTime.TryParse(container.State.StartedAt, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var started) && started.Year > 1
                ? started : null,
            WorkspaceLabels.Find(labels, WorkspaceLabels.Limits));
    }

    /// <summary>The container's address on the installation's network and its template's port; null while it has none.</summary>
    private WorkspaceEndpoint? EndpointOf(IDictionary<string, string> labels, IDictionary<string, EndpointSettings>? networks)
    {
        if (Options.FindTemplate(WorkspaceLabels.Find(labels, WorkspaceLabels.Template)) is not { } template)
        {
            return null;
        }

        var network = NetworkName(template.Egress);
        return WorkspaceLabels.Find(networks, network)?.IPAddress is { Length: > 0 } address && IPAddress.TryParse(address, out var ip)
            ? new WorkspaceEndpoint(new UriBuilder(Uri.UriSchemeHttp, ip.ToString(), template.Port).Uri.GetLeftPart(UriPartial.Authority))
            : null;
    }
}

public sealed class WorkspaceRuntimeException(string message) : Exception(message);

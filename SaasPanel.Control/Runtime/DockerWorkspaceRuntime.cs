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
internal sealed class DockerWorkspaceRuntime(DockerEngine engine, WorkspaceReadinessProbe probe, IOptions<RuntimeOptions> options)
    : IWorkspaceRuntime
{
    private const string ContainerUser = "10001:10001";
    private const string IccOption = "com.docker.network.bridge.enable_icc";

    private readonly RuntimeOptions _options = options.Value;
    private readonly SemaphoreSlim _networkLock = new(1, 1);

    private DockerClient Docker => engine.Client;

    public string EngineEndpoint => engine.Endpoint;

    private Dictionary<string, IDictionary<string, bool>> InstanceFilter(string? type = null, string? userName = null)
    {
        var labels = new Dictionary<string, bool> { [$"{WorkspaceLabels.Instance}={_options.InstanceId}"] = true };
        if (userName is not null)
        {
            labels[$"{WorkspaceLabels.User}={userName}"] = true;
        }

        var filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels };
        if (type is not null)
        {
            filters["type"] = new Dictionary<string, bool> { [type] = true };
        }

        return filters;
    }

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await EnsureNetworkAsync(egress: false, cancellationToken);
        if (_options.Templates.Values.Any(t => t.Egress))
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
            var existing = await TraceAsync("docker network ls", () => Docker.Networks.ListNetworksAsync(new NetworksListParameters
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
                if (Lookup(network.Labels, WorkspaceLabels.Instance) != _options.InstanceId)
                {
                    throw new WorkspaceRuntimeException(
                        $"A network named {name} exists that this SaasPanel installation does not own; rename or remove it.");
                }
            }

            // Duplicates of our own (left by an older version's race): keep the oldest, remove the empty rest.
            foreach (var duplicate in named.Skip(1).Where(n => n.Containers is not { Count: > 0 }))
            {
                await TraceAsync("docker network rm", () => Docker.Networks.DeleteNetworkAsync(duplicate.ID, cancellationToken));
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
        egress ? WorkspaceLabels.EgressNetworkName(_options.InstanceId) : WorkspaceLabels.IsolatedNetworkName(_options.InstanceId);

    private Task CreateNetworkAsync(string name, bool egress, CancellationToken cancellationToken) =>
        TraceAsync("docker network create", () => Docker.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = name,
            Driver = "bridge",
            CheckDuplicate = true,
            Internal = !egress,
            Labels = new Dictionary<string, string> { [WorkspaceLabels.Managed] = "true", [WorkspaceLabels.Instance] = _options.InstanceId },
            // Workspaces never reach each other; only the host (the gateway) reaches them.
            Options = new Dictionary<string, string> { [IccOption] = "false" },
        }, cancellationToken));

    public async Task<string> ResolveImageAsync(string template, CancellationToken cancellationToken)
    {
        var image = Template(template).Image;
        return (await TraceAsync("docker image inspect", () => Docker.Images.InspectImageAsync(image, cancellationToken))).ID;
    }

    private WorkspaceTemplate Template(string name) =>
        _options.FindTemplate(name) ?? throw new WorkspaceRuntimeException($"No template '{name}' is configured (Runtime:Templates).");

    public async Task<IReadOnlyList<WorkspaceInstance>> ListAsync(string? userName, CancellationToken cancellationToken)
    {
        var containers = await TraceAsync("docker ps", () => Docker.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = InstanceFilter(userName: userName) }, cancellationToken), userName: userName);
        return containers
            .Where(c => c.Labels.ContainsKey(WorkspaceLabels.User))
            .Select(c => new WorkspaceInstance(
                c.ID,
                c.Labels[WorkspaceLabels.User],
                Lookup(c.Labels, WorkspaceLabels.Template) ?? "",
                ParseGeneration(c.Labels),
                c.ImageID,
                c.State == "running",
                c.Status,
                c.State == "running" ? EndpointOf(c.Labels, c.NetworkSettings?.Networks) : null,
                StartedAt: null))
            .ToList();
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
        var name = WorkspaceLabels.ContainerName(_options.InstanceId, spec.UserName);
        var template = Template(spec.Template);
        try
        {
            // Ensured on every create, so a network someone removed is back before the container needs it.
            var network = await EnsureNetworkAsync(template.Egress, cancellationToken);
            var created = await TraceAsync("docker create",
                () => Docker.Containers.CreateContainerAsync(CreateParameters(name, network, template, spec), cancellationToken),
                userName: spec.UserName);
            return await InspectAsync(created.ID, cancellationToken)
                ?? throw new WorkspaceRuntimeException($"Container {name} vanished right after it was created.");
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // Someone (an earlier run that crashed, a parallel pass) created it already: adopt it only if it is ours.
            var existing = await InspectContainerAsync(name, cancellationToken);
            var labels = existing.Config.Labels ?? new Dictionary<string, string>();
            if (Lookup(labels, WorkspaceLabels.Instance) != _options.InstanceId
                || Lookup(labels, WorkspaceLabels.User) != spec.UserName)
            {
                throw new WorkspaceRuntimeException(
                    $"A container named {name} exists that this SaasPanel installation does not own; rename or remove it.");
            }

            return ToWorkspaceInstance(existing);
        }
    }

    private CreateContainerParameters CreateParameters(string name, string network, WorkspaceTemplate template, WorkspaceSpec spec)
    {
        var labels = new Dictionary<string, string>
        {
            [WorkspaceLabels.Managed] = "true",
            [WorkspaceLabels.Instance] = _options.InstanceId,
            [WorkspaceLabels.User] = spec.UserName,
            [WorkspaceLabels.Generation] = spec.Generation.ToString(CultureInfo.InvariantCulture),
            [WorkspaceLabels.Template] = spec.Template,
        };
        var memoryBytes = (template.MemoryLimitMb ?? _options.MemoryLimitMb) * 1024L * 1024L;
        var tmpSizeMb = template.TmpSizeMb ?? _options.TmpSizeMb;
        IEnumerable<string> identity =
        [
            $"{WorkspaceEnvironment.UserName}={spec.UserName}",
            $"{WorkspaceEnvironment.Email}={spec.Email}",
            $"{WorkspaceEnvironment.GatewaySecret}={spec.GatewaySecret}",
            $"{WorkspaceEnvironment.WorkspaceDirectory}={WorkspaceContainer.Directory}",
        ];
        return new CreateContainerParameters
        {
            Name = name,
            Image = spec.ImageId,
            User = ContainerUser,
            Labels = labels,
            Env = template.Environment.Select(e => $"{e.Key}={e.Value}").Concat(identity).ToList(),
            // No published port: the gateway dials the container's address on the installation's network.
            NetworkingConfig = new NetworkingConfig { EndpointsConfig = new Dictionary<string, EndpointSettings> { [network] = new() } },
            HostConfig = new HostConfig
            {
                NetworkMode = network,
                ReadonlyRootfs = template.ReadOnlyRoot,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
                Memory = memoryBytes,
                MemorySwap = memoryBytes,
                NanoCPUs = (long)((template.CpuLimit ?? _options.CpuLimit) * 1_000_000_000),
                PidsLimit = template.PidsLimit ?? _options.PidsLimit,
                Tmpfs = tmpSizeMb > 0 ? new Dictionary<string, string> { ["/tmp"] = $"rw,noexec,nosuid,size={tmpSizeMb}m" } : null,
                Mounts =
                [
                    new Mount
                    {
                        Type = "volume",
                        Source = VolumeName(spec.UserName),
                        Target = WorkspaceContainer.Directory,
                        VolumeOptions = new VolumeOptions { Labels = labels },
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

    private string VolumeName(string userName) => WorkspaceLabels.ContainerName(_options.InstanceId, userName) + "-workspace";

    public Task StartAsync(string containerId, CancellationToken cancellationToken) =>
        TraceAsync("docker start", () => Docker.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken),
            containerId);

    public Task StopAsync(string containerId, CancellationToken cancellationToken) =>
        TraceAsync("docker stop", () => Docker.Containers.StopContainerAsync(containerId,
            new ContainerStopParameters { WaitBeforeKillSeconds = (uint)_options.StopTimeout.TotalSeconds }, cancellationToken), containerId);

    public Task RestartAsync(string containerId, CancellationToken cancellationToken) =>
        TraceAsync("docker restart", () => Docker.Containers.RestartContainerAsync(containerId,
            new ContainerRestartParameters { WaitBeforeKillSeconds = (uint)_options.StopTimeout.TotalSeconds }, cancellationToken), containerId);

    public Task<bool> WaitUntilReadyAsync(WorkspaceInstance container, TimeSpan timeout, CancellationToken cancellationToken) =>
        container.Endpoint is { } endpoint
            ? probe.WaitUntilReadyAsync(endpoint, Template(container.Template).ReadinessPath, timeout, cancellationToken)
            : Task.FromResult(false);

    public async Task RemoveAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await TraceAsync("docker rm", () => Docker.Containers.RemoveContainerAsync(containerId,
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

    public async Task RemoveDataAsync(string userName, CancellationToken cancellationToken)
    {
        try
        {
            await TraceAsync("docker volume rm", () => Docker.Volumes.RemoveAsync(VolumeName(userName), force: true, cancellationToken),
                userName: userName);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // No volume: nothing to remove.
        }
    }

    public async Task<IReadOnlyList<string>> ListDataAsync(CancellationToken cancellationToken)
    {
        var volumes = await TraceAsync("docker volume ls",
            () => Docker.Volumes.ListAsync(new VolumesListParameters { Filters = InstanceFilter() }, cancellationToken));
        return (volumes.Volumes ?? [])
            .Select(v => Lookup(v.Labels, WorkspaceLabels.User))
            .OfType<string>()
            .ToList();
    }

    public async IAsyncEnumerable<string> GetLogsAsync(string containerId, int tail, bool follow,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Timestamps = true,
            Follow = follow,
            Tail = tail.ToString(CultureInfo.InvariantCulture),
        };
        // The span covers opening the stream only: following it lasts as long as the reader stays.
        using var stream = await TraceAsync("docker logs",
            () => Docker.Containers.GetContainerLogsAsync(containerId, tty: false, parameters, cancellationToken), containerId);

        var buffer = new byte[16 * 1024];
        var pending = new StringBuilder();
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            if (read.EOF)
            {
                break;
            }

            pending.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
            var text = pending.ToString();
            var lastNewLine = text.LastIndexOf('\n');
            if (lastNewLine < 0)
            {
                continue;
            }

            foreach (var line in text[..lastNewLine].Split('\n'))
            {
                yield return line.TrimEnd('\r');
            }

            pending.Clear().Append(text[(lastNewLine + 1)..]);
        }

        if (pending.Length > 0)
        {
            yield return pending.ToString();
        }
    }

    public async Task<WorkspaceStats> GetStatsAsync(string containerId, CancellationToken cancellationToken)
    {
        ContainerStatsResponse? stats = null;
        await TraceAsync("docker stats", () => Docker.Containers.GetContainerStatsAsync(containerId,
            new ContainerStatsParameters { Stream = false }, new SynchronousProgress<ContainerStatsResponse>(s => stats = s), cancellationToken),
            containerId);
        if (stats is null)
        {
            throw new WorkspaceRuntimeException($"The engine returned no statistics for container {containerId}.");
        }

        var cpuDelta = (double)stats.CPUStats.CPUUsage.TotalUsage - stats.PreCPUStats.CPUUsage.TotalUsage;
        var systemDelta = (double)stats.CPUStats.SystemUsage - stats.PreCPUStats.SystemUsage;
        var cpus = stats.CPUStats.OnlineCPUs > 0 ? stats.CPUStats.OnlineCPUs : 1;
        var cpuPercent = systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * cpus * 100 : 0;
        // As `docker stats` does: page cache is reclaimable, so it is not counted as used.
        var cache = Math.Max(Lookup(stats.MemoryStats.Stats, "total_inactive_file"), Lookup(stats.MemoryStats.Stats, "inactive_file"));
        var memory = (long)(stats.MemoryStats.Usage - Math.Min(cache, stats.MemoryStats.Usage));
        return new WorkspaceStats(Math.Round(cpuPercent, 2), memory, (long)stats.MemoryStats.Limit, (int)stats.PidsStats.Current);
    }

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
            if (message.Actor is { } actor && Lookup(actor.Attributes, WorkspaceLabels.User) is { } user)
            {
                yield return new WorkspaceInstanceEvent(message.Action, actor.ID, user);
            }
        }

        await monitor;
    }

    public Task PingAsync(CancellationToken cancellationToken) =>
        TraceAsync("docker ping", () => Docker.System.PingAsync(cancellationToken));

    public async Task<EngineInfo> GetEngineInfoAsync(CancellationToken cancellationToken)
    {
        var info = await TraceAsync("docker info", () => Docker.System.GetSystemInfoAsync(cancellationToken));
        var version = await TraceAsync("docker version", () => Docker.System.GetVersionAsync(cancellationToken));
        return new EngineInfo(engine.Endpoint, info.ServerVersion, version.APIVersion, info.OperatingSystem,
            (int)info.NCPU, info.MemTotal, (int)info.ContainersRunning);
    }

    private Task<ContainerInspectResponse> InspectContainerAsync(string containerIdOrName, CancellationToken cancellationToken) =>
        TraceAsync("docker inspect", () => Docker.Containers.InspectContainerAsync(containerIdOrName, cancellationToken), containerIdOrName);

    /// <summary>
    /// Runs one engine call in a client span named after the matching <c>docker</c> command, so every call
    /// shows in the trace of the reconcile or request that made it. Docker.DotNet has no instrumentation of its own.
    /// </summary>
    private static async Task<T> TraceAsync<T>(string command, Func<Task<T>> call, string? containerId = null, string? userName = null)
    {
        using var activity = ControlTelemetry.ActivitySource.StartActivity(command, ActivityKind.Client);
        activity?.SetTag("container.id", containerId);
        activity?.SetTag(TelemetryConventions.UserTag, userName);
        try
        {
            return await call();
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.SetTag("error.type", ex.GetType().FullName);
            throw;
        }
    }

    private static Task TraceAsync(string command, Func<Task> call, string? containerId = null, string? userName = null) =>
        TraceAsync(command, async () =>
        {
            await call();
            return true;
        }, containerId, userName);

    private WorkspaceInstance ToWorkspaceInstance(ContainerInspectResponse container)
    {
        var labels = container.Config.Labels ?? new Dictionary<string, string>();
        return new WorkspaceInstance(
            container.ID,
            Lookup(labels, WorkspaceLabels.User) ?? "",
            Lookup(labels, WorkspaceLabels.Template) ?? "",
            ParseGeneration(labels),
            container.Image,
            container.State.Running,
            container.State.Status,
            container.State.Running ? EndpointOf(labels, container.NetworkSettings?.Networks) : null,
            DateTime.TryParse(container.State.StartedAt, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var started) && started.Year > 1
                ? started : null);
    }

    /// <summary>The container's address on the installation's network and its template's port; null while it has none.</summary>
    private WorkspaceEndpoint? EndpointOf(IDictionary<string, string> labels, IDictionary<string, EndpointSettings>? networks)
    {
        if (_options.FindTemplate(Lookup(labels, WorkspaceLabels.Template)) is not { } template)
        {
            return null;
        }

        var network = NetworkName(template.Egress);
        return Lookup(networks, network)?.IPAddress is { Length: > 0 } address && IPAddress.TryParse(address, out var ip)
            ? new WorkspaceEndpoint(new UriBuilder(Uri.UriSchemeHttp, ip.ToString(), template.Port).Uri.GetLeftPart(UriPartial.Authority))
            : null;
    }

    private static int ParseGeneration(IDictionary<string, string> labels) =>
        int.TryParse(Lookup(labels, WorkspaceLabels.Generation), CultureInfo.InvariantCulture, out var generation) ? generation : 0;

    private static TValue? Lookup<TValue>(IDictionary<string, TValue>? values, string key) =>
        values is not null && values.TryGetValue(key, out var value) ? value : default;

    /// <summary>Unlike <see cref="Progress{T}"/>, reports on the caller's thread, in order.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

public sealed class WorkspaceRuntimeException(string message) : Exception(message);

using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// Removes every container, volume and network labelled <c>saaspanel.instance=&lt;id&gt;</c> (Control's workspaces, its
/// networks, whatever a test or the benchmark made by hand) and nothing else on the engine. The one clean-up of the
/// tests and the benchmark (SaasPanel.Benchmarks compiles this file in).
/// </summary>
internal static class InstanceCleanup
{
    private const int Parallelism = 8;
    private const int Rounds = 5;

    public static async Task<(int Containers, int Volumes)> RemoveAsync(DockerClient docker, string instanceId, CancellationToken cancellationToken)
    {
        var filters = InstanceFilter(instanceId);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
        await RemoveServicesAsync(docker, instanceId, cancellationToken);
        var (containerCount, volumeCount) = (0, 0);
        // A container whose create (or start) was on its way when Control stopped appears after the listing, and its volume
        // and network are then in use: another round removes it, then them (bounded: the engine creates nothing new once
        // Control is gone).
        for (var round = 1; ; round++)
        {
            var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filters }, cancellationToken);
            await Parallel.ForEachAsync(containers, parallel, async (container, ct) => await RemoveContainerAsync(docker, container.ID, ct));

            var volumes = (await docker.Volumes.ListAsync(new VolumesListParameters { Filters = filters }, cancellationToken)).Volumes ?? [];
            var inUse = 0;
            await Parallel.ForEachAsync(volumes, parallel, async (volume, ct) =>
            {
                if (!await RemoveVolumeAsync(docker, volume.Name, lastRound: round == Rounds, ct))
                {
                    Interlocked.Increment(ref inUse);
                }
            });
            (containerCount, volumeCount) = (containerCount + containers.Count, volumeCount + volumes.Count - inUse);

            // Last: a network still in use by a container cannot go.
            foreach (var network in await docker.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filters }, cancellationToken))
            {
                if (!await RemoveNetworkAsync(docker, network.ID, lastRound: round == Rounds, cancellationToken))
                {
                    inUse++;
                }
            }

            if (inUse == 0)
            {
                break;
            }

            await Task.Delay(200, cancellationToken);
        }

        return (containerCount, volumeCount);
    }

    /// <summary>The engine's filter for everything labelled with this instance id.</summary>
    public static Dictionary<string, IDictionary<string, bool>> InstanceFilter(string instanceId) => WorkspaceLabels.InstanceFilter(instanceId);

    /// <summary>A swarm manager's services of this instance (SwarmWorkspaceRuntime's workspaces); an engine not in a swarm has none.</summary>
    private static async Task RemoveServicesAsync(DockerClient docker, string instanceId, CancellationToken cancellationToken)
    {
        // Docker.DotNet answers a non-manager's 503 with a bare Exception: ask first.
        if ((await docker.System.GetSystemInfoAsync(cancellationToken)).Swarm is not { ControlAvailable: true })
        {
            return;
        }

        var services = (await docker.Swarm.ListServicesAsync(
            new ServicesListParameters { Filters = new ServiceFilter { Label = [$"{WorkspaceLabels.Instance}={instanceId}"] } }, cancellationToken)).ToList();
        if (services.Count == 0)
        {
            return;
        }

        foreach (var service in services)
        {
            try
            {
                await docker.Swarm.RemoveServiceAsync(service.ID, cancellationToken);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                // Gone already (Control was removing it too).
            }
        }

        // Their task containers go with them, a moment later; volumes in use by one cannot be removed before.
        for (var wait = 0; wait < 100 && (await docker.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = InstanceFilter(instanceId) }, cancellationToken)).Count > 0; wait++)
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task RemoveContainerAsync(DockerClient docker, string id, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
            // Gone already (Control was removing it too).
        }
    }

    /// <summary>False when a container still uses the volume (and this is not the last round, which throws).</summary>
    private static async Task<bool> RemoveVolumeAsync(DockerClient docker, string name, bool lastRound, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Volumes.RemoveAsync(name, force: true, cancellationToken);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Gone already.
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict && !lastRound)
        {
            return false;
        }

        return true;
    }

    /// <summary>False when a container still has an endpoint on the network (and this is not the last round, which throws).</summary>
    private static async Task<bool> RemoveNetworkAsync(DockerClient docker, string id, bool lastRound, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Networks.DeleteNetworkAsync(id, cancellationToken);
        }
        catch (DockerNetworkNotFoundException)
        {
            // Gone already.
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Forbidden && !lastRound)
        {
            return false;
        }

        return true;
    }
}

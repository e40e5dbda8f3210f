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

    public static async Task<(int Containers, int Volumes)> RemoveAsync(DockerClient docker, string instanceId, CancellationToken cancellationToken)
    {
        var filters = InstanceFilter(instanceId);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
        await RemoveServicesAsync(docker, instanceId, cancellationToken);
        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filters }, cancellationToken);
        await Parallel.ForEachAsync(containers, parallel, async (container, ct) => await RemoveContainerAsync(docker, container.ID, ct));

        var volumes = (await docker.Volumes.ListAsync(new VolumesListParameters { Filters = filters }, cancellationToken)).Volumes ?? [];
        await Parallel.ForEachAsync(volumes, parallel, async (volume, ct) => await RemoveVolumeAsync(docker, volume.Name, ct));

        // Last: a network still in use by a container cannot go.
        foreach (var network in await docker.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filters }, cancellationToken))
        {
            await RemoveNetworkAsync(docker, network.ID, cancellationToken);
        }

        return (containers.Count, volumes.Count);
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

    private static async Task RemoveVolumeAsync(DockerClient docker, string name, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Volumes.RemoveAsync(name, force: true, cancellationToken);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Gone already.
        }
    }

    private static async Task RemoveNetworkAsync(DockerClient docker, string id, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Networks.DeleteNetworkAsync(id, cancellationToken);
        }
        catch (DockerNetworkNotFoundException)
        {
            // Gone already.
        }
    }
}

using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Benchmarks.Machine;

/// <summary>
/// Removes every container, volume and network labelled <c>saaspanel.instance=&lt;id&gt;</c>: the workspaces Control
/// made for the run, its networks and the bare <c>docker run</c> containers, and nothing else on the engine.
/// </summary>
internal static class InstanceCleanup
{
    private const int Parallelism = 8;

    public static async Task<(int Containers, int Volumes)> RemoveAsync(string instanceId, CancellationToken cancellationToken)
    {
        // Control's own engine client: the same endpoint (DOCKER_HOST or the default socket) as the workspaces'.
        using var engine = new DockerEngine(Options.Create(new RuntimeOptions()));
        var docker = engine.Client;
        var filters = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [$"{WorkspaceLabels.Instance}={instanceId}"] = true },
        };
        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filters }, cancellationToken);
        await Parallel.ForEachAsync(containers, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (container, ct) => await RemoveContainerAsync(docker, container.ID, ct));

        var volumes = (await docker.Volumes.ListAsync(new VolumesListParameters { Filters = filters }, cancellationToken)).Volumes ?? [];
        await Parallel.ForEachAsync(volumes, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (volume, ct) => await RemoveVolumeAsync(docker, volume.Name, ct));

        foreach (var network in await docker.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filters }, cancellationToken))
        {
            await docker.Networks.DeleteNetworkAsync(network.ID, cancellationToken);
        }

        return (containers.Count, volumes.Count);
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
}

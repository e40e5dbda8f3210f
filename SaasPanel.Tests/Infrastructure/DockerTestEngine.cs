using Docker.DotNet;
using Docker.DotNet.Models;
using SaasPanel.AppHost;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// The real engine that <c>scripts/test</c> makes sure is running. Tests label whatever they
/// create with their own instance id and remove it by that label, never anything else.
/// </summary>
public static class DockerTestEngine
{
    public const string ManagedLabel = "saaspanel.managed";
    public const string InstanceLabel = "saaspanel.instance";

    private static readonly Lazy<string> s_userAppImageTag = new(() => UserAppImage.TagFor(TestPaths.RepositoryRoot));

    /// <summary>The tag of this checkout's UserApp image, which every Control in a test runs (as the AppHost's does).</summary>
    public static string UserAppImageTag => s_userAppImageTag.Value;

    public static DockerClient CreateClient() =>
        new DockerClientConfiguration(new Uri(Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock"))
            .CreateClient();

    /// <summary>Builds (or finds, when its inputs are unchanged) the UserApp image; returns its tag.</summary>
    public static Task<string> BuildUserAppImageAsync(CancellationToken cancellationToken) =>
        UserAppImage.BuildAsync(TestPaths.RepositoryRoot, cancellationToken);

    /// <summary>Removes every container, volume and network labelled with this instance id.</summary>
    public static async Task RemoveInstanceAsync(DockerClient client, string instanceId)
    {
        foreach (var container in await ListContainersAsync(client, instanceId))
        {
            await client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }

        foreach (var volume in await ListVolumesAsync(client, instanceId))
        {
            await client.Volumes.RemoveAsync(volume.Name, force: true);
        }

        foreach (var network in await ListNetworksAsync(client, instanceId))
        {
            await client.Networks.DeleteNetworkAsync(network.ID);
        }
    }

    public static async Task<IList<NetworkResponse>> ListNetworksAsync(DockerClient client, string instanceId) =>
        await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = InstanceFilter(instanceId) });

    public static async Task<IList<ContainerListResponse>> ListContainersAsync(DockerClient client, string instanceId) =>
        await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = InstanceFilter(instanceId) });

    public static async Task<IList<VolumeResponse>> ListVolumesAsync(DockerClient client, string instanceId) =>
        (await client.Volumes.ListAsync(new VolumesListParameters { Filters = InstanceFilter(instanceId) })).Volumes ?? [];

    private static Dictionary<string, IDictionary<string, bool>> InstanceFilter(string instanceId) => new()
    {
        ["label"] = new Dictionary<string, bool> { [$"{InstanceLabel}={instanceId}"] = true },
    };
}

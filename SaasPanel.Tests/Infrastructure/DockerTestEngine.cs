using Docker.DotNet;
using Docker.DotNet.Models;
using SaasPanel.AppHost;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// The real engine that <c>scripts/test</c> makes sure is running. Tests label whatever they
/// create with their own instance id and remove it by that label, never anything else.
/// </summary>
public static class DockerTestEngine
{
    private static readonly TimeSpan s_cleanupTimeout = TimeSpan.FromMinutes(1);
    private static readonly TemplateImage s_userAppImage = TemplateImage.UserApp(TestPaths.RepositoryRoot);
    private static readonly TemplateImage s_staticImage = TemplateImage.Static(TestPaths.RepositoryRoot);
    private static readonly Lazy<string> s_userAppImageTag = new(s_userAppImage.PrintTag);
    private static readonly Lazy<string> s_staticImageTag = new(s_staticImage.PrintTag);

    /// <summary>The tag of this checkout's UserApp image, which every Control in a test runs (as the AppHost's does).</summary>
    public static string UserAppImageTag => s_userAppImageTag.Value;

    /// <summary>The tag of this checkout's static template image (busybox httpd; its <c>nc</c> also serves as a network probe).</summary>
    public static string StaticImageTag => s_staticImageTag.Value;

    /// <summary>The labels of whatever a test creates, so <see cref="RemoveInstanceAsync"/> finds it.</summary>
    public static Dictionary<string, string> LabelsFor(string instanceId) => new()
    {
        [WorkspaceLabels.Managed] = "true",
        [WorkspaceLabels.Instance] = instanceId,
    };

    public static DockerClient CreateClient() =>
        new DockerClientConfiguration(new Uri(Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock"))
            .CreateClient();

    /// <summary>Builds (or finds, when its inputs are unchanged) the UserApp image; returns its tag.</summary>
    public static Task<string> BuildUserAppImageAsync(CancellationToken cancellationToken) =>
        s_userAppImage.BuildAsync(cancellationToken);

    /// <summary>Builds (or finds, when its inputs are unchanged) the static template image; returns its tag.</summary>
    public static Task<string> BuildStaticImageAsync(CancellationToken cancellationToken) =>
        s_staticImage.BuildAsync(cancellationToken);

    /// <summary>Removes every container, volume and network labelled with this instance id.</summary>
    public static async Task RemoveInstanceAsync(DockerClient client, string instanceId)
    {
        using var timeout = new CancellationTokenSource(s_cleanupTimeout);
        await InstanceCleanup.RemoveAsync(client, instanceId, timeout.Token);
    }

    public static async Task<IList<ContainerListResponse>> ListContainersAsync(DockerClient client, string instanceId) =>
        await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = InstanceCleanup.InstanceFilter(instanceId) });

    public static async Task<IList<VolumeResponse>> ListVolumesAsync(DockerClient client, string instanceId) =>
        (await client.Volumes.ListAsync(new VolumesListParameters { Filters = InstanceCleanup.InstanceFilter(instanceId) })).Volumes ?? [];

    public static async Task<IList<NetworkResponse>> ListNetworksAsync(DockerClient client, string instanceId) =>
        await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = InstanceCleanup.InstanceFilter(instanceId) });
}

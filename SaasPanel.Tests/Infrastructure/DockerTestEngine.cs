using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// The real engine that <c>scripts/test</c> makes sure is running. Tests label whatever they
/// create with their own instance id and remove it by that label, never anything else.
/// </summary>
public static class DockerTestEngine
{
    public const string ManagedLabel = "saaspanel.managed";
    public const string InstanceLabel = "saaspanel.instance";

    public static DockerClient CreateClient() =>
        new DockerClientConfiguration(new Uri(Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock"))
            .CreateClient();

    /// <summary>Builds (or finds, when its inputs are unchanged) the UserApp image; returns its tag.</summary>
    public static async Task<string> BuildUserAppImageAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Path.Combine(TestPaths.RepositoryRoot, "scripts", "build-userapp-image"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestPaths.RepositoryRoot,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start build-userapp-image");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"build-userapp-image failed ({process.ExitCode}): {await stderr}");
        }

        return (await stdout).Trim();
    }

    public static async Task RemoveContainersAsync(DockerClient client, string instanceId)
    {
        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{InstanceLabel}={instanceId}"] = true },
            },
        });
        foreach (var container in containers)
        {
            await client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }
    }
}

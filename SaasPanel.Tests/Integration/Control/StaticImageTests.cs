using System.Globalization;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using SaasPanel.Contracts;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>
/// The static template image as Control runs it: hardened, on an internal bridge without inter-container
/// traffic, no published port, reached at its address on that network.
/// </summary>
public sealed class StaticImageTests
{
    private const long MaxImageBytes = 5_000_000;
    private const int Port = 8080;

    [Fact]
    public async Task A_fresh_volume_gets_a_default_page_and_the_users_own_files_are_served()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var image = await DockerTestEngine.BuildStaticImageAsync(timeout.Token);
        Assert.Equal(image, DockerTestEngine.StaticImageTag);
        Assert.Matches("^saaspanel-static:[0-9a-f]{16}$", image);
        var instanceId = TestPaths.NewInstanceId("static");
        using var docker = DockerTestEngine.CreateClient();
        try
        {
            Assert.InRange((await docker.Images.InspectImageAsync(image, timeout.Token)).Size, 1, MaxImageBytes);
            var workspace = await Workspace.StartAsync(docker, image, instanceId, timeout.Token);
            using var http = new HttpClient { BaseAddress = new Uri($"http://{workspace.Address}:{Port}") };

            var page = await WaitForPageAsync(http, "/", timeout.Token);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync(timeout.Token);
            Assert.Contains("<h1>Your workspace</h1>", html);

            // The user's files, written into the volume by another container of the same image (as the user).
            var writer = await workspace.RunBesideAsync(["/bin/sh", "-c", "echo 'my own page' > /workspace/notes.txt"], timeout.Token);
            Assert.Equal(0, writer);
            Assert.Equal("my own page\n", await http.GetStringAsync("/notes.txt", timeout.Token));
        }
        finally
        {
            await DockerTestEngine.RemoveInstanceAsync(docker, instanceId);
        }

        Assert.Empty(await DockerTestEngine.ListContainersAsync(docker, instanceId));
        Assert.Empty(await DockerTestEngine.ListVolumesAsync(docker, instanceId));
        Assert.Empty(await DockerTestEngine.ListNetworksAsync(docker, instanceId));
    }

    [Fact]
    public async Task The_probe_reaches_its_own_containers_loopback_port_and_reports_a_closed_one()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var image = await DockerTestEngine.BuildStaticImageAsync(timeout.Token);
        var instanceId = TestPaths.NewInstanceId("probe");
        using var docker = DockerTestEngine.CreateClient();
        try
        {
            var workspace = await Workspace.StartAsync(docker, image, instanceId, timeout.Token);
            using var http = new HttpClient { BaseAddress = new Uri($"http://{workspace.Address}:{Port}") };
            await WaitForPageAsync(http, "/", timeout.Token);

            // A positive control, so a failing probe elsewhere means "unreachable", not "the probe is broken".
            Assert.Equal(0, await workspace.ProbeAsync("127.0.0.1", Port, timeout.Token));
            Assert.NotEqual(0, await workspace.ProbeAsync("127.0.0.1", Port + 1, timeout.Token));
        }
        finally
        {
            await DockerTestEngine.RemoveInstanceAsync(docker, instanceId);
        }
    }

    private static async Task<HttpResponseMessage> WaitForPageAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        var response = await Eventually.GetAsync(
            async () =>
            {
                try
                {
                    return await http.GetAsync(path, cancellationToken);
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            },
            response => response is not null,
            TimeSpan.FromSeconds(20),
            $"{http.BaseAddress}{path} to answer",
            TimeSpan.FromMilliseconds(50));
        return response!;
    }

    /// <summary>One workspace container, hardened as Control runs it, on its own network and volume.</summary>
    private sealed class Workspace(DockerClient docker, string image, string instanceId, string network, string volume, string containerId, string address)
    {
        public string Address => address;

        public static async Task<Workspace> StartAsync(DockerClient docker, string image, string instanceId, CancellationToken cancellationToken)
        {
            var network = $"saaspanel-{instanceId}";
            await docker.Networks.CreateNetworkAsync(new NetworksCreateParameters
            {
                Name = network,
                Internal = true,
                Options = new Dictionary<string, string> { ["com.docker.network.bridge.enable_icc"] = "false" },
                Labels = DockerTestEngine.LabelsFor(instanceId),
            }, cancellationToken);
            var volume = $"saaspanel-{instanceId}-alice";
            await docker.Volumes.CreateAsync(new VolumesCreateParameters { Name = volume, Labels = DockerTestEngine.LabelsFor(instanceId) }, cancellationToken);

            var created = await docker.Containers.CreateContainerAsync(
                Hardened(image, instanceId, volume, network, $"saaspanel-{instanceId}-alice"), cancellationToken);
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
            var inspected = await docker.Containers.InspectContainerAsync(created.ID, cancellationToken);
            Assert.Empty(inspected.NetworkSettings.Ports?.Values.Where(bindings => bindings is { Count: > 0 }) ?? []);
            return new Workspace(docker, image, instanceId, network, volume, created.ID, inspected.NetworkSettings.Networks[network].IPAddress);
        }

        /// <summary>Runs a command in a second container of the image with the same volume; returns its exit code.</summary>
        public Task<long> RunBesideAsync(IList<string> command, CancellationToken cancellationToken)
        {
            var parameters = Hardened(image, instanceId, volume, network, name: null);
            parameters.Entrypoint = command;
            return RunToExitAsync(parameters, cancellationToken);
        }

        /// <summary>The isolation probe the tests use: the image's nc inside this container's network namespace.</summary>
        public Task<long> ProbeAsync(string host, int port, CancellationToken cancellationToken) =>
            RunToExitAsync(new CreateContainerParameters
            {
                Image = image,
                Labels = DockerTestEngine.LabelsFor(instanceId),
                Entrypoint = ["/bin/nc"],
                Cmd = ["-z", "-w", "1", host, port.ToString(CultureInfo.InvariantCulture)],
                HostConfig = new HostConfig { NetworkMode = $"container:{containerId}" },
            }, cancellationToken);

        private async Task<long> RunToExitAsync(CreateContainerParameters parameters, CancellationToken cancellationToken)
        {
            var created = await docker.Containers.CreateContainerAsync(parameters, cancellationToken);
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
            return (await docker.Containers.WaitContainerAsync(created.ID, cancellationToken)).StatusCode;
        }

        // What Control sets on every workspace: non-root, read-only root, no capabilities, no privilege gain, /tmp in memory.
        private static CreateContainerParameters Hardened(string image, string instanceId, string volume, string network, string? name) => new()
        {
            Image = image,
            Name = name,
            User = "10001:10001",
            Labels = DockerTestEngine.LabelsFor(instanceId),
            HostConfig = new HostConfig
            {
                ReadonlyRootfs = true,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,noexec,nosuid,size=16m" },
                Mounts = [new Mount { Type = "volume", Source = volume, Target = "/workspace" }],
                NetworkMode = network,
            },
        };
    }
}

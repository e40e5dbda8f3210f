using System.Net;
using Docker.DotNet.Models;
using SaasPanel.Contracts;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.UserApp;

/// <summary>The UserApp image as the engine runs it: built locally FROM scratch, small, serving on loopback.</summary>
public sealed class UserAppImageTests
{
    private const long MaxImageBytes = 30_000_000;
    private static readonly string ContainerPort = $"{WorkspaceContainer.Port}/tcp";

    [Fact]
    public async Task The_image_builds_and_a_labelled_container_answers_on_a_loopback_port()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var image = await DockerTestEngine.BuildUserAppImageAsync(timeout.Token);
        // What Control is told to run (the AppHost and the tests ask the script for the tag) is what was built.
        Assert.Equal(image, DockerTestEngine.UserAppImageTag);
        Assert.Matches("^saaspanel-userapp:[0-9a-f]{16}$", image);
        var instanceId = TestPaths.NewInstanceId("image");
        using var docker = DockerTestEngine.CreateClient();
        try
        {
            var inspected = await docker.Images.InspectImageAsync(image, timeout.Token);
            Assert.InRange(inspected.Size, 1, MaxImageBytes);

            var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = image,
                Name = $"saaspanel-{instanceId}-alice",
                Labels = DockerTestEngine.LabelsFor(instanceId),
                Env = [$"{WorkspaceEnvironment.GatewaySecret}=s3cret"],
                HostConfig = new HostConfig
                {
                    ReadonlyRootfs = true,
                    CapDrop = ["ALL"],
                    PortBindings = new Dictionary<string, IList<PortBinding>>
                    {
                        [ContainerPort] = [new PortBinding { HostIP = "127.0.0.1", HostPort = "" }],
                    },
                },
            }, timeout.Token);
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), timeout.Token);
            var container = await docker.Containers.InspectContainerAsync(created.ID, timeout.Token);
            var binding = Assert.Single(container.NetworkSettings.Ports[ContainerPort]);
            Assert.Equal("127.0.0.1", binding.HostIP);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{binding.HostPort}") };
            var health = await WaitForHealthAsync(http, timeout.Token);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Add(SaasPanel.Contracts.Headers.GatewaySecret, "s3cret");
            request.Headers.Add(SaasPanel.Contracts.Headers.ForwardedEmail, "alice@example.com");
            var page = await http.SendAsync(request, timeout.Token);
            var forbidden = await http.GetAsync("/", timeout.Token);

            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("alice@example.com", await page.Content.ReadAsStringAsync(timeout.Token));
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }
        finally
        {
            await DockerTestEngine.RemoveInstanceAsync(docker, instanceId);
        }
    }

    private static async Task<HttpResponseMessage> WaitForHealthAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                return await http.GetAsync(WorkspaceContainer.HealthPath, deadline.Token);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }
}

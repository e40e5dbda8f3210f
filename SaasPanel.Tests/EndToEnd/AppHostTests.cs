using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.EndToEnd;

/// <summary>The whole system as <c>scripts/run</c> starts it, on ports the AppHost allocates, its own data and instance id.</summary>
public sealed class AppHostTests
{
    [Fact]
    public async Task Auth_and_control_come_up_healthy_and_answer()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var dataDirectory = TestPaths.NewScratchDirectory("apphost");
        var apiKey = $"e2e-{Guid.NewGuid():N}";
        var instanceId = TestPaths.NewInstanceId("e2e");
        try
        {
            await StartAndAskAsync(dataDirectory, instanceId, apiKey, timeout.Token);
        }
        finally
        {
            // Control made its network and its warm pool on the engine: they go with the test.
            using var docker = DockerTestEngine.CreateClient();
            await DockerTestEngine.RemoveInstanceAsync(docker, instanceId);
        }
    }

    private static async Task StartAndAskAsync(string dataDirectory, string instanceId, string apiKey, CancellationToken cancellationToken)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SaasPanel_AppHost>(
            [
                "SaasPanel:AuthPort=0",
                "SaasPanel:ControlPort=0",
                $"SaasPanel:DataDirectory={dataDirectory}",
                $"SaasPanel:InstanceId={instanceId}",
                $"Parameters:control-api-key={apiKey}",
            ],
            cancellationToken);
        await using var app = await builder.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken);

        // The UserApp image build is a resource of its own (visible in the dashboard) that Control waits for.
        await app.ResourceNotifications.WaitForResourceAsync("userapp-image", KnownResourceStates.Finished, cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("control", cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("auth", cancellationToken);

        foreach (var service in new[] { "auth", "control" })
        {
            using var client = app.CreateHttpClient(service);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health", cancellationToken)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/", cancellationToken)).StatusCode);
        }

        // Control runs this checkout's image by its hashed tag, not a name another checkout could move (health detail is for the key).
        using var control = app.CreateHttpClient("control");
        control.DefaultRequestHeaders.Add(Contracts.Headers.ApiKey, apiKey);
        Assert.Contains($"{DockerTestEngine.UserAppImageTag} is sha256:", await control.GetStringAsync("/health", cancellationToken));
    }
}

using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>On a swarm, why a task failed is the engine's <c>Status.Err</c>: it becomes the workspace's error.</summary>
public sealed class SwarmTaskErrorTests(SwarmTestRuntime runtime) : IClassFixture<SwarmTestRuntime>
{
    [Fact]
    public async Task A_task_whose_app_exits_fails_the_workspace_with_the_tasks_own_error()
    {
        await DockerTestEngine.BuildUserAppImageAsync(CancellationToken.None);
        await using var control = new ControlHost(runtime: runtime, settings: new Dictionary<string, string?>
        {
            ["Runtime:StartTimeout"] = "00:00:30",
            ["Runtime:Templates:crashing:Image"] = DockerTestEngine.UserAppImageTag,
            // Kestrel cannot bind this, so the app exits at start, every time swarm restarts it.
            ["Runtime:Templates:crashing:Environment:ASPNETCORE_URLS"] = "http://+:not-a-port",
        });
        await control.ProvisionAsync("ivan", template: "crashing");

        var failed = await control.WaitForStateAsync("ivan", WorkspaceState.Failed, TimeSpan.FromSeconds(90));

        Assert.Contains("non-zero exit", failed.LastError);
    }
}

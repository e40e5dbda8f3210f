using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>On swarm, a workspace whose task fails tells why: the task's own error, as the engine reports it.</summary>
public sealed class SwarmTaskFailureTests(SwarmTestRuntime runtime) : IClassFixture<SwarmTestRuntime>
{
    private const string MissingCommand = "/does-not-exist";
    private const string Image = "saaspanel-test-missing-command:1";

    [Fact]
    public async Task A_task_that_cannot_start_fails_the_workspace_with_the_tasks_error_as_its_last_error()
    {
        // The lab's node runs what it holds: an image whose command is not in it fails every task at start.
        await runtime.Lab.BuildImageAsync(1, Image, $"FROM scratch\nCMD [\"{MissingCommand}\"]\n");
        await using var control = new ControlHost(runtime: runtime, settings: new Dictionary<string, string?>
        {
            ["Runtime:StartTimeout"] = "00:00:10",
            ["Runtime:Templates:missing:Image"] = Image,
        });
        await control.ProvisionAsync("ines", template: "missing");

        // Alone it fails within 30 s; CI's load (every other test class's containers on the same 2 cores) took it past 60.
        var failed = await control.WaitForStateAsync("ines", WorkspaceState.Failed, TimeSpan.FromSeconds(120));

        Assert.Contains("task", failed.LastError);
        Assert.Contains(MissingCommand, failed.LastError);
    }
}

using System.Net;
using Docker.DotNet.Models;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>
/// The engine changed behind Control's back, or Control died mid-way: it converges again by itself, on the host's
/// engine and on a one-node swarm.
/// </summary>
public abstract class ReconcilerTests(TestRuntime runtime) : IAsyncLifetime
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(10);
    private string _image = null!;

    public async Task InitializeAsync() => _image = await DockerTestEngine.BuildUserAppImageAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_removed_or_stopped_workspace_comes_back_and_strangers_are_pruned_but_unlabelled_ones_untouched()
    {
        await using var control = new ControlHost(runtime: runtime);
        await control.ProvisionAsync("dave");
        var first = await control.WaitForStateAsync("dave", WorkspaceState.Running, TimeSpan.FromSeconds(30));

        await runtime.RemoveBehindControlsBackAsync(control.Docker, first.ContainerId!);
        var recreated = await control.WaitForStateAsync("dave", WorkspaceState.Running, RecoveryTimeout,
            w => w.ContainerId != first.ContainerId);

        await runtime.StopBehindControlsBackAsync(control.Docker, recreated.ContainerId!);
        await Eventually.AssertAsync(() => runtime.IsRunningAsync(control.Docker, recreated.ContainerId!), RecoveryTimeout,
            "the workspace stopped behind Control's back to run again");

        var stranger = await runtime.CreateIdleAsync(control.Docker, $"{control.Data.InstanceId}-stranger", _image, new Dictionary<string, string>
        {
            [WorkspaceLabels.Managed] = "true",
            [WorkspaceLabels.Instance] = control.Data.InstanceId,
            [WorkspaceLabels.User] = "nobody",
        });
        var unlabelled = await runtime.CreateIdleAsync(control.Docker, $"{control.Data.InstanceId}-unlabelled", _image, new Dictionary<string, string>());
        // Engine events are about containers: data of no workspace is found only by a sweep. Once it is gone, a sweep
        // that listed the engine after the unlabelled container existed has run, and pruned all it was going to.
        var sweepProbe = await CreateOrphanDataAsync(control, "sweep-probe");
        try
        {
            await Eventually.AssertAsync(async () => !await runtime.ExistsAsync(control.Docker, stranger), RecoveryTimeout,
                "the labelled container with no workspace to be removed");
            await Eventually.AssertAsync(async () => !await VolumeExistsAsync(control, sweepProbe), RecoveryTimeout,
                "a sweep to remove the labelled data with no workspace");
            Assert.True(await runtime.ExistsAsync(control.Docker, unlabelled));
            Assert.Single(await runtime.ListAsync(control.Docker, control.Data.InstanceId));
        }
        finally
        {
            await runtime.RemoveAsync(control.Docker, unlabelled);
        }
    }

    [Fact]
    public async Task Control_dying_while_provisioning_twenty_workspaces_converges_on_restart_without_duplicates()
    {
        var data = ServiceData.Create("control");
        var users = Enumerable.Range(1, 20).Select(i => $"user{i:00}").ToList();
        using var docker = runtime.CreateClient();
        try
        {
            await using (var first = new ControlHost(data, runtime: runtime))
            {
                var responses = await Task.WhenAll(users.Select(u => first.ProvisionAsync(u)));
                Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
                // Die while some workspaces exist on the engine and others do not yet.
                await Eventually.AssertAsync(async () => (await runtime.ListAsync(docker, data.InstanceId)).Count >= 3,
                    TimeSpan.FromSeconds(30), "the first workspaces to exist");
            }

            Assert.InRange((await runtime.ListAsync(docker, data.InstanceId)).Count, 1, 19);

            await using var second = new ControlHost(data, runtime: runtime);
            foreach (var user in users)
            {
                await second.WaitForStateAsync(user, WorkspaceState.Running, TimeSpan.FromSeconds(60));
            }

            var workloads = await runtime.ListAsync(docker, data.InstanceId);
            Assert.Equal(users.Order(), workloads.Select(w => w.User).Order());
            Assert.All(workloads, w => Assert.True(w.Running, $"{w.User} is not running"));
        }
        finally
        {
            await DockerTestEngine.RemoveInstanceAsync(docker, data.InstanceId);
            data.Delete();
        }
    }

    /// <summary>A workspace's data volume, named and labelled as Control makes them, for a user with no workspace.</summary>
    private static async Task<string> CreateOrphanDataAsync(ControlHost control, string userName)
    {
        var volume = await control.Docker.Volumes.CreateAsync(new VolumesCreateParameters
        {
            Name = WorkspaceLabels.VolumeName(control.Data.InstanceId, userName),
            Labels = new Dictionary<string, string>(DockerTestEngine.LabelsFor(control.Data.InstanceId)) { [WorkspaceLabels.User] = userName },
        });
        return volume.Name;
    }

    private static async Task<bool> VolumeExistsAsync(ControlHost control, string name) =>
        (await DockerTestEngine.ListVolumesAsync(control.Docker, control.Data.InstanceId)).Any(v => v.Name == name);
}

public sealed class DockerReconcilerTests(DockerTestRuntime runtime) : ReconcilerTests(runtime), IClassFixture<DockerTestRuntime>;

public sealed class SwarmReconcilerTests(SwarmTestRuntime runtime) : ReconcilerTests(runtime), IClassFixture<SwarmTestRuntime>;

using System.Net;
using Docker.DotNet.Models;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>The engine changed behind Control's back, or Control died mid-way: it converges again by itself.</summary>
public sealed class ReconcilerTests : IAsyncLifetime
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(10);
    private string _image = null!;

    public async Task InitializeAsync() => _image = await DockerTestEngine.BuildUserAppImageAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_removed_or_stopped_container_comes_back_and_strangers_are_pruned_but_unlabelled_ones_untouched()
    {
        await using var control = new ControlHost();
        await control.ProvisionAsync("dave");
        var first = await control.WaitForStateAsync("dave", WorkspaceState.Running, TimeSpan.FromSeconds(30));

        await control.Docker.Containers.RemoveContainerAsync(first.ContainerId, new ContainerRemoveParameters { Force = true });
        var recreated = await control.WaitForStateAsync("dave", WorkspaceState.Running, RecoveryTimeout,
            w => w.ContainerId != first.ContainerId);

        await control.Docker.Containers.StopContainerAsync(recreated.ContainerId, new ContainerStopParameters { WaitBeforeKillSeconds = 1 });
        await Eventually.AssertAsync(async () =>
            (await control.Docker.Containers.InspectContainerAsync(recreated.ContainerId)).State.Running, RecoveryTimeout,
            "the container stopped behind Control's back to run again");

        var stranger = await CreateIdleContainerAsync(control, $"{control.Data.InstanceId}-stranger", new Dictionary<string, string>
        {
            [WorkspaceLabels.Managed] = "true",
            [WorkspaceLabels.Instance] = control.Data.InstanceId,
            [WorkspaceLabels.User] = "nobody",
        });
        var unlabelled = await CreateIdleContainerAsync(control, $"{control.Data.InstanceId}-unlabelled", new Dictionary<string, string>());
        // Engine events are about containers: data of no workspace is found only by a sweep. Once it is gone, a sweep
        // that listed the engine after the unlabelled container existed has run, and pruned all it was going to.
        var sweepProbe = await CreateOrphanDataAsync(control, "sweep-probe");
        try
        {
            await Eventually.AssertAsync(async () => !await ExistsAsync(control, stranger), RecoveryTimeout,
                "the labelled container with no workspace to be removed");
            await Eventually.AssertAsync(async () => !await VolumeExistsAsync(control, sweepProbe), RecoveryTimeout,
                "a sweep to remove the labelled data with no workspace");
            Assert.True(await ExistsAsync(control, unlabelled));
            Assert.Single(await DockerTestEngine.ListContainersAsync(control.Docker, control.Data.InstanceId));
        }
        finally
        {
            await control.Docker.Containers.RemoveContainerAsync(unlabelled, new ContainerRemoveParameters { Force = true });
        }
    }

    [Fact]
    public async Task Control_dying_while_provisioning_twenty_workspaces_converges_on_restart_without_duplicates()
    {
        var data = ServiceData.Create("control");
        var users = Enumerable.Range(1, 20).Select(i => $"user{i:00}").ToList();
        using var docker = DockerTestEngine.CreateClient();
        try
        {
            await using (var first = new ControlHost(data))
            {
                var responses = await Task.WhenAll(users.Select(u => first.ProvisionAsync(u)));
                Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
                // Die while some containers exist and others do not yet.
                await Eventually.AssertAsync(async () => (await DockerTestEngine.ListContainersAsync(docker, data.InstanceId)).Count >= 3,
                    TimeSpan.FromSeconds(30), "the first containers to exist");
            }

            Assert.InRange((await DockerTestEngine.ListContainersAsync(docker, data.InstanceId)).Count, 1, 19);

            await using var second = new ControlHost(data);
            foreach (var user in users)
            {
                await second.WaitForStateAsync(user, WorkspaceState.Running, TimeSpan.FromSeconds(60));
            }

            var containers = await DockerTestEngine.ListContainersAsync(docker, data.InstanceId);
            Assert.Equal(users.Order(), containers.Select(c => c.Labels[WorkspaceLabels.User]).Order());
            Assert.All(containers, c => Assert.Equal("running", c.State));
        }
        finally
        {
            await DockerTestEngine.RemoveInstanceAsync(docker, data.InstanceId);
            data.Delete();
        }
    }

    private async Task<string> CreateIdleContainerAsync(ControlHost control, string name, Dictionary<string, string> labels)
    {
        var created = await control.Docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = _image,
            Labels = labels,
            HostConfig = new HostConfig { ReadonlyRootfs = true, CapDrop = ["ALL"] },
        });
        await control.Docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }

    /// <summary>A workspace's data volume, named and labelled as Control makes them, for a user with no workspace.</summary>
    private static async Task<string> CreateOrphanDataAsync(ControlHost control, string userName)
    {
        var volume = await control.Docker.Volumes.CreateAsync(new VolumesCreateParameters
        {
            Name = WorkspaceLabels.ContainerName(control.Data.InstanceId, userName) + "-workspace",
            Labels = new Dictionary<string, string>(DockerTestEngine.LabelsFor(control.Data.InstanceId)) { [WorkspaceLabels.User] = userName },
        });
        return volume.Name;
    }

    private static async Task<bool> VolumeExistsAsync(ControlHost control, string name) =>
        (await DockerTestEngine.ListVolumesAsync(control.Docker, control.Data.InstanceId)).Any(v => v.Name == name);

    private static async Task<bool> ExistsAsync(ControlHost control, string containerId)
    {
        try
        {
            await control.Docker.Containers.InspectContainerAsync(containerId);
            return true;
        }
        catch (Docker.DotNet.DockerContainerNotFoundException)
        {
            return false;
        }
    }
}

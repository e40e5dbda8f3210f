using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using SaasPanel.Control.Runtime;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Security;

/// <summary>
/// An attacker on a second installation of the same engine whose instance id extends the victim's: they register
/// <c>bar</c> on <c>{victim}-foo</c> to reach <c>foo-bar</c>'s names on <c>{victim}</c>, then delete their account.
/// </summary>
public sealed class NameCollisionAttackTests : IAsyncLifetime
{
    private readonly string _victim = $"sec{Guid.NewGuid():N}"[..12];
    private readonly Docker.DotNet.DockerClient _docker = DockerTestEngine.CreateClient();

    private string Attacker => _victim + "-foo";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await DockerTestEngine.RemoveInstanceAsync(_docker, _victim);
        await DockerTestEngine.RemoveInstanceAsync(_docker, Attacker);
        _docker.Dispose();
    }

    [Fact]
    public void The_attackers_workspace_is_named_apart_from_the_victims()
    {
        Assert.NotEqual(WorkspaceLabels.ContainerName(_victim, "foo-bar"), WorkspaceLabels.ContainerName(Attacker, "bar"));
        Assert.NotEqual(WorkspaceLabels.VolumeName(_victim, "foo-bar"), WorkspaceLabels.VolumeName(Attacker, "bar"));
    }

    [Fact]
    public async Task Deleting_the_attackers_data_leaves_the_victims_volume()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var victimVolume = await CreateVolumeAsync(WorkspaceLabels.VolumeName(_victim, "foo-bar"), _victim, "foo-bar", timeout.Token);
        // The name an installation before the separator gave it: the attacker's old-scheme name was the same one.
        var oldSchemeVolume = await CreateVolumeAsync($"saaspanel-{_victim}-foo-bar-workspace", _victim, "foo-bar", timeout.Token);

        var attacker = Options.Create(new RuntimeOptions { InstanceId = Attacker });
        using var engine = new DockerEngine(attacker);
        using var sizes = new VolumeSizes(engine, attacker, TimeProvider.System);
        var attackersVolumes = new WorkspaceVolumes(engine, sizes, attacker);
        var mounted = await attackersVolumes.NameOfAsync("bar", timeout.Token);
        await attackersVolumes.RemoveAsync("bar", volumeName: null, timeout.Token);

        Assert.NotEqual(oldSchemeVolume, mounted);
        Assert.NotEqual(victimVolume, mounted);
        var left = (await DockerTestEngine.ListVolumesAsync(_docker, _victim)).Select(v => v.Name);
        Assert.Contains(victimVolume, left);
        Assert.Contains(oldSchemeVolume, left);
    }

    [Fact]
    public async Task A_volume_named_the_old_way_stays_its_owners_and_is_removed_with_them()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var oldSchemeVolume = await CreateVolumeAsync($"saaspanel-{_victim}-foo-bar-workspace", _victim, "foo-bar", timeout.Token);
        var victim = Options.Create(new RuntimeOptions { InstanceId = _victim });
        using var engine = new DockerEngine(victim);
        using var sizes = new VolumeSizes(engine, victim, TimeProvider.System);
        var volumes = new WorkspaceVolumes(engine, sizes, victim);

        Assert.Equal(oldSchemeVolume, await volumes.NameOfAsync("foo-bar", timeout.Token));
        await volumes.RemoveAsync("foo-bar", volumeName: null, timeout.Token);
        Assert.Empty(await DockerTestEngine.ListVolumesAsync(_docker, _victim));
    }

    private async Task<string> CreateVolumeAsync(string name, string instanceId, string userName, CancellationToken cancellationToken) =>
        (await _docker.Volumes.CreateAsync(new VolumesCreateParameters
        {
            Name = name,
            Labels = new Dictionary<string, string>(DockerTestEngine.LabelsFor(instanceId)) { [WorkspaceLabels.User] = userName },
        }, cancellationToken)).Name;
}

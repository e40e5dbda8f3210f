using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;

namespace SaasPanel.Control.Runtime;

/// <summary>
/// The workspaces' named volumes on the engine Control talks to (on a swarm, the manager's own: volumes are node-local).
/// A volume is this installation's user's only by its labels, never by its name: names made before
/// <see cref="WorkspaceLabels.NameSeparator"/> could be another installation's.
/// </summary>
internal sealed class WorkspaceVolumes(DockerEngine engine, VolumeSizes sizes, IOptions<RuntimeOptions> options)
{
    private readonly string _instanceId = options.Value.InstanceId;

    /// <summary>The user's volume to mount: the one labelled theirs if there is one (kept across renames), else a new name.</summary>
    public async Task<string> NameOfAsync(string userName, CancellationToken cancellationToken) =>
        (await ListAsync(userName, cancellationToken)).Select(v => v.Name).Order(StringComparer.Ordinal).FirstOrDefault()
        ?? WorkspaceLabels.VolumeName(_instanceId, userName);

    /// <summary>The bytes each workspace's volume takes on disk, as <see cref="VolumeSizes"/> last read them.</summary>
    public Task<WorkspaceDataSizes> SizesAsync(CancellationToken cancellationToken) => sizes.ReadAsync(cancellationToken);

    public async Task<bool> ExistAsync(string userName, CancellationToken cancellationToken) => (await ListAsync(userName, cancellationToken)).Count > 0;

    /// <summary>
    /// Removes the volumes labelled as this installation's <paramref name="userName"/>'s and <paramref name="volumeName"/> when
    /// it is labelled as this installation's (a claimed pool member's, which names no user), and no other.
    /// </summary>
    public async Task RemoveAsync(string? userName, string? volumeName, CancellationToken cancellationToken)
    {
        var owned = userName is null ? [] : (await ListAsync(userName, cancellationToken)).ToList();
        if (volumeName is not null && owned.All(v => v.Name != volumeName))
        {
            owned.AddRange((await ListAsync(userName: null, cancellationToken)).Where(v => v.Name == volumeName));
        }

        foreach (var volume in owned)
        {
            try
            {
                await EngineTrace.TraceAsync("docker volume rm",
                    () => engine.Client.Volumes.RemoveAsync(volume.Name, force: true, cancellationToken), userName: userName);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                // Removed in between: nothing to remove.
            }
        }
    }

    public async Task<IReadOnlyList<string>> ListUsersAsync(CancellationToken cancellationToken) =>
        (await ListAsync(userName: null, cancellationToken))
            .Select(v => WorkspaceLabels.Find(v.Labels, WorkspaceLabels.User))
            .OfType<string>()
            .ToList();

    /// <summary>The volumes made for warm pool members (labelled with no user, named for the member), claimed or not.</summary>
    public async Task<IReadOnlyList<string>> ListPoolMembersAsync(CancellationToken cancellationToken) =>
        (await ListAsync(userName: null, cancellationToken))
            .Where(v => WorkspaceLabels.Find(v.Labels, WorkspaceLabels.User) is null
                && v.Name.StartsWith(WorkspaceLabels.ContainerName(_instanceId, WorkspaceLabels.PoolMemberPrefix), StringComparison.Ordinal))
            .Select(v => v.Name)
            .ToList();

    private async Task<IList<VolumeResponse>> ListAsync(string? userName, CancellationToken cancellationToken)
    {
        var volumes = await EngineTrace.TraceAsync("docker volume ls", () => engine.Client.Volumes.ListAsync(
            new VolumesListParameters { Filters = WorkspaceLabels.InstanceFilter(_instanceId, userName) }, cancellationToken));
        return volumes.Volumes ?? [];
    }
}

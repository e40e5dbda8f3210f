using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;

namespace SaasPanel.Control.Runtime;

/// <summary>
/// The workspaces' named volumes on the engine Control talks to (on a swarm, the manager's own: volumes are node-local).
/// </summary>
internal sealed class WorkspaceVolumes(DockerEngine engine, IOptions<RuntimeOptions> options)
{
    private readonly string _instanceId = options.Value.InstanceId;

    public async Task RemoveAsync(string userName, CancellationToken cancellationToken)
    {
        try
        {
            await EngineTrace.TraceAsync("docker volume rm",
                () => engine.Client.Volumes.RemoveAsync(WorkspaceLabels.VolumeName(_instanceId, userName), force: true, cancellationToken),
                userName: userName);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // No volume: nothing to remove.
        }
    }

    public async Task<IReadOnlyList<string>> ListUsersAsync(CancellationToken cancellationToken)
    {
        var volumes = await EngineTrace.TraceAsync("docker volume ls", () => engine.Client.Volumes.ListAsync(
            new VolumesListParameters { Filters = WorkspaceLabels.InstanceFilter(_instanceId) }, cancellationToken));
        return (volumes.Volumes ?? [])
            .Select(v => WorkspaceLabels.Find(v.Labels, WorkspaceLabels.User))
            .OfType<string>()
            .ToList();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
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

    // Docker.DotNet has no call for the engine's disk usage (GET /system/df), the only place the engine reports a volume's size.
    private readonly Lazy<HttpClient?> _engineHttp = new(() => EngineHttp(engine.Endpoint));

    /// <summary>The bytes the user's volume takes on disk, or null when the engine does not say (no volume, or no size).</summary>
    public async Task<long?> SizeAsync(string userName, CancellationToken cancellationToken)
    {
        if (_engineHttp.Value is not { } http)
        {
            return null;
        }

        var name = WorkspaceLabels.VolumeName(_instanceId, userName);
        var usage = await EngineTrace.TraceAsync("docker system df",
            () => http.GetFromJsonAsync<DiskUsage>("system/df?type=volume", cancellationToken), userName: userName);
        // The engine reports -1 when it could not measure the volume.
        return usage?.Volumes?.FirstOrDefault(v => v.Name == name)?.UsageData?.Size is >= 0 and var size ? size : null;
    }

    private static HttpClient? EngineHttp(string endpoint)
    {
        var uri = new Uri(endpoint);
        return uri.Scheme switch
        {
            "unix" => new HttpClient(new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(uri.LocalPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            })
            { BaseAddress = new Uri("http://engine/") },
            "tcp" or "http" => new HttpClient { BaseAddress = new UriBuilder(uri) { Scheme = "http", Path = "/" }.Uri },
            _ => null,
        };
    }

    private sealed record DiskUsage(IReadOnlyList<VolumeUsage>? Volumes);

    private sealed record VolumeUsage(string Name, VolumeSize? UsageData);

    private sealed record VolumeSize(long Size);

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

using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;

namespace SaasPanel.Control.Runtime;

/// <summary>
/// The workspaces' named volumes on the engine Control talks to (on a swarm, the manager's own: volumes are node-local).
/// A volume is this installation's user's only by its labels, never by its name: names made before
/// <see cref="WorkspaceLabels.NameSeparator"/> could be another installation's.
/// </summary>
internal sealed class WorkspaceVolumes(DockerEngine engine, IOptions<RuntimeOptions> options)
{
    private readonly string _instanceId = options.Value.InstanceId;

    /// <summary>The user's volume to mount: the one labelled theirs if there is one (kept across renames), else a new name.</summary>
    public async Task<string> NameOfAsync(string userName, CancellationToken cancellationToken) =>
        (await ListAsync(userName, cancellationToken)).Select(v => v.Name).Order(StringComparer.Ordinal).FirstOrDefault()
        ?? WorkspaceLabels.VolumeName(_instanceId, userName);

    /// <summary>Removes the volumes labelled as this installation's <paramref name="userName"/>'s, and no other.</summary>

    // Docker.DotNet has no call for the engine's disk usage (GET /system/df), the only place the engine reports a volume's size.
    private readonly Lazy<HttpClient?> _engineHttp = new(() => EngineHttp(engine.Endpoint));

    /// <summary>The bytes the user's volume takes on disk, or null when the engine does not say (no volume, or no size).</summary>
    public async Task<long?> SizeAsync(string userName, CancellationToken cancellationToken)
    {
        if (_engineHttp.Value is not { } http)
        {
            return null;
        }

        var name = await NameOfAsync(userName, cancellationToken);
        DiskUsage? usage;
        try
        {
            usage = await EngineTrace.TraceAsync("docker system df",
                () => http.GetFromJsonAsync<DiskUsage>("system/df?type=volume", cancellationToken), userName: userName);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            // The engine did not answer with its disk usage: the size is unknown, not zero.
            return null;
        }

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
        foreach (var volume in await ListAsync(userName, cancellationToken))
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

    private async Task<IList<VolumeResponse>> ListAsync(string? userName, CancellationToken cancellationToken)
    {
        var volumes = await EngineTrace.TraceAsync("docker volume ls", () => engine.Client.Volumes.ListAsync(
            new VolumesListParameters { Filters = WorkspaceLabels.InstanceFilter(_instanceId, userName) }, cancellationToken));
        return volumes.Volumes ?? [];
    }
}

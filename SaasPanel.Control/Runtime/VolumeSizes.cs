using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace SaasPanel.Control.Runtime;

/// <summary>
/// The sizes on disk of this installation's workspace volumes, from the engine's disk usage (GET /system/df, the
/// only place it reports a volume's size). That call walks every volume, so one answer serves every caller for
/// <see cref="MaxAge"/>: a page of the panel's table costs one call, not one a row.
/// </summary>
internal sealed class VolumeSizes(DockerEngine engine, IOptions<RuntimeOptions> options, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly string _instanceId = options.Value.InstanceId;

    // Docker.DotNet has no call for the engine's disk usage.
    private readonly Lazy<HttpClient?> _engineHttp = new(() => EngineHttp(engine.Endpoint));
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (DateTimeOffset At, WorkspaceDataSizes Sizes)? _last;

    public async Task<WorkspaceDataSizes> ReadAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } sizes)
        {
            return sizes;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have refreshed it while this one waited.
            if (Fresh() is { } refreshed)
            {
                return refreshed;
            }

            var read = await ReadFromEngineAsync(cancellationToken);
            if (read is not null)
            {
                _last = (clock.GetUtcNow(), read);
            }

            return read ?? WorkspaceDataSizes.Unknown;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose()
    {
        _refresh.Dispose();
        if (_engineHttp.IsValueCreated)
        {
            _engineHttp.Value?.Dispose();
        }
    }

    private WorkspaceDataSizes? Fresh() =>
        _last is { } last && clock.GetUtcNow() - last.At < MaxAge ? last.Sizes : null;

    /// <summary>Null when the engine did not answer with its disk usage: sizes are then unknown, not zero (and not cached).</summary>
    private async Task<WorkspaceDataSizes?> ReadFromEngineAsync(CancellationToken cancellationToken)
    {
        if (_engineHttp.Value is not { } http)
        {
            return null;
        }

        DiskUsage? usage;
        try
        {
            usage = await EngineTrace.TraceAsync("docker system df",
                () => http.GetFromJsonAsync<DiskUsage>("system/df?type=volume", cancellationToken));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException)
        {
            return null;
        }

        // The engine reports -1 when it could not measure one.
        var volumes = (usage?.Volumes ?? [])
            .Where(v => WorkspaceLabels.Find(v.Labels, WorkspaceLabels.Instance) == _instanceId && v.UsageData?.Size >= 0)
            .Select(v => (User: WorkspaceLabels.Find(v.Labels, WorkspaceLabels.User), v.Name, v.UsageData!.Size))
            .ToList();
        // As WorkspaceVolumes mounts it: a user's volume is the first of theirs by name.
        var byUser = volumes.Where(v => v.User is not null)
            .GroupBy(v => v.User!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MinBy(v => v.Name, StringComparer.Ordinal).Size, StringComparer.Ordinal);
        return new WorkspaceDataSizes(byUser, volumes.ToDictionary(v => v.Name, v => v.Size, StringComparer.Ordinal));
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

    private sealed record VolumeUsage(string Name, Dictionary<string, string>? Labels, VolumeSize? UsageData);

    private sealed record VolumeSize(long Size);
}

/// <summary>The bytes workspace volumes take, by the user they are labelled with and by name; a missing one has no volume, or one the engine could not measure.</summary>
public sealed record WorkspaceDataSizes(IReadOnlyDictionary<string, long> ByUser, IReadOnlyDictionary<string, long> ByVolume)
{
    public static readonly WorkspaceDataSizes Unknown = new(new Dictionary<string, long>(), new Dictionary<string, long>());

    /// <summary>The size of a workspace's volume: the one it records (a claimed pool member's), else the one labelled as its user's.</summary>
    public long? Of(string userName, string? volumeName) =>
        volumeName is not null ? (ByVolume.TryGetValue(volumeName, out var named) ? named : null)
        : ByUser.TryGetValue(userName, out var size) ? size : null;
}

using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace SaasPanel.Benchmarks.Panel;

/// <summary>
/// Copies each service's own output to <c>&lt;resource&gt;.log</c> beside the results, so the console shows the
/// run's progress and the services' logs remain for a look afterwards (timings, warnings).
/// </summary>
internal sealed class ServiceLogFiles : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _copying;

    public ServiceLogFiles(DistributedApplication app, string directory, IReadOnlySet<string> resources)
    {
        Directory.CreateDirectory(directory);
        _copying = CopyAllAsync(app, directory, resources, _stop.Token);
    }

    /// <summary>Logs belong to a resource's running instance (its id), which the AppHost names as it starts it.</summary>
    private static async Task CopyAllAsync(DistributedApplication app, string directory, IReadOnlySet<string> resources,
        CancellationToken cancellationToken)
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var copies = new Dictionary<string, Task>();
        try
        {
            await foreach (var change in app.ResourceNotifications.WatchAsync(cancellationToken))
            {
                if (resources.Contains(change.Resource.Name) && !copies.ContainsKey(change.ResourceId))
                {
                    copies[change.ResourceId] = CopyAsync(logs, change.ResourceId, Path.Combine(directory, $"{change.Resource.Name}.log"),
                        cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }

        await Task.WhenAll(copies.Values);
    }

    private static async Task CopyAsync(ResourceLoggerService logs, string resourceId, string path, CancellationToken cancellationToken)
    {
        await using var file = new StreamWriter(path, append: false) { AutoFlush = true };
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(cancellationToken))
            {
                foreach (var line in batch)
                {
                    await file.WriteLineAsync(line.Content);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _copying;
        _stop.Dispose();
    }
}

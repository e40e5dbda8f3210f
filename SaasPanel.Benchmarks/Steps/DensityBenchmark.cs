using System.Diagnostics;
using SaasPanel.Benchmarks.Machine;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Benchmarks.Steps;

/// <summary>
/// Many running workspaces on one host: provisions them through Control's API until the installation runs
/// <see cref="BenchmarkOptions.DensityWorkspaces"/> (at least <see cref="BenchmarkOptions.DensityMinimumAdded"/> more), waits
/// until every one runs (or failed), and charges the host's memory growth, everything included, to the workspaces added.
/// The earlier steps' workspaces count toward the total: they share the installation's one bridge network, and a Linux
/// bridge takes at most 1023 ports ("exchange full" beyond), so adding 1000 to them would measure that limit instead.
/// </summary>
internal static class DensityBenchmark
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(15);

    /// <summary>Lets the new containers finish starting up (first requests, GC) before memory is read again.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var (options, panel, results) = (context.Options, context.Panel, context.Results);
        using var api = panel.NewControlApi();
        var runningBefore = await api.CountAsync(WorkspaceState.Running, cancellationToken);
        var count = Math.Max(options.DensityWorkspaces - runningBefore, options.DensityMinimumAdded);
        ProgressLog.Step($"density: {count} more workspaces through Control's API ({runningBefore} running)");
        var memoryBefore = ReadHostMemory();
        var started = Stopwatch.GetTimestamp();
        for (var i = 1; i <= count; i++)
        {
            await api.ProvisionAsync($"dense-{i:0000}", cancellationToken);
        }

        // Two counts a second whatever the number of workspaces: the wait costs Control the same at 50 as at 1000.
        var (running, failed) = (runningBefore, 0);
        var lastProgress = Stopwatch.GetTimestamp();
        TimeoutException? timedOut = null;
        try
        {
            await Poll.UntilAsync(async ct =>
            {
                (running, failed) = (await api.CountAsync(WorkspaceState.Running, ct), await api.CountAsync(WorkspaceState.Failed, ct));
                if (Stopwatch.GetElapsedTime(lastProgress) >= ProgressInterval)
                {
                    ProgressLog.Detail($"{running - runningBefore} of {count} running, {failed} failed");
                    lastProgress = Stopwatch.GetTimestamp();
                }

                return running + failed >= runningBefore + count;
            }, PollInterval, options.DensityTimeout, $"{count} workspaces to run", cancellationToken);
        }
        catch (TimeoutException ex)
        {
            // What does run is still measured, and the step then fails with the timeout.
            timedOut = ex;
        }

        results.DensityStartSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        await Task.Delay(SettleTime, cancellationToken);
        var memoryAfter = ReadHostMemory();
        var added = running - runningBefore;
        results.WorkspacesRunning = await api.CountAsync(WorkspaceState.Running, cancellationToken);
        results.MemoryPerWorkspaceMb = (memoryAfter.UsedBytes - memoryBefore.UsedBytes) / (double)Math.Max(added, 1) / (1 << 20);
        ProgressLog.Detail($"{added} added in {results.DensityStartSeconds:0.0} s ({failed} failed); {results.WorkspacesRunning} running; " +
            $"host memory used {memoryBefore.UsedBytes >> 20} → {memoryAfter.UsedBytes >> 20} MiB");

        var containers = await DockerCli.RunAsync(
            ["ps", "--quiet", "--no-trunc", "--filter", $"label={WorkspaceLabels.Instance}={panel.InstanceId}", "--filter", "status=running"],
            cancellationToken);
        var breakdown = ContainerMemory.Average(containers.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        (results.ContainerAnonymousMb, results.ContainerPageCacheMb, results.ShimMb) = (breakdown.AnonymousMb, breakdown.PageCacheMb, breakdown.ShimMb);
        ProgressLog.Detail($"per workspace: {breakdown}");
        if (timedOut is not null)
        {
            throw BenchmarkSteps.AfterPartialFigures(timedOut, $"{added} of {count} workspaces running, {failed} failed");
        }
    }

    private static HostMemory ReadHostMemory() =>
        HostMemory.Read() ?? throw new InvalidOperationException("This host has no /proc/meminfo to measure memory with.");
}

using System.Runtime.CompilerServices;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace SaasPanel.Control.Runtime;

/// <summary>What both runtimes read from a container engine's streams: log lines and one statistics sample.</summary>
internal static class EngineStreams
{
    /// <summary>The lines of a (multiplexed) log stream, as they come; a last line without a newline at the end.</summary>
    public static async IAsyncEnumerable<string> ReadLinesAsync(MultiplexedStream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var pending = new StringBuilder();
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            if (read.EOF)
            {
                break;
            }

            pending.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
            var text = pending.ToString();
            var lastNewLine = text.LastIndexOf('\n');
            if (lastNewLine < 0)
            {
                continue;
            }

            foreach (var line in text[..lastNewLine].Split('\n'))
            {
                yield return line.TrimEnd('\r');
            }

            pending.Clear().Append(text[(lastNewLine + 1)..]);
        }

        if (pending.Length > 0)
        {
            yield return pending.ToString();
        }
    }

    /// <summary>One sample of a container's CPU, memory and processes, counted as <c>docker stats</c> does.</summary>
    public static async Task<WorkspaceStats> ReadStatsAsync(DockerClient docker, string containerId, CancellationToken cancellationToken)
    {
        ContainerStatsResponse? stats = null;
        await EngineTrace.TraceAsync("docker stats", () => docker.Containers.GetContainerStatsAsync(containerId,
            new ContainerStatsParameters { Stream = false }, new SynchronousProgress<ContainerStatsResponse>(s => stats = s), cancellationToken),
            containerId);
        if (stats is null)
        {
            throw new WorkspaceRuntimeException($"The engine returned no statistics for container {containerId}.");
        }

        var cpuDelta = (double)stats.CPUStats.CPUUsage.TotalUsage - stats.PreCPUStats.CPUUsage.TotalUsage;
        var systemDelta = (double)stats.CPUStats.SystemUsage - stats.PreCPUStats.SystemUsage;
        var cpus = stats.CPUStats.OnlineCPUs > 0 ? stats.CPUStats.OnlineCPUs : 1;
        var cpuPercent = systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * cpus * 100 : 0;
        // As `docker stats` does: page cache is reclaimable, so it is not counted as used.
        var cache = Math.Max(WorkspaceLabels.Find(stats.MemoryStats.Stats, "total_inactive_file"),
            WorkspaceLabels.Find(stats.MemoryStats.Stats, "inactive_file"));
        var memory = (long)(stats.MemoryStats.Usage - Math.Min(cache, stats.MemoryStats.Usage));
        // The engine reports no pids limit (or 0) when the container has none.
        var pidsLimit = stats.PidsStats.Limit is > 0 and var limit ? (long?)limit : null;
        return new WorkspaceStats(Math.Round(cpuPercent, 2), memory, (long)stats.MemoryStats.Limit, (int)stats.PidsStats.Current, pidsLimit);
    }
}

/// <summary>Unlike <see cref="Progress{T}"/>, reports on the caller's thread, in order.</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

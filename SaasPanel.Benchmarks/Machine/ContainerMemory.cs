using System.Globalization;

namespace SaasPanel.Benchmarks.Machine;

/// <summary>
/// Where a running workspace's memory goes, from the kernel's own accounting: the container's cgroup
/// (anonymous memory and page cache, cgroup v1 or v2) and the containerd shim beside it (its proportional
/// set size, so the shim binary's shared pages are split among all shims). What the host counters show
/// beyond these is the kernel's own per-container cost (network namespace, veth, NAT rules) and the engine's.
/// </summary>
internal sealed record ContainerMemory(double AnonymousMb, double PageCacheMb, double ShimMb)
{
    private const double Mebibyte = 1 << 20;

    /// <summary>Everything the container's cgroup is charged and its shim's share.</summary>
    public double TotalMb => AnonymousMb + PageCacheMb + ShimMb;

    /// <summary>The sum over these containers (full ids); a container whose figures cannot be read counts as zero.</summary>
    public static ContainerMemory Sum(IReadOnlyCollection<string> containerIds)
    {
        var shims = ShimProcesses();
        var samples = containerIds.Select(id => (Cgroup: CgroupMemory(id), Shim: shims.TryGetValue(id, out var pid) ? ProportionalSetSize(pid) : 0)).ToList();
        return new ContainerMemory(
            samples.Sum(s => s.Cgroup.Anonymous) / Mebibyte,
            samples.Sum(s => s.Cgroup.PageCache) / Mebibyte,
            samples.Sum(s => s.Shim) / Mebibyte);
    }

    /// <summary>The average over these containers (full ids).</summary>
    public static ContainerMemory Average(IReadOnlyCollection<string> containerIds)
    {
        var sum = Sum(containerIds);
        var count = Math.Max(containerIds.Count, 1);
        return new ContainerMemory(sum.AnonymousMb / count, sum.PageCacheMb / count, sum.ShimMb / count);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"container anonymous {AnonymousMb:0.0} MiB + page cache {PageCacheMb:0.0} MiB, shim {ShimMb:0.0} MiB");

    private static (long Anonymous, long PageCache) CgroupMemory(string containerId)
    {
        // cgroup v1 (memory controller) and v2 (unified), as the engine's cgroupfs or systemd driver lays them out.
        string[] candidates =
        [
            $"/sys/fs/cgroup/memory/docker/{containerId}/memory.stat",
            $"/sys/fs/cgroup/docker/{containerId}/memory.stat",
            $"/sys/fs/cgroup/system.slice/docker-{containerId}.scope/memory.stat",
        ];
        if (candidates.FirstOrDefault(File.Exists) is not { } path)
        {
            return (0, 0);
        }

        var stat = ProcFile.ReadNumbers(path, ' ');
        return stat.ContainsKey("total_rss")
            ? (stat["total_rss"], stat.GetValueOrDefault("total_cache"))
            : (stat.GetValueOrDefault("anon"), stat.GetValueOrDefault("file"));
    }

    /// <summary>containerd-shim-runc-v2 processes by the container id on their command line.</summary>
    private static Dictionary<string, int> ShimProcesses()
    {
        var shims = new Dictionary<string, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                var id = Array.IndexOf(arguments, "-id");
                if (arguments[0].EndsWith("containerd-shim-runc-v2", StringComparison.Ordinal) && id >= 0 && id + 1 < arguments.Length)
                {
                    shims[arguments[id + 1]] = pid;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return shims;
    }

    private static long ProportionalSetSize(int pid)
    {
        try
        {
            return ProcFile.ReadNumbers($"/proc/{pid}/smaps_rollup", ':').GetValueOrDefault("Pss") * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}

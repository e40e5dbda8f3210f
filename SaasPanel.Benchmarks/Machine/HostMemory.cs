namespace SaasPanel.Benchmarks.Machine;

/// <summary>The host's own memory counters (<c>/proc/meminfo</c>): used is MemTotal − MemAvailable, everything included.</summary>
internal readonly record struct HostMemory(long TotalBytes, long AvailableBytes)
{
    public long UsedBytes => TotalBytes - AvailableBytes;

    public static HostMemory Read()
    {
        var kibibytes = ProcFile.ReadNumbers("/proc/meminfo", ':');
        return new HostMemory(kibibytes["MemTotal"] * 1024, kibibytes["MemAvailable"] * 1024);
    }
}

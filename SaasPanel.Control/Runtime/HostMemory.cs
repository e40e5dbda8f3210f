namespace SaasPanel.Control.Runtime;

/// <summary>
/// The host's memory from its own counters (<c>/proc/meminfo</c>): Control runs beside the engine it
/// drives, so this is the memory the workspaces compete for.
/// </summary>
public sealed record HostMemory(long TotalBytes, long AvailableBytes)
{
    public long UsedBytes => TotalBytes - AvailableBytes;

    public static HostMemory? Read(string path = "/proc/meminfo")
    {
        if (!File.Exists(path))
        {
            return null;
        }

        long total = 0, available = 0;
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && long.TryParse(parts[1], out var kilobytes))
            {
                switch (parts[0])
                {
                    case "MemTotal:": total = kilobytes * 1024; break;
                    case "MemAvailable:": available = kilobytes * 1024; break;
                }
            }
        }

        return total > 0 ? new HostMemory(total, available) : null;
    }
}

using System.Globalization;

namespace SaasPanel.Benchmarks.Machine;

/// <summary>Reads the kernel's "name value [kB]" files (<c>/proc/meminfo</c>, <c>smaps_rollup</c>, cgroup <c>memory.stat</c>).</summary>
internal static class ProcFile
{
    /// <summary>Each line's first number by its name; lines without one are skipped.</summary>
    public static Dictionary<string, long> ReadNumbers(string path, char separator)
    {
        var numbers = new Dictionary<string, long>();
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(separator, 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && long.TryParse(parts[1].Split(' ')[0], CultureInfo.InvariantCulture, out var value))
            {
                numbers.TryAdd(parts[0], value);
            }
        }

        return numbers;
    }
}

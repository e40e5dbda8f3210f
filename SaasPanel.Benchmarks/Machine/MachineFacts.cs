using System.Globalization;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Benchmarks.Machine;

/// <summary>The machine a run measured, as the docs and the table name it.</summary>
internal sealed record MachineFacts(int Cores, string CpuModel, double MemoryGiB, string Kernel, string DockerVersion)
{
    public static async Task<MachineFacts> ReadAsync(CancellationToken cancellationToken)
    {
        var cpuModel = File.ReadLines("/proc/cpuinfo")
            .FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var kernel = (await File.ReadAllTextAsync("/proc/sys/kernel/osrelease", cancellationToken)).Trim();
        var docker = await DockerCli.RunAsync(["version", "--format", "{{.Server.Version}}"], cancellationToken);
        return new MachineFacts(Environment.ProcessorCount, cpuModel, (HostMemory.Read()?.TotalBytes ?? 0) / (double)(1L << 30), kernel, docker);
    }

    /// <summary>The 1, 5 and 15 minute load averages: other work on the host shares its cores with the run.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Cores} cores ({CpuModel}), {MemoryGiB:0.0} GiB, Linux {Kernel}, Docker {DockerVersion}");
}

using System.Globalization;

namespace SaasPanel.Control.Runtime;

/// <summary>
/// A workspace container's memory, CPU and process limits. Its <see cref="Label"/> is written on the container, so the
/// reconciler sees a container whose limits differ from its plan's and rolls it like one on an older image.
/// </summary>
public sealed record WorkspaceLimits(int MemoryLimitMb, double CpuLimit, int PidsLimit)
{
    /// <summary>Such as <c>128Mi-0.5cpu-128pids</c>: a valid label value on every engine, Kubernetes included.</summary>
    public string Label => string.Create(CultureInfo.InvariantCulture, $"{MemoryLimitMb}Mi-{CpuLimit}cpu-{PidsLimit}pids");

    /// <summary>The limits of a workspace with no plan: the template's, else the runtime's defaults.</summary>
    public static WorkspaceLimits Default(RuntimeOptions options, WorkspaceTemplate? template) => new(
        template?.MemoryLimitMb ?? options.MemoryLimitMb,
        template?.CpuLimit ?? options.CpuLimit,
        template?.PidsLimit ?? options.PidsLimit);
}

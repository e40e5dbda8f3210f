using SaasPanel.Control.Runtime;

namespace SaasPanel.Control.Plans;

/// <summary>
/// What an admin sells a workspace: its container's limits, when the idle culler stops it, which templates it may run and
/// how many workspaces may have it. Every workspace has one (<see cref="Workspaces.Workspace.Plan"/>).
/// </summary>
public sealed class Plan
{
    public required string Name { get; set; }

    public int MemoryLimitMb { get; set; }

    public double CpuLimit { get; set; }

    public int PidsLimit { get; set; }

    /// <summary>A workspace unused for longer than this is stopped; zero: never.</summary>
    public TimeSpan IdleTimeout { get; set; }

    /// <summary>A workspace running for longer than this is stopped however busy it is; zero: no limit.</summary>
    public TimeSpan MaxAge { get; set; }

    /// <summary>
    /// The most a workspace's files (its volume) should take on disk, in MiB; null: no limit. The engines Control drives
    /// cannot enforce a size on a named volume, so this is shown as a warning when exceeded, never claimed enforced.
    /// </summary>
    public int? StorageLimitMb { get; set; }

    /// <summary>At most this many workspaces have the plan; null: no limit.</summary>
    public int? MaxWorkspaces { get; set; }

    /// <summary>The templates its workspaces may run; empty: all.</summary>
    public List<string> AllowedTemplates { get; set; } = [];

    public DateTime UpdatedAt { get; set; }

    public WorkspaceLimits Limits => new(MemoryLimitMb, CpuLimit, PidsLimit);

    public bool Allows(string template) => AllowedTemplates.Count == 0 || AllowedTemplates.Contains(template, StringComparer.Ordinal);
}

using SaasPanel.Control.Runtime;

namespace SaasPanel.Control.Plans;

/// <summary>What <c>PUT /api/plans/{name}</c> takes. Timeouts are <c>hh:mm:ss</c> (or <c>d.hh:mm:ss</c>); zero: never.</summary>
public sealed record PlanRequest(
    int? MemoryLimitMb,
    double? CpuLimit,
    int? PidsLimit,
    TimeSpan? IdleTimeout = null,
    TimeSpan? MaxAge = null,
    int? MaxWorkspaces = null,
    IReadOnlyList<string>? AllowedTemplates = null,
    int? StorageLimitMb = null)
{
    /// <summary>The problems of a plan named <paramref name="name"/> with these values, by field; empty when it is valid.</summary>
    public Dictionary<string, string[]> Validate(string name, RuntimeOptions runtime)
    {
        var errors = new Dictionary<string, string[]>();
        if (PlanNames.Validate(name) is { } invalidName)
        {
            errors["name"] = [invalidName];
        }

        // The same ranges as the Runtime defaults the standard plan is seeded from.
        if (MemoryLimitMb is not (>= 16 and <= 65536))
        {
            errors["memoryLimitMb"] = ["memoryLimitMb is 16 to 65536 (MiB)."];
        }

        if (CpuLimit is not (>= 0.05 and <= 64))
        {
            errors["cpuLimit"] = ["cpuLimit is 0.05 to 64 (CPUs)."];
        }

        if (PidsLimit is not (>= 16 and <= 4096))
        {
            errors["pidsLimit"] = ["pidsLimit is 16 to 4096."];
        }

        if (IdleTimeout < TimeSpan.Zero || IdleTimeout > MaxTimeout)
        {
            errors["idleTimeout"] = ["idleTimeout is 00:00:00 (never) to 365.00:00:00."];
        }

        if (MaxAge < TimeSpan.Zero || MaxAge > MaxTimeout)
        {
            errors["maxAge"] = ["maxAge is 00:00:00 (no limit) to 365.00:00:00."];
        }

        if (StorageLimitMb is not (null or (>= 1 and <= MaxStorageLimitMb)))
        {
            errors["storageLimitMb"] = [$"storageLimitMb is 1 to {MaxStorageLimitMb} (MiB), or null for no limit."];
        }

        if (MaxWorkspaces < 0)
        {
            errors["maxWorkspaces"] = ["maxWorkspaces is 0 or more, or null for no limit."];
        }

        if (AllowedTemplates?.Where(t => runtime.FindTemplate(t) is null || string.IsNullOrEmpty(t)).ToList() is [_, ..] unknown)
        {
            errors["allowedTemplates"] = [$"Unknown template(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", runtime.Templates.Keys)}."];
        }

        return errors;
    }

    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(365);

    private const int MaxStorageLimitMb = 16 * 1024 * 1024;

    public void ApplyTo(Plan plan)
    {
        plan.MemoryLimitMb = MemoryLimitMb!.Value;
        plan.CpuLimit = CpuLimit!.Value;
        plan.PidsLimit = PidsLimit!.Value;
        plan.IdleTimeout = IdleTimeout ?? TimeSpan.Zero;
        plan.MaxAge = MaxAge ?? TimeSpan.Zero;
        plan.StorageLimitMb = StorageLimitMb;
        plan.MaxWorkspaces = MaxWorkspaces;
        plan.AllowedTemplates = AllowedTemplates?.Distinct(StringComparer.Ordinal).ToList() ?? [];
    }
}

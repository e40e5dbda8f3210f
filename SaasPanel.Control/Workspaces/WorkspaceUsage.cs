using Microsoft.EntityFrameworkCore;
using SaasPanel.Control.Data;
using SaasPanel.Control.Pages;
using SaasPanel.Control.Plans;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Control.Workspaces;

/// <summary>
/// A workspace's plan limits next to what it uses (<c>GET /api/workspaces/{user}/usage</c>): its container's CPU, memory
/// and processes while it runs (<see cref="StatsNote"/> says why not otherwise), and its files on disk.
/// </summary>
public sealed record WorkspaceUsage(string Plan, PlanLimits? Limits, WorkspaceStats? Stats, string? StatsNote, WorkspaceVolume Volume);

/// <summary>What a plan gives each of its workspaces; null <see cref="StorageLimitMb"/>: no storage limit.</summary>
public sealed record PlanLimits(int MemoryLimitMb, double CpuLimit, int PidsLimit, int? StorageLimitMb)
{
    public static PlanLimits Of(Plan plan) => new(plan.MemoryLimitMb, plan.CpuLimit, plan.PidsLimit, plan.StorageLimitMb);
}

/// <summary>
/// The size on disk of a workspace's files next to its plan's storage limit. <see cref="SizeBytes"/> is null when unknown.
/// The engine cannot enforce the limit on a named volume, so it is never claimed: <see cref="StorageLimitExceeded"/> and
/// <see cref="Note"/> say when the files take more.
/// </summary>
public sealed record WorkspaceVolume(long? SizeBytes, int? StorageLimitMb, bool StorageLimitExceeded, string? Note)
{
    public static WorkspaceVolume Of(long? sizeBytes, int? storageLimitMb)
    {
        var exceeded = sizeBytes > storageLimitMb * 1024L * 1024;
        var note = (sizeBytes, storageLimitMb) switch
        {
            (null, _) => "The engine does not report this volume's size (or it has none yet).",
            ({ } size, { } limit) when exceeded => $"Uses {Format.Bytes(size)} of its {limit} MiB storage; the engine cannot enforce this limit.",
            (_, { } limit) => $"Within its {limit} MiB storage; the engine cannot enforce this limit, it is only shown.",
            _ => null,
        };
        return new(sizeBytes, storageLimitMb, exceeded, note);
    }
}

/// <summary>Reads <see cref="WorkspaceUsage"/>: the plan from the database, the use from the engine (volume sizes cached, see <see cref="IWorkspaceRuntime.GetDataSizesAsync"/>).</summary>
public sealed class WorkspaceUsageReader(ControlDbContext db, IWorkspaceRuntime runtime)
{
    public async Task<WorkspaceUsage> ReadAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var plan = await PlanOfAsync(workspace, cancellationToken);
        var (stats, note) = await StatsAsync(workspace, cancellationToken);
        return new WorkspaceUsage(workspace.Plan, plan is null ? null : PlanLimits.Of(plan), stats, note,
            await VolumeAsync(workspace, plan, cancellationToken));
    }

    public async Task<WorkspaceVolume> VolumeAsync(Workspace workspace, CancellationToken cancellationToken) =>
        await VolumeAsync(workspace, await PlanOfAsync(workspace, cancellationToken), cancellationToken);

    /// <summary>The container's use, or null and why: it is not running, or the engine cannot say now.</summary>
    public async Task<(WorkspaceStats? Stats, string? Problem)> StatsAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        if (workspace is not { ContainerId: { } containerId, State: WorkspaceState.Running })
        {
            return (null, $"Workspace '{workspace.UserName}' is not running.");
        }

        try
        {
            return (await runtime.GetStatsAsync(containerId, cancellationToken), null);
        }
        catch (WorkspaceRuntimeException ex)
        {
            // On a swarm: the task runs on a node whose engine Control does not reach.
            return (null, ex.Message);
        }
    }

    private async Task<WorkspaceVolume> VolumeAsync(Workspace workspace, Plan? plan, CancellationToken cancellationToken) =>
        WorkspaceVolume.Of((await runtime.GetDataSizesAsync(cancellationToken)).Of(workspace.UserName, workspace.VolumeName), plan?.StorageLimitMb);

    private Task<Plan?> PlanOfAsync(Workspace workspace, CancellationToken cancellationToken) =>
        db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Name == workspace.Plan, cancellationToken);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Control.Data;
using SaasPanel.Control.Pool;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Stats;

/// <summary>
/// Workspace totals by state, the warm pool's ready members and its target (0: off), the engine's facts and the host's
/// memory: the panel's cards and <c>GET /api/stats</c>.
/// </summary>
public sealed record ControlStats(int Total, IReadOnlyDictionary<string, int> ByState, WarmPoolStatus Pool, EngineStatus Engine, HostMemory? HostMemory)
{
    public int Count(WorkspaceState state) => ByState.GetValueOrDefault(state.ToString());
}

/// <summary>The warm pool: members ready to claim now, and how many it keeps (over every template; 0 when this runtime keeps none).</summary>
public sealed record WarmPoolStatus(int Ready, int Size);

/// <summary>The engine as Control last reached it, or why it could not.</summary>
public sealed record EngineStatus(bool Reachable, string Endpoint, string? Version, string? ApiVersion, int? Cpus,
    long? MemoryBytes, int? ContainersRunning, string? Error);

public sealed class ControlStatsReader(ControlDbContext db, IWorkspaceRuntime runtime, WarmPool pool, IOptions<RuntimeOptions> runtimeOptions)
{
    public async Task<ControlStats> ReadAsync(CancellationToken cancellationToken)
    {
        var byState = await db.Workspaces.GroupBy(w => w.State)
            .Select(g => new { State = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.State.ToString(), g => g.Count, cancellationToken);
        var options = runtimeOptions.Value;
        var poolSize = runtime.SupportsWarmPool ? options.Templates.Values.Sum(options.PoolSizeOf) : 0;
        return new ControlStats(byState.Values.Sum(), byState, new WarmPoolStatus(pool.ReadyCount, poolSize),
            await ReadEngineAsync(cancellationToken), HostMemory.Read());
    }

    private async Task<EngineStatus> ReadEngineAsync(CancellationToken cancellationToken)
    {
        try
        {
            var info = await runtime.GetEngineInfoAsync(cancellationToken);
            return new EngineStatus(true, info.Endpoint, info.Version, info.ApiVersion, info.Cpus, info.MemoryBytes, info.ContainersRunning, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new EngineStatus(false, runtime.EngineEndpoint, null, null, null, null, null, ex.GetBaseException().Message);
        }
    }
}

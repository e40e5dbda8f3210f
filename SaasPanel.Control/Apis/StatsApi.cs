using Microsoft.AspNetCore.Http.HttpResults;
using SaasPanel.Control.Stats;

namespace SaasPanel.Control.Apis;

/// <summary><c>GET /api/stats</c>: workspace totals by state, the engine's facts and the host's memory.</summary>
public static class StatsApi
{
    public static RouteGroupBuilder MapStatsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/stats", ReadAsync).WithTags("Stats").WithSummary("Workspace totals by state and the engine's facts.");
        return api;
    }

    public static async Task<Ok<ControlStats>> ReadAsync(ControlStatsReader stats, CancellationToken cancellationToken) =>
        TypedResults.Ok(await stats.ReadAsync(cancellationToken));
}

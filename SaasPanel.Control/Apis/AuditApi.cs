using Microsoft.AspNetCore.Http.HttpResults;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Data;

namespace SaasPanel.Control.Apis;

/// <summary><c>GET /api/audit</c>: everything people asked for and everything the reconciler did.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).WithTags("Audit").WithSummary("The audit log, newest first, paged, filtered by user and action.");
        return api;
    }

    public static async Task<Results<Ok<Page<AuditEntry>>, ValidationProblem>> ListAsync(ControlDbContext db,
        int page = 1, int pageSize = 50, string? user = null, string? action = null, CancellationToken cancellationToken = default)
    {
        var query = new AuditQuery(page, pageSize, user, action);
        if (!query.IsValid)
        {
            return ApiProblems.Paging();
        }

        var (items, total) = await query.RunAsync(db, cancellationToken);
        return TypedResults.Ok(new Page<AuditEntry>(items, page, pageSize, total));
    }
}

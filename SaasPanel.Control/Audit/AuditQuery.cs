using Microsoft.EntityFrameworkCore;
using SaasPanel.Control.Data;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Audit;

/// <summary>One page of the audit log, newest first, filtered by user and action, for the API and the panel.</summary>
public sealed record AuditQuery(int Page = 1, int PageSize = 50, string? User = null, string? Action = null)
{
    public bool IsValid => new WorkspaceQuery(Page, PageSize).IsValid;

    public async Task<(List<AuditEntry> Items, int Total)> RunAsync(ControlDbContext db, CancellationToken cancellationToken)
    {
        var query = db.Audit.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(User))
        {
            query = query.Where(a => a.UserName == User.Trim());
        }

        if (!string.IsNullOrWhiteSpace(Action))
        {
            query = query.Where(a => a.Action == Action.Trim());
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(a => a.Id).Skip((Page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return (items, total);
    }
}

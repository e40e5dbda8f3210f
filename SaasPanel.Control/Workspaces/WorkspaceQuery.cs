using Microsoft.EntityFrameworkCore;
using SaasPanel.Control.Data;

namespace SaasPanel.Control.Workspaces;

public enum WorkspaceSort
{
    Name,
    State,
    Created,
}

/// <summary>One page of workspaces, filtered, searched and sorted the same way for the API and the panel.</summary>
public sealed record WorkspaceQuery(int Page = 1, int PageSize = 50, WorkspaceState? State = null, string? Search = null,
    WorkspaceSort Sort = WorkspaceSort.Name, bool Descending = false)
{
    public const int MaxPageSize = 200;

    public bool IsValid => Page >= 1 && PageSize is >= 1 and <= MaxPageSize;

    public async Task<(List<Workspace> Items, int Total)> RunAsync(ControlDbContext db, CancellationToken cancellationToken)
    {
        var query = db.Workspaces.AsNoTracking();
        if (State is not null)
        {
            query = query.Where(w => w.State == State);
        }

        if (!string.IsNullOrWhiteSpace(Search))
        {
            var pattern = $"%{Search.Trim()}%";
            query = query.Where(w => EF.Functions.Like(w.UserName, pattern) || EF.Functions.Like(w.Email, pattern));
        }

        var total = await query.CountAsync(cancellationToken);
        var sorted = (Sort, Descending) switch
        {
            (WorkspaceSort.State, false) => query.OrderBy(w => w.State).ThenBy(w => w.UserName),
            (WorkspaceSort.State, true) => query.OrderByDescending(w => w.State).ThenBy(w => w.UserName),
            (WorkspaceSort.Created, false) => query.OrderBy(w => w.CreatedAt),
            (WorkspaceSort.Created, true) => query.OrderByDescending(w => w.CreatedAt),
            (_, false) => query.OrderBy(w => w.UserName),
            (_, true) => query.OrderByDescending(w => w.UserName),
        };
        var items = await sorted.Skip((Page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return (items, total);
    }
}

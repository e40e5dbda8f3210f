using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Gateway;
using SaasPanel.Auth.Users;
using SaasPanel.Contracts;

namespace SaasPanel.Auth.Pages.Admin;

/// <summary>
/// The user list: search, paging and each user's workspace state from the gateway's route table; users who await
/// approval (<see cref="SignUpPolicy.Approval"/>) have an Approve button.
/// </summary>
public sealed class UsersModel(AuthDbContext db, GatewayRouteTable routes, UserAccounts accounts) : PageModel
{
    public const string AwaitingApprovalState = "awaiting approval";

    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    // Not "page": Razor Pages reserves that route value for the page's own path.
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    [BindProperty(SupportsGet = true, Name = "deleted")]
    public string? Deleted { get; set; }

    [BindProperty(SupportsGet = true, Name = "approved")]
    public string? Approved { get; set; }

    /// <summary>Why the last approval did not happen.</summary>
    public string? Problem { get; private set; }

    public int Total { get; private set; }

    public int PageCount { get; private set; }

    public IReadOnlyList<UserRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var users = db.Users.AsNoTracking();
        if (Query?.Trim().ToLowerInvariant() is { Length: > 0 } term)
        {
            users = users.Where(u => u.UserName.Contains(term) || u.Email.Contains(term));
        }

        Total = await users.CountAsync(cancellationToken);
        PageCount = Math.Max(1, (Total + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        var page = await users
            .OrderBy(u => u.UserName)
            .Skip((PageNumber - 1) * PageSize)
            .Take(PageSize)
            .ToListAsync(cancellationToken);

        Rows = page.Select(u => new UserRow(
            u.UserName,
            u.Email,
            u.IsAdmin,
            u.IsAdmin ? "—" : u.ApprovedAt is null ? AwaitingApprovalState : routes.TryGet(u.UserName, out var route) ? route.State : WorkspaceStates.Pending,
            u.CreatedAt,
            u.LastSignInAt)).ToList();
    }

    public async Task<IActionResult> OnPostApproveAsync(string? user, CancellationToken cancellationToken)
    {
        Problem = await accounts.ApproveAsync(user ?? "", User.Identity!.Name!, cancellationToken);
        if (Problem is null)
        {
            return LocalRedirect("/admin/users?approved=" + Uri.EscapeDataString(user!));
        }

        Response.StatusCode = StatusCodes.Status409Conflict;
        await OnGetAsync(cancellationToken);
        return Page();
    }
}

public sealed record UserRow(string UserName, string Email, bool IsAdmin, string WorkspaceState, DateTime CreatedAt, DateTime? LastSignInAt)
{
    public bool AwaitingApproval => WorkspaceState == UsersModel.AwaitingApprovalState;
}

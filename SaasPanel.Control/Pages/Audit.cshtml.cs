using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Data;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Pages;

/// <summary>The audit log: who did what to which workspace, newest first, filtered by user and action.</summary>
public sealed class AuditModel(ControlDbContext db) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "action")]
    public string? ActionFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public int Total { get; private set; }

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PageNumber = Math.Max(1, PageNumber);
        (Entries, Total) = await new AuditQuery(PageNumber, PageSize, UserFilter, ActionFilter).RunAsync(db, cancellationToken);
    }

    public string PageLink(int page) => Url.Page("/Audit", new { user = UserFilter, action = ActionFilter, p = page })!;
}

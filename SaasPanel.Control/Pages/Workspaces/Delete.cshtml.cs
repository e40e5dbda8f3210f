using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasPanel.Control.Data;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Pages.Workspaces;

/// <summary>Asks before deleting: a workspace's container and its data go for good.</summary>
public sealed class DeleteModel(ControlDbContext db, WorkspaceCommands commands) : PageModel
{
    [TempData]
    public string? Message { get; set; }

    public string UserName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string user, CancellationToken cancellationToken)
    {
        if (!await db.Workspaces.AnyAsync(w => w.UserName == user, cancellationToken))
        {
            return NotFound();
        }

        UserName = user;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string user, CancellationToken cancellationToken)
    {
        var result = await commands.DeleteAsync(user, Caller.Of(HttpContext), cancellationToken);
        Message = result.Outcome switch
        {
            CommandOutcome.NotFound => $"There is no workspace named {user}.",
            CommandOutcome.Conflict => result.Problem,
            _ => $"Deleting {user}: its container and data are being removed.",
        };
        return RedirectToPage("/Index");
    }
}

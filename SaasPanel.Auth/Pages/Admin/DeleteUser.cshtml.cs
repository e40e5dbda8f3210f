using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Pages.Admin;

/// <summary>GET confirms, POST <c>/admin/users/{user}/delete</c> deletes (user, sessions and workspace).</summary>
public sealed class DeleteUserModel(AuthDbContext db, UserAccounts accounts) : PageModel
{
    [FromRoute(Name = "user")]
    public string UserName { get; set; } = "";

    public string Email { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == UserName, cancellationToken);
        if (user is null || user.IsAdmin)
        {
            return NotFound();
        }

        Email = user.Email;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) =>
        await accounts.DeleteAsync(UserName, requestedBy: User.Identity!.Name!, cancellationToken)
            ? LocalRedirect("/admin/users?deleted=" + Uri.EscapeDataString(UserName))
            : NotFound();
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasPanel.Auth.Gateway;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Pages;

/// <summary><c>/</c>: an admin goes to user management, a user to their workspace, anyone else to sign in.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => User.Identity is { IsAuthenticated: true, Name: { } name }
        ? LocalRedirect(User.IsAdmin() ? "/admin/users" : GatewayEndpoints.WorkspacePath(name))
        : LocalRedirect("/user/login");
}

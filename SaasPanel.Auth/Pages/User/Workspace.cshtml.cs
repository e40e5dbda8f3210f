using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasPanel.Auth.Apis;
using SaasPanel.Auth.Gateway;

namespace SaasPanel.Auth.Pages.User;

/// <summary>"Your workspace is being prepared": follows provisioning through the status API and moves on when it runs.</summary>
public sealed class WorkspaceModel(GatewayRouteTable routes) : PageModel
{
    public WorkspaceStatus Status { get; private set; } = null!;

    public IActionResult OnGet()
    {
        Status = WorkspaceStatus.For(User.Identity!.Name!, routes);
        return Status.Ready ? LocalRedirect(Status.Url) : Page();
    }
}

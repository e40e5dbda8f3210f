using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasPanel.Auth.Apis;
using SaasPanel.Auth.Gateway;

namespace SaasPanel.Auth.Pages.User;

/// <summary>
/// "Your workspace is being prepared": follows provisioning over <see cref="WorkspaceStatusApi.EventsPath"/> and moves
/// on when it runs; without JavaScript it reloads itself, and a reload of a running workspace redirects to it.
/// </summary>
public sealed class PreparingModel(GatewayRouteTable routes) : PageModel
{
    public const int NoScriptRefreshSeconds = 2;

    public WorkspaceStatus Status { get; private set; } = null!;

    public IActionResult OnGet()
    {
        Status = WorkspaceStatus.For(User, routes);
        return Status.Ready ? LocalRedirect(Status.Url) : Page();
    }
}

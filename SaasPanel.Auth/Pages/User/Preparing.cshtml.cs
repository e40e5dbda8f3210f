using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasPanel.Auth.Apis;
using SaasPanel.Auth.Gateway;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Pages.User;

/// <summary>
/// "Your workspace is being prepared": follows provisioning over <see cref="WorkspaceStatusApi.EventsPath"/> and moves
/// on when it runs; without JavaScript it reloads itself, and a reload of a running workspace redirects to it. A user
/// who awaits an admin's approval (<see cref="SignUpPolicy.Approval"/>) is told so instead, and nothing is followed.
/// </summary>
public sealed class PreparingModel(GatewayRouteTable routes, UserAccounts accounts) : PageModel
{
    public const int NoScriptRefreshSeconds = 2;

    public WorkspaceStatus Status { get; private set; } = null!;

    public bool AwaitingApproval { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Status = WorkspaceStatus.For(User, routes);
        if (Status.Ready)
        {
            return LocalRedirect(Status.Url);
        }

        AwaitingApproval = await accounts.IsAwaitingApprovalAsync(Status.UserName, cancellationToken);
        return Page();
    }
}

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

    /// <summary>
    /// How long the request waits for the workspace before it shows the page: a warm pool's workspace runs within this,
    /// and a redirect straight to it spares the browser a page, its script and its event stream.
    /// </summary>
    private static readonly TimeSpan ReadyWait = TimeSpan.FromSeconds(1.5);

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
        if (!AwaitingApproval && await WaitUntilReadyAsync(cancellationToken))
        {
            return LocalRedirect(Status.Url);
        }

        return Page();
    }

    /// <summary>Follows the user's route for up to <see cref="ReadyWait"/>; true once it runs (<see cref="Status"/> is then current).</summary>
    private async Task<bool> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadyWait);
        while (!timeout.IsCancellationRequested)
        {
            // Taken before the read: a change between reading and waiting still wakes this loop.
            var change = routes.ChangeOf(Status.UserName);
            Status = WorkspaceStatus.For(User, routes);
            if (Status.Ready)
            {
                return true;
            }

            await change.WaitAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return false;
    }
}

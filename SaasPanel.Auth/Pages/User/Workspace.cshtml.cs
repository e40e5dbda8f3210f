using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Polly.CircuitBreaker;
using Polly.Timeout;
using SaasPanel.Auth.ControlApi;
using SaasPanel.Auth.Security;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Pages.User;

/// <summary>
/// Self-service: the signed-in user's own workspace (state, uptime, last activity, the last log lines), start, stop and
/// restart through Control's API as that user, and deleting their own account the way an admin would.
/// </summary>
public sealed class WorkspaceModel(ControlApiClient control, UserAccounts accounts, TimeProvider clock) : FormPageModel
{
    public const int LogLines = 100;

    public SelfServiceWorkspace? Workspace { get; private set; }

    public IReadOnlyList<string> Logs { get; private set; } = [];

    /// <summary>The plan's limits, the container's use and the files on disk as the engine reports them; null when Control cannot say.</summary>
    public SelfServiceUsage? Usage { get; private set; }

    public TimeSpan? Uptime { get; private set; }

    /// <summary>Control did not answer: the page says so instead of failing, and account deletion still works (it goes through the outbox).</summary>
    public bool ControlUnavailable { get; private set; }

    [TempData]
    public string? Message { get; set; }

    private string UserName => User.Identity!.Name!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return ControlUnavailable ? ControlUnavailablePage() : Page();
    }

    public async Task<IActionResult> OnPostChangeAsync(SelfServiceAction action, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid || !Enum.IsDefined(action))
        {
            return BadRequest("Unknown action.");
        }

        ControlCallResult result;
        try
        {
            result = await control.ChangeOwnWorkspaceAsync(UserName, action, cancellationToken);
        }
        catch (Exception exception) when (IsControlUnreachable(exception, cancellationToken))
        {
            result = new(ControlCallOutcome.Retry, exception.Message);
        }

        Message = result.Outcome == ControlCallOutcome.Done
            ? $"{action} requested."
            : "Your workspace cannot do that right now; please try again in a moment.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string? password, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var user = string.IsNullOrEmpty(password)
            ? null
            : await accounts.CheckPasswordAsync(UserName, password, ClientNetwork.Of(HttpContext), cancellationToken);
        if (user is null)
        {
            ModelState.AddModelError("password", "That is not your password; your account was not deleted.");
            await LoadAsync(cancellationToken);
            return Page();
        }

        // The admin's path: the user row goes now, the outbox removes the workspace and its files.
        await accounts.DeleteAsync(user.UserName, requestedBy: user.UserName, cancellationToken);
        await HttpContext.SignOutAsync();
        return LocalRedirect("/user/login");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            Workspace = await control.GetOwnWorkspaceAsync(UserName, cancellationToken);
            if (Workspace is not null)
            {
                // Side by side: the use waits on the engine's stats (about a second), the logs need not wait behind it.
                var logs = control.GetOwnLogsAsync(UserName, LogLines, cancellationToken);
                var usage = control.GetOwnUsageAsync(UserName, cancellationToken);
                await Task.WhenAll(logs, usage);
                (Logs, Usage) = (await logs, await usage);
            }
        }
        catch (Exception exception) when (IsControlUnreachable(exception, cancellationToken))
        {
            (Workspace, Logs, Usage, ControlUnavailable) = (null, [], null, true);
        }

        Uptime = Workspace?.RunningSince is { } since ? clock.GetUtcNow().UtcDateTime - since : null;
    }

    private PageResult ControlUnavailablePage()
    {
        var page = Page();
        page.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return page;
    }

    // Refused, reset, an error status or the resilience pipeline's timeout; not the visitor leaving.
    private static bool IsControlUnreachable(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}

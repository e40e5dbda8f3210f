using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
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

    /// <summary>The workspace's files on disk as the engine reports them; null when it does not.</summary>
    public long? VolumeBytes { get; private set; }

    public TimeSpan? Uptime { get; private set; }

    [TempData]
    public string? Message { get; set; }

    private string UserName => User.Identity!.Name!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostChangeAsync(SelfServiceAction action, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid || !Enum.IsDefined(action))
        {
            return BadRequest("Unknown action.");
        }

        var result = await control.ChangeOwnWorkspaceAsync(UserName, action, cancellationToken);
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
        await accounts.DeleteAsync(user.UserName, cancellationToken);
        await HttpContext.SignOutAsync();
        return LocalRedirect("/user/login");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Workspace = await control.GetOwnWorkspaceAsync(UserName, cancellationToken);
        Logs = Workspace is null ? [] : await control.GetOwnLogsAsync(UserName, LogLines, cancellationToken);
        VolumeBytes = Workspace is null ? null : await control.GetOwnVolumeSizeAsync(UserName, cancellationToken);
        Uptime = Workspace?.RunningSince is { } since ? clock.GetUtcNow().UtcDateTime - since : null;
    }
}

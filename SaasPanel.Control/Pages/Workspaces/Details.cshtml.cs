using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Data;
using SaasPanel.Control.Plans;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Pages.Workspaces;

/// <summary>One workspace: its details, its logs and its history; resource use is fetched by the page as it changes.</summary>
public sealed class DetailsModel(
    ControlDbContext db, IWorkspaceRuntime runtime, WorkspaceUsageReader usage, WorkspaceCommands commands, TimeProvider clock) : PageModel
{
    public const int LogTail = 200;

    public Workspace Workspace { get; private set; } = null!;

    public IReadOnlyList<string> Logs { get; private set; } = [];

    /// <summary>Why logs are missing (no container yet, engine unreachable...).</summary>
    public string? ContainerProblem { get; private set; }

    /// <summary>The files' size on disk as the engine reports it (never guessed), next to the plan's storage limit.</summary>
    public WorkspaceVolume Volume { get; private set; } = null!;

    public IReadOnlyList<AuditEntry> History { get; private set; } = [];

    /// <summary>Every plan, for the selector; the workspace's own is <see cref="Plan"/> (null if its row is missing).</summary>
    public IReadOnlyList<Plan> Plans { get; private set; } = [];

    public Plan? Plan => Plans.FirstOrDefault(p => p.Name == Workspace.Plan);

    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string user, CancellationToken cancellationToken)
    {
        if (await db.Workspaces.AsNoTracking().SingleOrDefaultAsync(w => w.UserName == user, cancellationToken) is not { } workspace)
        {
            return NotFound();
        }

        Workspace = workspace;
        Plans = await db.Plans.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken);
        (History, _) = await new AuditQuery(1, 20, user).RunAsync(db, cancellationToken);
        Volume = await usage.VolumeAsync(workspace, cancellationToken);

        if (workspace.ContainerId is not { } containerId)
        {
            ContainerProblem = "No container yet.";
            return Page();
        }

        try
        {
            var lines = new List<string>();
            await foreach (var line in runtime.GetLogsAsync(containerId, LogTail, follow: false, cancellationToken))
            {
                lines.Add(line);
            }

            Logs = lines;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            ContainerProblem = $"The engine could not show this container: {ex.GetBaseException().Message}";
        }

        return Page();
    }

    /// <summary>Moves the workspace to another plan (the API's <c>PUT /api/workspaces/{user}/plan</c>).</summary>
    public async Task<IActionResult> OnPostPlanAsync(string user, string? plan, CancellationToken cancellationToken)
    {
        if (await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Name == plan, cancellationToken) is not { } chosen)
        {
            Message = $"There is no plan named '{plan}'.";
        }
        else
        {
            var result = await commands.ChangePlanAsync(user, chosen, Caller.Of(HttpContext), cancellationToken);
            Message = result.Outcome switch
            {
                CommandOutcome.NotFound => $"There is no workspace named '{user}'.",
                CommandOutcome.Conflict => result.Problem,
                CommandOutcome.Unchanged => $"{user} already has plan {chosen.Name}.",
                _ => $"{user} moves to plan {chosen.Name}; its container restarts with the new limits.",
            };
        }

        return RedirectToPage(new { user });
    }
}

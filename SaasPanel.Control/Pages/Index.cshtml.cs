using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Contracts;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Data;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Stats;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Pages;

/// <summary>The operator's overview: stat cards, the workspaces table, the provision form and recent activity.</summary>
public sealed class IndexModel(
    ControlDbContext db, ControlStatsReader statsReader, WorkspaceCommands commands, IOptions<RuntimeOptions> runtime,
    IWorkspaceRuntime engine) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "state")]
    public WorkspaceState? State { get; set; }

    [BindProperty(SupportsGet = true, Name = "sort")]
    public WorkspaceSort Sort { get; set; }

    [BindProperty(SupportsGet = true, Name = "desc")]
    public bool Descending { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    [BindProperty]
    public ProvisionInput Provision { get; set; } = new();

    [TempData]
    public string? Message { get; set; }

    public ControlStats Stats { get; private set; } = null!;

    public IReadOnlyList<Workspace> Workspaces { get; private set; } = [];

    /// <summary>The shown workspaces' files on disk next to their plans' storage limits: one (cached) disk usage read for the page.</summary>
    public IReadOnlyDictionary<string, WorkspaceVolume> Volumes { get; private set; } = new Dictionary<string, WorkspaceVolume>();

    public int Total { get; private set; }

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public IReadOnlyList<AuditEntry> RecentActivity { get; private set; } = [];

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostProvisionAsync(CancellationToken cancellationToken)
    {
        var userName = Provision.UserName?.Trim() ?? "";
        var email = Provision.Email?.Trim() ?? "";
        var template = Provision.Template?.Trim();
        ModelState.Clear();
        foreach (var (field, messages) in ProvisionValidation.Validate(userName, email, template, runtime.Value))
        {
            var key = field switch
            {
                "user" => "Provision.UserName",
                "email" => "Provision.Email",
                _ => "Provision.Template",
            };
            ModelState.AddModelError(key, messages[0]);
        }

        if (ModelState.IsValid)
        {
            var result = await commands.ProvisionAsync(userName, email, template, ownerId: null, Caller.Of(HttpContext), cancellationToken);
            if (result.Outcome is not (CommandOutcome.Conflict or CommandOutcome.Invalid))
            {
                Message = result.Outcome == CommandOutcome.Created
                    ? $"Provisioning {userName}: it turns Running below when its container answers."
                    : $"{userName} already has a workspace.";
                return RedirectToPage(new { q = userName });
            }

            ModelState.AddModelError(result.Outcome == CommandOutcome.Invalid ? "Provision.Template" : "Provision.UserName", result.Problem!);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Start, stop, restart, pin, unpin, suspend or resume one workspace or every selected one; the reconciler does the work.</summary>
    public async Task<IActionResult> OnPostActionAsync(string? act, string[] users, string? returnUrl, CancellationToken cancellationToken)
    {
        Func<string, Caller, CancellationToken, Task<CommandResult>>? command = act switch
        {
            "start" => commands.StartAsync,
            "stop" => commands.StopAsync,
            "restart" => commands.RestartAsync,
            "pin" => commands.PinAsync,
            "unpin" => commands.UnpinAsync,
            "suspend" => commands.SuspendAsync,
            "resume" => commands.ResumeAsync,
            _ => null,
        };
        var names = users.Where(u => UserNames.Validate(u) is null).Distinct().ToList();
        if (command is null || names.Count == 0)
        {
            Message = command is null ? $"Unknown action '{act}'." : "Select at least one workspace.";
        }
        else
        {
            var caller = Caller.Of(HttpContext);
            var done = new List<string>();
            foreach (var name in names)
            {
                if ((await command(name, caller, cancellationToken)).Outcome == CommandOutcome.Accepted)
                {
                    done.Add(name);
                }
            }

            var skipped = names.Count - done.Count;
            Message = $"{Capitalize(act!)}: {(done.Count == 0 ? "nothing" : string.Join(", ", done))}"
                + (skipped > 0 ? $" ({skipped} skipped: unknown, being deleted or suspended)." : ".");
        }

        return Url.IsSafeReturnUrl(returnUrl) ? LocalRedirect(returnUrl) : RedirectToPage();
    }

    public string SortLink(WorkspaceSort sort) =>
        Url.Page("/Index", new { q = Search, state = State, sort, desc = sort == Sort && !Descending, p = 1 })!;

    public string PageLink(int page) => Url.Page("/Index", new { q = Search, state = State, sort = Sort, desc = Descending, p = page })!;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        PageNumber = Math.Max(1, PageNumber);
        Stats = await statsReader.ReadAsync(cancellationToken);
        (var items, Total) = await new WorkspaceQuery(PageNumber, PageSize, State, Search, Sort, Descending).RunAsync(db, cancellationToken);
        Workspaces = items;
        var storageLimits = await db.Plans.AsNoTracking().ToDictionaryAsync(p => p.Name, p => p.StorageLimitMb, cancellationToken);
        var sizes = await engine.GetDataSizesAsync(cancellationToken);
        Volumes = items.ToDictionary(w => w.UserName, w => WorkspaceVolume.Of(
            sizes.Of(w.UserName, w.VolumeName), storageLimits.GetValueOrDefault(w.Plan)));
        (RecentActivity, _) = await new AuditQuery(1, 8).RunAsync(db, cancellationToken);
    }

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    public sealed class ProvisionInput
    {
        public string? UserName { get; set; }

        public string? Email { get; set; }

        public string? Template { get; set; }
    }

    /// <summary>The templates the provision form offers: name and display name, the default first.</summary>
    public IEnumerable<(string Name, string DisplayName)> Templates => runtime.Value.Templates
        .OrderBy(t => t.Key != runtime.Value.DefaultTemplate).ThenBy(t => t.Key, StringComparer.Ordinal)
        .Select(t => (t.Key, t.Value.DisplayName ?? t.Key));
}

using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Contracts;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Changes;
using SaasPanel.Control.Data;
using SaasPanel.Control.Plans;
using SaasPanel.Control.Reconciler;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Security;

namespace SaasPanel.Control.Workspaces;

/// <summary>Who asked for a change, for the audit log.</summary>
public sealed record Caller(string Actor, string? Source)
{
    /// <summary>
    /// The signed-in admin or the API key (or the user or admin the key's holder acts for: only the key may say so),
    /// and the address the request came from.
    /// </summary>
    public static Caller Of(HttpContext http) =>
        new(ActingUserOf(http) ?? http.User.FindFirstValue(ClaimTypes.Name) ?? "unknown", http.Connection.RemoteIpAddress?.ToString());

    private static string? ActingUserOf(HttpContext http) =>
        http.User.Identity?.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName
        && http.Request.Headers[Headers.ActingUser] is [{ } user] && UserNames.IsValid(user)
            ? user
            : null;
}

public enum CommandOutcome
{
    Created,
    Unchanged,
    Accepted,
    NotFound,
    Conflict,

    /// <summary>The plan refuses what was asked (<see cref="CommandResult.Problem"/> says why): a template it does not allow.</summary>
    Invalid,
}

public sealed record CommandResult(CommandOutcome Outcome, Workspace? Workspace, string? Problem = null);

/// <summary>
/// Changes to what workspaces should be (the API and the panel both go through here): each writes the
/// desired state and an audit row in one transaction, then tells the feed and wakes the reconciler.
/// </summary>
public sealed class WorkspaceCommands(
    ControlDbContext db, WorkspaceChangeFeed feed, WorkspaceReconciler reconciler, IOptions<RuntimeOptions> runtime,
    IOptions<PlanOptions> plans, TimeProvider clock)
{
    private const int MaxAttempts = 5;

    private static readonly Func<Workspace, Task<string?>> RefusedWhileSuspended = static w => Task.FromResult(w.Suspended
        ? $"Workspace '{w.UserName}' is suspended by an administrator; resume it first."
        : null);

    /// <summary>
    /// Creates the workspace (desired: running) or returns the existing one; safe to repeat and to race. A template
    /// (null: the default for a new one, unchanged for an existing one) that differs rolls the workspace to it. An
    /// <paramref name="ownerId"/> binds the workspace to that account: one without an owner takes it, and one of another
    /// account is a conflict (a re-registered name waits until the deleted account's workspace is gone).
    /// </summary>
    public async Task<CommandResult> ProvisionAsync(string userName, string email, string? template, string? ownerId, Caller caller,
        CancellationToken cancellationToken)
    {
        var existing = await FindAsync(userName, cancellationToken);
        if (existing is not null)
        {
            return await ProvisionExistingAsync(existing, email, template, ownerId, caller, cancellationToken);
        }

        return await CreateAsync(userName, email, string.IsNullOrEmpty(template) ? runtime.Value.DefaultTemplate : template, ownerId,
            caller, cancellationToken) ?? await ProvisionRaceLostAsync(userName, email, template, ownerId, caller, cancellationToken);
    }

    /// <summary>
    /// Writes the new workspace on the default plan, if the plan allows its template and has room; null when a concurrent
    /// provision of the same name came first. Counting and inserting share one write transaction (SQLite's
    /// BEGIN IMMEDIATE), so parallel provisions queue behind each other instead of all seeing room for one more.
    /// </summary>
    private async Task<CommandResult?> CreateAsync(string userName, string email, string template, string? ownerId, Caller caller,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await FindAsync(userName, cancellationToken) is not null)
        {
            return null;
        }

        var plan = await db.Plans.AsNoTracking().SingleAsync(p => p.Name == plans.Value.Default, cancellationToken);
        if (TemplateRefusal(plan, template) is { } notAllowed)
        {
            return new CommandResult(CommandOutcome.Invalid, null, notAllowed);
        }

        if (await FullRefusalAsync(plan, cancellationToken) is { } full)
        {
            return new CommandResult(CommandOutcome.Conflict, null, full);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var workspace = new Workspace
        {
            UserName = userName,
            Email = email,
            OwnerId = ownerId,
            Template = template,
            Plan = plan.Name,
            GatewaySecret = RandomNumberGenerator.GetHexString(64, lowercase: true),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Workspaces.Add(workspace);
        AuditLog.Record(db, clock, caller.Actor, "provision", userName, "created", $"{email}, template {workspace.Template}", caller.Source);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return null;
        }

        return new CommandResult(CommandOutcome.Created, await ChangedAsync(userName, cancellationToken) ?? workspace);
    }

    /// <summary>A concurrent provision of the same name won the unique index: this one is a repeat of it.</summary>
    private async Task<CommandResult> ProvisionRaceLostAsync(string userName, string email, string? template, string? ownerId,
        Caller caller, CancellationToken cancellationToken)
    {
        var winner = await FindAsync(userName, cancellationToken)
            ?? throw new InvalidOperationException($"Provisioning '{userName}' failed, and no workspace of that name exists.");
        return await ProvisionExistingAsync(winner, email, template, ownerId, caller, cancellationToken);
    }

    private async Task<CommandResult> ProvisionExistingAsync(Workspace existing, string email, string? template, string? ownerId,
        Caller caller, CancellationToken cancellationToken)
    {
        if (existing.DesiredState == DesiredState.Deleted)
        {
            return new CommandResult(CommandOutcome.Conflict, existing,
                $"Workspace '{existing.UserName}' is being deleted; provision it again once it is gone.");
        }

        if (ownerId is not null && existing.OwnerId is not null && existing.OwnerId != ownerId)
        {
            return new CommandResult(CommandOutcome.Conflict, existing,
                $"Workspace '{existing.UserName}' belongs to another account of that name; provision it again once that one's workspace is deleted.");
        }

        var newTemplate = string.IsNullOrEmpty(template) ? existing.Template : template;
        var newOwner = ownerId ?? existing.OwnerId;
        if (existing.Email == email && existing.Template == newTemplate && existing.OwnerId == newOwner)
        {
            return new CommandResult(CommandOutcome.Unchanged, existing);
        }

        if (newTemplate != existing.Template
            && await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Name == existing.Plan, cancellationToken) is { } plan
            && TemplateRefusal(plan, newTemplate) is { } notAllowed)
        {
            return new CommandResult(CommandOutcome.Invalid, existing, notAllowed);
        }

        var change = string.Join(", ", new[]
        {
            existing.Email != email ? $"email {email}" : null,
            existing.Template != newTemplate ? $"template {existing.Template} → {newTemplate}" : null,
            existing.OwnerId != newOwner ? $"owner {newOwner}" : null,
        }.OfType<string>());
        existing.Email = email;
        existing.Template = newTemplate;
        existing.OwnerId = newOwner;
        existing.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Workspaces.Where(w => w.Id == existing.Id).ExecuteUpdateAsync(update => update
            .SetProperty(w => w.Email, existing.Email)
            .SetProperty(w => w.Template, existing.Template)
            .SetProperty(w => w.OwnerId, existing.OwnerId)
            .SetProperty(w => w.Generation, w => w.Generation + 1)
            .SetProperty(w => w.UpdatedAt, existing.UpdatedAt), cancellationToken);
        AuditLog.Record(db, clock, caller.Actor, "update", existing.UserName, "ok", change, caller.Source);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CommandResult(CommandOutcome.Unchanged, await ChangedAsync(existing.UserName, cancellationToken) ?? existing);
    }

    /// <summary>Also what the gateway's wake on request calls: refused while the workspace is suspended.</summary>
    public Task<CommandResult> StartAsync(string userName, Caller caller, CancellationToken cancellationToken) =>
        ChangeAsync(userName, new("start", w => w.DesiredState = DesiredState.Running) { Refusal = RefusedWhileSuspended }, caller,
            cancellationToken);

    public Task<CommandResult> StopAsync(string userName, Caller caller, CancellationToken cancellationToken) =>
        ChangeAsync(userName, new("stop", w => w.DesiredState = DesiredState.Stopped), caller, cancellationToken);

    public Task<CommandResult> RestartAsync(string userName, Caller caller, CancellationToken cancellationToken) =>
        ChangeAsync(userName, new("restart", w =>
        {
            w.DesiredState = DesiredState.Running;
            w.RestartRequestedAt = clock.GetUtcNow().UtcDateTime;
        })
        { Refusal = RefusedWhileSuspended }, caller, cancellationToken);

    /// <summary>Stops the workspace and keeps it stopped: only <see cref="ResumeAsync"/> lets it run again.</summary>
    public Task<CommandResult> SuspendAsync(string userName, Caller caller, CancellationToken cancellationToken) =>
        ChangeAsync(userName, new("suspended", w =>
        {
            w.Suspended = true;
            w.DesiredState = DesiredState.Stopped;
        }), caller, cancellationToken);

    public Task<CommandResult> ResumeAsync(string userName, Caller caller, CancellationToken cancellationToken) =>
        ChangeAsync(userName, new("resumed", w =>
        {
            w.Suspended = false;
            w.DesiredState = DesiredState.Running;
        }), caller, cancellationToken);

    public Task<CommandResult> PinAsync(string userName, Caller caller, CancellationToken cancellationToken) =>
        ChangeAsync(userName, new("pin", w => w.Pinned = true), caller, cancellationToken);

    public Task<CommandResult> UnpinAsync(string userName, Caller caller, CancellationToken cancellationToken) =>
        ChangeAsync(userName, new("unpin", w => w.Pinned = false), caller, cancellationToken);

    /// <summary>
    /// Stops a workspace the culler found idle, unless it changed since the culler read it (used, pinned, stopped or
    /// restarted meanwhile): the row is written only if it is still the one <paramref name="seen"/>. The volume stays.
    /// </summary>
    public async Task<bool> CullAsync(Workspace seen, string reason, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.Workspaces
            .Where(w => w.Id == seen.Id && w.Generation == seen.Generation && w.LastActivityAt == seen.LastActivityAt)
            .ExecuteUpdateAsync(update => update
                .SetProperty(w => w.DesiredState, DesiredState.Stopped)
                .SetProperty(w => w.Generation, w => w.Generation + 1)
                .SetProperty(w => w.UpdatedAt, now), cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        AuditLog.Record(db, clock, AuditLog.CullerActor, "culled", seen.UserName, "accepted", reason);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ChangedAsync(seen.UserName, cancellationToken);
        return true;
    }

    /// <summary>
    /// Moves the workspace to <paramref name="plan"/>: a conflict when the plan does not allow its template or is full.
    /// The reconciler then rolls its container to the plan's limits (the volume stays).
    /// </summary>
    public async Task<CommandResult> ChangePlanAsync(string userName, Plan plan, Caller caller, CancellationToken cancellationToken)
    {
        if (await FindAsync(userName, cancellationToken) is not { } workspace)
        {
            return new CommandResult(CommandOutcome.NotFound, null);
        }

        if (workspace.Plan == plan.Name)
        {
            return new CommandResult(CommandOutcome.Unchanged, workspace);
        }

        return await ChangeAsync(userName, new("plan", w => w.Plan = plan.Name)
        {
            Detail = $"{workspace.Plan} → {plan.Name}",
            Refusal = async w => TemplateRefusal(plan, w.Template) ?? await FullRefusalAsync(plan, cancellationToken),
        }, caller, cancellationToken);
    }

    /// <summary>Why <paramref name="plan"/> does not take a workspace running <paramref name="template"/>; null when it does.</summary>
    private static string? TemplateRefusal(Plan plan, string template) =>
        plan.Allows(template) ? null : $"Plan '{plan.Name}' does not allow template '{template}' (only {string.Join(", ", plan.AllowedTemplates)}).";

    /// <summary>Why <paramref name="plan"/> takes no further workspace; null when it has room. Run it in the write transaction that adds one.</summary>
    private async Task<string?> FullRefusalAsync(Plan plan, CancellationToken cancellationToken) =>
        plan.MaxWorkspaces is { } max && await db.Workspaces.CountAsync(w => w.Plan == plan.Name, cancellationToken) >= max
            ? $"Plan '{plan.Name}' is full: it allows {max} workspace(s)."
            : null;

    public Task<CommandResult> DeleteAsync(string userName, Caller caller, CancellationToken cancellationToken) =>
        ChangeAsync(userName, new("delete", w =>
        {
            w.DesiredState = DesiredState.Deleted;
            w.State = WorkspaceState.Deleting;
        }), caller, cancellationToken);

    /// <summary>
    /// One change to what a workspace should be: the audit log's action (and <see cref="Detail"/>), what it sets, and
    /// why it may be refused (<see cref="Refusal"/>: a problem, or null), judged on the row as read in the change's transaction.
    /// </summary>
    private sealed record WorkspaceChange(string Action, Action<Workspace> Apply)
    {
        public string? Detail { get; init; }

        public Func<Workspace, Task<string?>>? Refusal { get; init; }
    }

    private async Task<CommandResult> ChangeAsync(string userName, WorkspaceChange change, Caller caller, CancellationToken cancellationToken)
    {
        // Generation is a concurrency token: when the reconciler wrote the row meanwhile, read it again and redo.
        for (var attempt = 1; ; attempt++)
        {
            // One write transaction from the read to the write, so what the refusal counted stays true until the change is in.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var workspace = await db.Workspaces.SingleOrDefaultAsync(w => w.UserName == userName, cancellationToken);
            if (workspace is null)
            {
                return new CommandResult(CommandOutcome.NotFound, null);
            }

            if (workspace.DesiredState == DesiredState.Deleted)
            {
                return new CommandResult(CommandOutcome.Conflict, workspace, $"Workspace '{userName}' is being deleted.");
            }

            if (change.Refusal is not null && await change.Refusal(workspace) is { } problem)
            {
                return new CommandResult(CommandOutcome.Conflict, workspace, problem);
            }

            change.Apply(workspace);
            workspace.Generation++;
            workspace.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            AuditLog.Record(db, clock, caller.Actor, change.Action, userName, "accepted", change.Detail, caller.Source);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                db.ChangeTracker.Clear();
                continue;
            }

            return new CommandResult(CommandOutcome.Accepted, await ChangedAsync(userName, cancellationToken) ?? workspace);
        }
    }

    private Task<Workspace?> FindAsync(string userName, CancellationToken cancellationToken) =>
        db.Workspaces.AsNoTracking().SingleOrDefaultAsync(w => w.UserName == userName, cancellationToken);

    /// <summary>
    /// Publishes the row as it is now (its generation as stored, the one place that counts it), wakes the reconciler
    /// and returns that row; null if it is gone already.
    /// </summary>
    private async Task<Workspace?> ChangedAsync(string userName, CancellationToken cancellationToken)
    {
        var current = await FindAsync(userName, cancellationToken);
        if (current is not null)
        {
            feed.Publish(WorkspaceChanges.From(current));
        }

        reconciler.Wake(userName);
        return current;
    }
}

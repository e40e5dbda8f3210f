using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Changes;
using SaasPanel.Control.Data;
using SaasPanel.Control.Plans;
using SaasPanel.Control.Pool;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Telemetry;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Reconciler;

/// <summary>
/// One pass over one user: brings their containers and data in line with their workspace row (or its absence),
/// recording every observed state with its audit row. Idempotent: run it twice, or after a crash at any line.
/// <see cref="WorkspaceReconciler"/> decides when, and for whom.
/// </summary>
public sealed partial class WorkspaceConvergence(
    IServiceScopeFactory scopes,
    IWorkspaceRuntime runtime,
    WarmPool pool,
    WorkspaceChangeFeed feed,
    ControlTelemetry telemetry,
    TimeProvider clock,
    IOptions<RuntimeOptions> runtimeOptions,
    ILogger<WorkspaceConvergence> logger)
{
    private readonly ConcurrentDictionary<string, string> _imageIds = new(StringComparer.Ordinal);

    /// <summary>
    /// Brings one user's containers and data in line with their workspace row (or its absence). A failure is recorded
    /// on the workspace (Failed, with the reason) and thrown, for the caller to count once.
    /// </summary>
    public async Task ReconcileAsync(string userName, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlDbContext>();
        try
        {
            var workspace = await db.Workspaces.AsNoTracking().SingleOrDefaultAsync(w => w.UserName == userName, cancellationToken);
            var containers = (await runtime.ListAsync(userName, cancellationToken)).ToList();
            if (workspace is null || workspace.DesiredState == DesiredState.Deleted)
            {
                await RemoveAsync(db, userName, workspace, containers, cancellationToken);
                return;
            }

            try
            {
                await ConvergeAsync(db, workspace, containers, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await ObserveAsync(db, workspace, WorkspaceState.Failed, workspace.ContainerId, workspace.Endpoint,
                    ex.GetBaseException().Message, cancellationToken);
                throw;
            }
        }
        finally
        {
            telemetry.ReconcileDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>Forgets the templates' image ids, so the next look-up sees a rebuilt image (once per sweep).</summary>
    public void ForgetImages() => _imageIds.Clear();

    /// <summary>The template's image id as last looked up, or null.</summary>
    public string? KnownImageOf(string template) => _imageIds.GetValueOrDefault(template);

    private async Task RemoveAsync(ControlDbContext db, string userName, Workspace? workspace,
        List<WorkspaceInstance> containers, CancellationToken cancellationToken)
    {
        foreach (var container in containers)
        {
            await runtime.RemoveAsync(container.Id, cancellationToken);
        }

        await runtime.RemoveDataAsync(userName, workspace?.VolumeName, cancellationToken);

        if (workspace is null)
        {
            if (containers.Count > 0)
            {
                LogPruned(userName, containers.Count);
                AuditLog.Record(db, clock, AuditLog.ReconcilerActor, "prune", userName, "removed",
                    $"{containers.Count} container(s) with no workspace");
                await db.SaveChangesAsync(cancellationToken);
            }

            return;
        }

        // Only the row of this deletion: a new provision of the same name after it is a new workspace.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var removed = await db.Workspaces
                .Where(w => w.Id == workspace.Id && w.DesiredState == DesiredState.Deleted)
                .ExecuteDeleteAsync(cancellationToken);
            if (removed == 0)
            {
                return;
            }

            AuditLog.Record(db, clock, AuditLog.ReconcilerActor, "remove", userName, "removed", "container and data removed");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        telemetry.RecordTransition(WorkspaceState.Deleted);
        feed.Publish(WorkspaceChanges.Removed(workspace));
        LogTransition(userName, WorkspaceState.Deleted);
    }

    private async Task ConvergeAsync(ControlDbContext db, Workspace workspace, List<WorkspaceInstance> containers,
        CancellationToken cancellationToken)
    {
        var containerName = WorkspaceLabels.ContainerName(runtimeOptions.Value.InstanceId, workspace.UserName);
        if (containers.Count == 0 && await FinishClaimAsync(workspace, cancellationToken) is { } claimed)
        {
            containers.Add(claimed);
        }

        var container = containers.FirstOrDefault(c => c.Id == workspace.ContainerId) ?? containers.FirstOrDefault();

        // Duplicates (labelled by hand, or left by an engine restart) go; one container per user.
        foreach (var extra in containers.Where(c => c.Id != container?.Id))
        {
            await runtime.RemoveAsync(extra.Id, cancellationToken);
        }

        if (workspace.DesiredState == DesiredState.Stopped)
        {
            if (container is { Running: true })
            {
                await ObserveAsync(db, workspace, WorkspaceState.Stopping, container.Id, workspace.Endpoint, null, cancellationToken);
                await runtime.StopAsync(container.Id, cancellationToken);
            }

            if (workspace.State != WorkspaceState.Stopped || workspace.Endpoint is not null)
            {
                await ObserveAsync(db, workspace, WorkspaceState.Stopped, container?.Id, null, null, cancellationToken);
            }

            return;
        }

        var imageId = await ImageOfAsync(workspace.Template, cancellationToken);
        var limits = LimitsOf(workspace, await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Name == workspace.Plan, cancellationToken));
        if (container is not null && (container.ImageId != imageId || container.Template != workspace.Template || LimitsOf(container) != limits.Label))
        {
            LogRolling(workspace.UserName, $"{container.Template} {container.ImageId} {container.Limits}", $"{workspace.Template} {imageId} {limits.Label}");
            await runtime.RemoveAsync(container.Id, cancellationToken);
            container = null;
        }
        else if (container is { Running: true, Endpoint: null })
        {
            // Running but unreachable: its network was removed under it (and is back by now). A new container joins it.
            LogUnreachable(workspace.UserName, container.Id);
            await runtime.RemoveAsync(container.Id, cancellationToken);
            container = null;
        }

        var provisioning = Stopwatch.GetTimestamp();
        var needsReadiness = false;
        if (container is null)
        {
            container = await ClaimFromPoolAsync(db, workspace, imageId, limits, cancellationToken);
        }

        if (container is null)
        {
            await ObserveAsync(db, workspace, WorkspaceState.Starting, null, null, null, cancellationToken);
            container = await runtime.CreateAsync(
                new WorkspaceSpec(workspace.UserName, workspace.GatewaySecret, workspace.Generation, workspace.Template, imageId, limits,
                    workspace.VolumeName),
                cancellationToken);
            LogCreated(workspace.UserName, containerName);
        }

        if (!container.Running)
        {
            if (workspace.State != WorkspaceState.Starting)
            {
                await ObserveAsync(db, workspace, WorkspaceState.Starting, container.Id, null, null, cancellationToken);
            }

            await runtime.StartAsync(container.Id, cancellationToken);
            needsReadiness = true;
        }
        else if (workspace.RestartRequestedAt is { } restartRequested
            && (await runtime.InspectAsync(container.Id, cancellationToken))?.StartedAt < restartRequested)
        {
            await ObserveAsync(db, workspace, WorkspaceState.Starting, container.Id, null, null, cancellationToken);
            await runtime.RestartAsync(container.Id, cancellationToken);
            needsReadiness = true;
        }

        if (!needsReadiness && workspace.State == WorkspaceState.Running
            && workspace.ContainerId == container.Id && container.Endpoint is not null && workspace.Endpoint == container.Endpoint.Url)
        {
            return;
        }

        var running = await runtime.InspectAsync(container.Id, cancellationToken)
            ?? throw new WorkspaceRuntimeException("The container disappeared while starting.");
        if (running.Endpoint is not { } endpoint || !running.Running)
        {
            throw new WorkspaceRuntimeException($"The container is {running.Status} and has no address on the installation's network.");
        }

        if (!await runtime.WaitUntilReadyAsync(running, runtimeOptions.Value.StartTimeout, cancellationToken))
        {
            var status = (await runtime.InspectAsync(container.Id, cancellationToken))?.Status ?? "gone";
            throw new WorkspaceRuntimeException(
                $"The app did not answer its readiness path within {runtimeOptions.Value.StartTimeout.TotalSeconds:0} s (it is {status}).");
        }

        telemetry.ProvisionDuration.Record(Stopwatch.GetElapsedTime(provisioning).TotalSeconds);
        await ObserveAsync(db, workspace, WorkspaceState.Running, container.Id, endpoint.Url, null, cancellationToken);
    }

    /// <summary>
    /// A new workspace (never had a container, has no files) takes a started member of the warm pool instead of
    /// starting a container: the row takes the member's container, gateway secret and volume first, then the member
    /// takes the user's name. A crash in between leaves a row naming a pool member, which <see cref="FinishClaimAsync"/>
    /// completes and the pool never hands out again; so a claim is never lost, and never made twice. Null: none to claim.
    /// </summary>
    private async Task<WorkspaceInstance?> ClaimFromPoolAsync(ControlDbContext db, Workspace workspace, string imageId, WorkspaceLimits limits,
        CancellationToken cancellationToken)
    {
        if (workspace.ContainerId is not null || workspace.VolumeName is not null
            || pool.TryTake(workspace.Template, imageId, limits.Label) is not { } member)
        {
            return null;
        }

        var taken = false;
        try
        {
            // Files kept from before (a workspace provisioned again over its user's volume) stay theirs: no claim.
            taken = !await runtime.HasDataAsync(workspace.UserName, cancellationToken)
                && await db.Workspaces
                    .Where(w => w.Id == workspace.Id && w.ContainerId == null && w.VolumeName == null)
                    .ExecuteUpdateAsync(update => update
                        .SetProperty(w => w.ContainerId, member.ContainerId)
                        .SetProperty(w => w.GatewaySecret, member.GatewaySecret)
                        .SetProperty(w => w.VolumeName, member.VolumeName)
                        .SetProperty(w => w.Generation, w => w.Generation + 1)
                        .SetProperty(w => w.UpdatedAt, clock.GetUtcNow().UtcDateTime), cancellationToken) == 1;
        }
        finally
        {
            if (!taken)
            {
                pool.Return(member);
            }
        }

        if (!taken)
        {
            return null;
        }

        workspace.GatewaySecret = member.GatewaySecret;
        workspace.VolumeName = member.VolumeName;
        await ObserveAsync(db, workspace, WorkspaceState.Starting, member.ContainerId, null, null, cancellationToken);
        var claimed = await runtime.ClaimAsync(member.ContainerId, workspace.UserName, cancellationToken);
        pool.Claimed(member.ContainerId);
        telemetry.PoolClaims.Add(1);
        LogClaimed(workspace.UserName, member.ContainerId);
        return claimed;
    }

    /// <summary>
    /// The pool member a crash left half-claimed (the row names it, it still bears a pool member's name) becomes the
    /// user's now; null when the row names no such container.
    /// </summary>
    private async Task<WorkspaceInstance?> FinishClaimAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        if (!runtime.SupportsWarmPool || workspace.ContainerId is not { } containerId
            || await runtime.InspectAsync(containerId, cancellationToken) is not { } member || !WorkspaceLabels.IsPoolMember(member.UserName))
        {
            return null;
        }

        LogFinishingClaim(workspace.UserName, containerId);
        var claimed = await runtime.ClaimAsync(containerId, workspace.UserName, cancellationToken);
        pool.Claimed(containerId);
        return claimed;
    }

    /// <summary>
    /// Writes what the engine shows (only the observed columns, so a concurrent API change to the
    /// desired state is never overwritten), audits a change of state and publishes the new picture.
    /// </summary>
    private async Task ObserveAsync(ControlDbContext db, Workspace workspace, WorkspaceState state, string? containerId,
        string? endpoint, string? error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        DateTime? runningSince = state == WorkspaceState.Running
            ? (workspace.State == WorkspaceState.Running ? workspace.RunningSince ?? now : now)
            : null;
        var transition = workspace.State != state || workspace.LastError != error;
        // The observation and its audit row are written together or not at all.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.Workspaces.Where(w => w.Id == workspace.Id).ExecuteUpdateAsync(update => update
                .SetProperty(w => w.State, state)
                .SetProperty(w => w.ContainerId, containerId)
                .SetProperty(w => w.Endpoint, endpoint)
                .SetProperty(w => w.LastError, error)
                .SetProperty(w => w.RunningSince, runningSince)
                .SetProperty(w => w.Generation, w => w.Generation + 1)
                .SetProperty(w => w.UpdatedAt, now), cancellationToken);
            if (transition)
            {
                AuditLog.Record(db, clock, AuditLog.ReconcilerActor, "transition", workspace.UserName,
                    state == WorkspaceState.Failed ? "failed" : "ok", error ?? $"{workspace.State} → {state}");
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        if (transition)
        {
            telemetry.RecordTransition(state);
            LogTransition(workspace.UserName, state);
        }

        workspace.State = state;
        workspace.ContainerId = containerId;
        workspace.Endpoint = endpoint;
        workspace.LastError = error;
        workspace.RunningSince = runningSince;

        var current = await db.Workspaces.AsNoTracking().SingleOrDefaultAsync(w => w.Id == workspace.Id, cancellationToken);
        if (current is not null)
        {
            feed.Publish(WorkspaceChanges.From(current));
        }
    }

    /// <summary>
    /// The limits its container is to have: its plan's; the template's (else the runtime's defaults) only while its plan
    /// is missing (a plan in use cannot be deleted, so that is a row written by hand).
    /// </summary>
    public WorkspaceLimits LimitsOf(Workspace workspace, Plan? plan) =>
        plan?.Limits ?? WorkspaceLimits.Default(runtimeOptions.Value, runtimeOptions.Value.FindTemplate(workspace.Template));

    /// <summary>
    /// The limits a container has: its label's. One made before plans has no label and has what its template (else the
    /// runtime's defaults) gave it, so an upgrade rolls only the workspaces whose plan says otherwise.
    /// </summary>
    public string LimitsOf(WorkspaceInstance container) =>
        container.Limits ?? WorkspaceLimits.Default(runtimeOptions.Value, runtimeOptions.Value.FindTemplate(container.Template)).Label;

    /// <summary>The template's current image id, looked up once per sweep (<see cref="ForgetImages"/>).</summary>
    public async Task<string> ImageOfAsync(string template, CancellationToken cancellationToken)
    {
        if (!_imageIds.TryGetValue(template, out var imageId))
        {
            imageId = await runtime.ResolveImageAsync(template, cancellationToken);
            _imageIds[template] = imageId;
        }

        return imageId;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {UserName} is now {State}")]
    private partial void LogTransition(string userName, WorkspaceState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created container {ContainerName} for {UserName}")]
    private partial void LogCreated(string userName, string containerName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {UserName} claimed the warm pool's container {ContainerId}")]
    private partial void LogClaimed(string userName, string containerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Finishing the claim of {UserName} on the warm pool's container {ContainerId}, which a crash interrupted")]
    private partial void LogFinishingClaim(string userName, string containerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rolling workspace {UserName} from image and limits {OldImage} to {NewImage}")]
    private partial void LogRolling(string userName, string oldImage, string newImage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The container {ContainerId} of {UserName} runs with no address on the network; replacing it")]
    private partial void LogUnreachable(string userName, string containerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed {Count} container(s) of {UserName}, who has no workspace")]
    private partial void LogPruned(string userName, int count);
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Changes;
using SaasPanel.Control.Data;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Telemetry;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Reconciler;

/// <summary>
/// Converges the engine to the database, one workspace at a time per user and a bounded number
/// at once. Woken by API changes, by engine events and by a periodic sweep; every step is
/// idempotent, so a crash at any line is repaired by the next pass.
/// </summary>
public sealed partial class WorkspaceReconciler(
    IServiceScopeFactory scopes,
    IWorkspaceRuntime runtime,
    WorkspaceChangeFeed feed,
    StartupVerification startupVerification,
    ControlTelemetry telemetry,
    TimeProvider clock,
    IOptions<ReconcilerOptions> reconcilerOptions,
    IOptions<RuntimeOptions> runtimeOptions,
    ILogger<WorkspaceReconciler> logger) : BackgroundService
{
    private static readonly TimeSpan EngineRetryDelay = TimeSpan.FromSeconds(2);

    private readonly ReconcileQueue _queue = new();
    private readonly ConcurrentDictionary<string, string> _imageIds = new(StringComparer.Ordinal);
    private CancellationTokenSource _sweepNow = new();

    /// <summary>Asks for this user's workspace to be converged soon.</summary>
    public void Wake(string userName) => _queue.Enqueue(userName, Activity.Current?.Context ?? default);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, reconcilerOptions.Value.Parallelism).Select(_ => RunWorkerAsync(stoppingToken));
        return Task.WhenAll([RunSweepsAsync(stoppingToken), WatchEngineAsync(stoppingToken), .. workers]);
    }

    /// <summary>Asks for a sweep now rather than at the next interval (the engine came back, say).</summary>
    private void RequestSweep() => Volatile.Read(ref _sweepNow).Cancel();

    private async Task RunSweepsAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Replaced before the sweep, so a request during it brings the next one forward.
            using var sweepNow = new CancellationTokenSource();
            Volatile.Write(ref _sweepNow, sweepNow);
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(ex.GetBaseException().Message);
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, sweepNow.Token);
            try
            {
                await Task.Delay(reconcilerOptions.Value.SweepInterval, clock, wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // Asked for a sweep now.
            }
        }
    }

    /// <summary>
    /// Queues every workspace the engine's listing does not already show as it should be, and every user
    /// that has containers or data but no workspace (to prune them). One listing for all, so a sweep of
    /// thousands of settled workspaces costs one engine call, not one per workspace.
    /// </summary>
    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        using var activity = ControlTelemetry.ActivitySource.StartActivity("reconcile sweep");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlDbContext>();
        var workspaces = await db.Workspaces.AsNoTracking().ToListAsync(cancellationToken);
        telemetry.CountWorkspaces(workspaces.Select(w => w.State));

        await runtime.PrepareAsync(cancellationToken);
        _imageIds.Clear();
        foreach (var template in workspaces.Select(w => w.Template).Distinct())
        {
            try
            {
                await ImageOfAsync(template, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Its workspaces count as unsettled; reconciling them records the reason on each.
                LogTemplateUnavailable(template, ex.GetBaseException().Message);
            }
        }

        var containers = (await runtime.ListAsync(null, cancellationToken)).ToLookup(c => c.UserName);
        var data = await runtime.ListDataAsync(cancellationToken);
        var known = workspaces.Select(w => w.UserName).ToHashSet();
        var unsettled = workspaces
            .Where(w => !IsSettled(w, containers[w.UserName].ToList(), _imageIds.GetValueOrDefault(w.Template)))
            .Select(w => w.UserName).ToList();
        // A settled workspace has just been compared with the engine's listing: it counts as checked.
        startupVerification.Begin(known);
        foreach (var user in known.Except(unsettled))
        {
            startupVerification.Checked(user);
        }

        var orphans = containers.Select(c => c.Key).Concat(data).Where(user => !known.Contains(user));
        foreach (var user in unsettled.Concat(orphans).Distinct())
        {
            _queue.Enqueue(user);
        }
    }

    /// <summary>Whether the engine already shows this workspace as its row says it should be, so there is nothing to do.</summary>
    internal static bool IsSettled(Workspace workspace, IReadOnlyList<WorkspaceInstance> containers, string? imageId) =>
        workspace.DesiredState switch
        {
            DesiredState.Running => containers is [{ Running: true, Endpoint: not null } container]
                && container.Id == workspace.ContainerId && container.ImageId == imageId && container.Template == workspace.Template
                && container.Endpoint.Url == workspace.Endpoint
                && workspace.State == WorkspaceState.Running && !(workspace.RestartRequestedAt > workspace.RunningSince),
            DesiredState.Stopped => workspace.State == WorkspaceState.Stopped && workspace.Endpoint is null && containers switch
            {
                [] => true,
                [{ Running: false } container] => container.Id == workspace.ContainerId,
                _ => false,
            },
            _ => false,
        };

    private async Task WatchEngineAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in runtime.WatchAsync(stoppingToken))
                {
                    if (change.IsConnected)
                    {
                        // Whatever happened while the stream was down (an engine restart) was not heard: look.
                        RequestSweep();
                    }
                    else
                    {
                        _queue.Enqueue(change.UserName);
                    }
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogEngineEventsLost(ex.GetBaseException().Message);
                await Task.Delay(EngineRetryDelay, clock, stoppingToken);
            }
        }
    }

    private async Task RunWorkerAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            string userName;
            ActivityContext cause;
            try
            {
                (userName, cause) = await _queue.DequeueAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using var activity = ControlTelemetry.ActivitySource.StartActivity("reconcile workspace", ActivityKind.Internal, cause);
            activity?.SetTag(TelemetryConventions.UserTag, userName);
            using var logScope = logger.BeginUserScope(userName);
            try
            {
                await ReconcileAsync(userName, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                RecordFailure(userName, ex.GetBaseException().Message);
            }
            finally
            {
                _queue.Done(userName);
                startupVerification.Checked(userName);
            }
        }
    }

    /// <summary>Counts, traces and logs a failed reconcile; the current activity is the reconcile's own.</summary>
    private void RecordFailure(string userName, string error)
    {
        telemetry.ReconcileErrors.Add(1);
        Activity.Current?.SetStatus(ActivityStatusCode.Error, error);
        LogReconcileFailed(userName, error);
    }

    /// <summary>Brings one user's containers and data in line with their workspace row (or its absence).</summary>
    private async Task ReconcileAsync(string userName, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlDbContext>();

        var workspace = await db.Workspaces.AsNoTracking().SingleOrDefaultAsync(w => w.UserName == userName, cancellationToken);
        var containers = (await runtime.ListAsync(userName, cancellationToken)).ToList();

        if (workspace is null || workspace.DesiredState == DesiredState.Deleted)
        {
            await RemoveAsync(db, userName, workspace, containers, cancellationToken);
        }
        else
        {
            try
            {
                await ConvergeAsync(db, workspace, containers, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var error = ex.GetBaseException().Message;
                RecordFailure(userName, error);
                await ObserveAsync(db, workspace, WorkspaceState.Failed, workspace.ContainerId, workspace.Endpoint, error, cancellationToken);
            }
        }

        telemetry.ReconcileDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private async Task RemoveAsync(ControlDbContext db, string userName, Workspace? workspace,
        List<WorkspaceInstance> containers, CancellationToken cancellationToken)
    {
        foreach (var container in containers)
        {
            await runtime.RemoveAsync(container.Id, cancellationToken);
        }

        await runtime.RemoveDataAsync(userName, cancellationToken);

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
        if (container is not null && (container.ImageId != imageId || container.Template != workspace.Template))
        {
            LogRolling(workspace.UserName, $"{container.Template} {container.ImageId}", $"{workspace.Template} {imageId}");
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
            await ObserveAsync(db, workspace, WorkspaceState.Starting, null, null, null, cancellationToken);
            container = await runtime.CreateAsync(
                new WorkspaceSpec(workspace.UserName, workspace.Email, workspace.GatewaySecret, workspace.Generation, workspace.Template, imageId),
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

    /// <summary>The template's current image id, looked up once per sweep.</summary>
    private async Task<string> ImageOfAsync(string template, CancellationToken cancellationToken)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Rolling workspace {UserName} from image {OldImage} to {NewImage}")]
    private partial void LogRolling(string userName, string oldImage, string newImage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The container {ContainerId} of {UserName} runs with no address on the network; replacing it")]
    private partial void LogUnreachable(string userName, string containerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed {Count} container(s) of {UserName}, who has no workspace")]
    private partial void LogPruned(string userName, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling {UserName} failed: {Error}")]
    private partial void LogReconcileFailed(string userName, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The image of template {Template} is not available: {Error}")]
    private partial void LogTemplateUnavailable(string template, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep failed (will retry): {Error}")]
    private partial void LogSweepFailed(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the engine's event stream (reconnecting): {Error}")]
    private partial void LogEngineEventsLost(string error);
}

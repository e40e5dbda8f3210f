using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Control.Data;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Control.Workspaces;

/// <summary>
/// Converges the engine to the database, one workspace at a time per user and a bounded number
/// at once. Woken by API changes, by engine events and by a periodic sweep; every step is
/// idempotent, so a crash at any line is repaired by the next pass.
/// </summary>
public sealed partial class WorkspaceReconciler(
    IServiceScopeFactory scopes,
    IWorkspaceRuntime runtime,
    WorkspaceChangeFeed feed,
    WorkspaceHealthProbe probe,
    StartupVerification startupVerification,
    ControlTelemetry telemetry,
    TimeProvider clock,
    IOptions<ReconcilerOptions> reconcilerOptions,
    IOptions<RuntimeOptions> runtimeOptions,
    ILogger<WorkspaceReconciler> logger) : BackgroundService
{
    private static readonly TimeSpan EngineRetryDelay = TimeSpan.FromSeconds(2);

    private readonly ReconcileQueue _queue = new();
    private string? _imageId;

    /// <summary>Asks for this user's workspace to be converged soon.</summary>
    public void Wake(string userName) => _queue.Enqueue(userName, Activity.Current?.Context ?? default);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, reconcilerOptions.Value.Parallelism).Select(_ => RunWorkerAsync(stoppingToken));
        return Task.WhenAll([RunSweepsAsync(stoppingToken), WatchEngineAsync(stoppingToken), .. workers]);
    }

    private async Task RunSweepsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(reconcilerOptions.Value.SweepInterval, clock);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(ex.GetBaseException().Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
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

        _imageId = await runtime.ResolveImageAsync(cancellationToken);
        var containers = (await runtime.ListAsync(null, cancellationToken)).ToLookup(c => c.UserName);
        var data = await runtime.ListDataAsync(cancellationToken);
        var known = workspaces.Select(w => w.UserName).ToHashSet();
        var unsettled = workspaces.Where(w => !IsSettled(w, containers[w.UserName].ToList(), _imageId)).Select(w => w.UserName).ToList();
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
    internal static bool IsSettled(Workspace workspace, IReadOnlyList<WorkspaceContainer> containers, string imageId) =>
        workspace.DesiredState switch
        {
            DesiredState.Running => containers is [{ Running: true } container]
                && container.Id == workspace.ContainerId && container.ImageId == imageId && container.HostPort == workspace.HostPort
                && workspace.State == WorkspaceState.Running && !(workspace.RestartRequestedAt > workspace.RunningSince),
            DesiredState.Stopped => workspace.State == WorkspaceState.Stopped && workspace.HostPort is null && containers switch
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
                    _queue.Enqueue(change.UserName);
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
                await ObserveAsync(db, workspace, WorkspaceState.Failed, workspace.ContainerId, workspace.HostPort, error, cancellationToken);
            }
        }

        telemetry.ReconcileDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private async Task RemoveAsync(ControlDbContext db, string userName, Workspace? workspace,
        List<WorkspaceContainer> containers, CancellationToken cancellationToken)
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
        var removed = await db.Workspaces
            .Where(w => w.Id == workspace.Id && w.DesiredState == DesiredState.Deleted)
            .ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            return;
        }

        AuditLog.Record(db, clock, AuditLog.ReconcilerActor, "remove", userName, "removed", "container and data removed");
        await db.SaveChangesAsync(cancellationToken);
        telemetry.RecordTransition(WorkspaceState.Deleted);
        feed.Publish(WorkspaceChange.Removed(workspace));
        LogTransition(userName, WorkspaceState.Deleted);
    }

    private async Task ConvergeAsync(ControlDbContext db, Workspace workspace, List<WorkspaceContainer> containers,
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
                await ObserveAsync(db, workspace, WorkspaceState.Stopping, container.Id, container.HostPort, null, cancellationToken);
                await runtime.StopAsync(container.Id, cancellationToken);
            }

            if (workspace.State != WorkspaceState.Stopped || workspace.HostPort is not null)
            {
                await ObserveAsync(db, workspace, WorkspaceState.Stopped, container?.Id, null, null, cancellationToken);
            }

            return;
        }

        _imageId ??= await runtime.ResolveImageAsync(cancellationToken);
        if (container is not null && container.ImageId != _imageId)
        {
            LogRolling(workspace.UserName, container.ImageId, _imageId);
            await runtime.RemoveAsync(container.Id, cancellationToken);
            container = null;
        }

        var provisioning = Stopwatch.GetTimestamp();
        var needsHealthCheck = false;
        if (container is null)
        {
            await ObserveAsync(db, workspace, WorkspaceState.Starting, null, null, null, cancellationToken);
            container = await runtime.CreateAsync(
                new WorkspaceSpec(workspace.UserName, workspace.Email, workspace.GatewaySecret, workspace.Generation, _imageId),
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
            needsHealthCheck = true;
        }
        else if (workspace.RestartRequestedAt is { } restartRequested
            && (await runtime.InspectAsync(container.Id, cancellationToken))?.StartedAt < restartRequested)
        {
            await ObserveAsync(db, workspace, WorkspaceState.Starting, container.Id, null, null, cancellationToken);
            await runtime.RestartAsync(container.Id, cancellationToken);
            needsHealthCheck = true;
        }

        if (!needsHealthCheck && workspace.State == WorkspaceState.Running
            && workspace.ContainerId == container.Id && workspace.HostPort == container.HostPort && container.HostPort is not null)
        {
            return;
        }

        var running = await runtime.InspectAsync(container.Id, cancellationToken)
            ?? throw new WorkspaceRuntimeException("The container disappeared while starting.");
        if (running.HostPort is not { } hostPort || !running.Running)
        {
            throw new WorkspaceRuntimeException($"The container is {running.Status} and publishes no port.");
        }

        if (!await probe.WaitUntilHealthyAsync(hostPort, runtimeOptions.Value.StartTimeout, cancellationToken))
        {
            var status = (await runtime.InspectAsync(container.Id, cancellationToken))?.Status ?? "gone";
            throw new WorkspaceRuntimeException(
                $"The container did not answer its health endpoint within {runtimeOptions.Value.StartTimeout.TotalSeconds:0} s (it is {status}).");
        }

        telemetry.ProvisionDuration.Record(Stopwatch.GetElapsedTime(provisioning).TotalSeconds);
        await ObserveAsync(db, workspace, WorkspaceState.Running, container.Id, hostPort, null, cancellationToken);
    }

    /// <summary>
    /// Writes what the engine shows (only the observed columns, so a concurrent API change to the
    /// desired state is never overwritten), audits a change of state and publishes the new picture.
    /// </summary>
    private async Task ObserveAsync(ControlDbContext db, Workspace workspace, WorkspaceState state, string? containerId,
        int? hostPort, string? error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        DateTime? runningSince = state == WorkspaceState.Running
            ? (workspace.State == WorkspaceState.Running ? workspace.RunningSince ?? now : now)
            : null;
        await db.Workspaces.Where(w => w.Id == workspace.Id).ExecuteUpdateAsync(update => update
            .SetProperty(w => w.State, state)
            .SetProperty(w => w.ContainerId, containerId)
            .SetProperty(w => w.HostPort, hostPort)
            .SetProperty(w => w.LastError, error)
            .SetProperty(w => w.RunningSince, runningSince)
            .SetProperty(w => w.UpdatedAt, now), cancellationToken);

        if (workspace.State != state || workspace.LastError != error)
        {
            AuditLog.Record(db, clock, AuditLog.ReconcilerActor, "transition", workspace.UserName,
                state == WorkspaceState.Failed ? "failed" : "ok", error ?? $"{workspace.State} → {state}");
            await db.SaveChangesAsync(cancellationToken);
            telemetry.RecordTransition(state);
            LogTransition(workspace.UserName, state);
        }

        workspace.State = state;
        workspace.ContainerId = containerId;
        workspace.HostPort = hostPort;
        workspace.LastError = error;
        workspace.RunningSince = runningSince;

        var current = await db.Workspaces.AsNoTracking().SingleOrDefaultAsync(w => w.Id == workspace.Id, cancellationToken);
        if (current is not null)
        {
            feed.Publish(WorkspaceChange.From(current));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {UserName} is now {State}")]
    private partial void LogTransition(string userName, WorkspaceState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created container {ContainerName} for {UserName}")]
    private partial void LogCreated(string userName, string containerName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rolling workspace {UserName} from image {OldImage} to {NewImage}")]
    private partial void LogRolling(string userName, string oldImage, string newImage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed {Count} container(s) of {UserName}, who has no workspace")]
    private partial void LogPruned(string userName, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling {UserName} failed: {Error}")]
    private partial void LogReconcileFailed(string userName, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep failed (will retry): {Error}")]
    private partial void LogSweepFailed(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the engine's event stream (reconnecting): {Error}")]
    private partial void LogEngineEventsLost(string error);
}

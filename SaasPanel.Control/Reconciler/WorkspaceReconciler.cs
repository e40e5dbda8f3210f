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
/// Decides when each workspace is converged (<see cref="WorkspaceConvergence"/> does it): one at a time per user
/// and a bounded number at once, woken by API changes, by engine events and by a periodic sweep. Every step is
/// idempotent, so a crash at any line is repaired by the next pass.
/// </summary>
public sealed partial class WorkspaceReconciler(
    IServiceScopeFactory scopes,
    IWorkspaceRuntime runtime,
    WorkspaceConvergence convergence,
    StartupVerification startupVerification,
    ControlTelemetry telemetry,
    TimeProvider clock,
    IOptions<ReconcilerOptions> reconcilerOptions,
    ILogger<WorkspaceReconciler> logger) : BackgroundService
{
    private static readonly TimeSpan EngineRetryDelay = TimeSpan.FromSeconds(2);

    private readonly ReconcileQueue _queue = new();
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
        var plans = await db.Plans.AsNoTracking().ToDictionaryAsync(p => p.Name, StringComparer.Ordinal, cancellationToken);
        telemetry.CountWorkspaces(workspaces.Select(w => w.State));

        await runtime.PrepareAsync(cancellationToken);
        convergence.ForgetImages();
        foreach (var template in workspaces.Select(w => w.Template).Distinct())
        {
            try
            {
                await convergence.ImageOfAsync(template, cancellationToken);
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
            .Where(w => !IsSettled(w, containers[w.UserName].Select(c => c with { Limits = convergence.LimitsOf(c) }).ToList(),
                convergence.KnownImageOf(w.Template),
                convergence.LimitsOf(w, plans.GetValueOrDefault(w.Plan)).Label))
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
    internal static bool IsSettled(Workspace workspace, IReadOnlyList<WorkspaceInstance> containers, string? imageId, string limits) =>
        workspace.DesiredState switch
        {
            DesiredState.Running => containers is [{ Running: true, Endpoint: not null } container]
                && container.Id == workspace.ContainerId && container.ImageId == imageId && container.Template == workspace.Template
                && container.Limits == limits
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
                await convergence.ReconcileAsync(userName, stoppingToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling {UserName} failed: {Error}")]
    private partial void LogReconcileFailed(string userName, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The image of template {Template} is not available: {Error}")]
    private partial void LogTemplateUnavailable(string template, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep failed (will retry): {Error}")]
    private partial void LogSweepFailed(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the engine's event stream (reconnecting): {Error}")]
    private partial void LogEngineEventsLost(string error);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Control.Data;
using SaasPanel.Control.Telemetry;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Culling;

/// <summary>
/// Every <see cref="CullingOptions.Interval"/>, stops the running workspaces that their plan's <see cref="IdlePolicy"/>
/// finds idle (desired state Stopped, as an admin's stop: the volume stays, and the gateway's waiting page wakes it on the next visit).
/// </summary>
public sealed partial class IdleCuller(
    IServiceScopeFactory scopes,
    IOptions<CullingOptions> options,
    ControlTelemetry telemetry,
    TimeProvider clock,
    ILogger<IdleCuller> logger) : BackgroundService
{
    /// <summary>For a workspace whose plan is missing (a row written by hand): the settings the default plan was seeded from.</summary>
    private readonly IdlePolicy _fallback = new(options.Value.IdleTimeout, options.Value.MaxAge);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await CullAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogCullFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    public async Task CullAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlDbContext>();
        var running = await db.Workspaces.AsNoTracking()
            .Where(w => w.DesiredState == DesiredState.Running && w.State == WorkspaceState.Running && !w.Pinned)
            .ToListAsync(cancellationToken);
        var policies = await db.Plans.AsNoTracking()
            .ToDictionaryAsync(p => p.Name, p => new IdlePolicy(p.IdleTimeout, p.MaxAge), StringComparer.Ordinal, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var commands = scope.ServiceProvider.GetRequiredService<WorkspaceCommands>();
        foreach (var workspace in running)
        {
            if (policies.GetValueOrDefault(workspace.Plan, _fallback).ReasonToCull(workspace, now) is { } reason && await commands.CullAsync(workspace, reason, cancellationToken))
            {
                telemetry.Culled.Add(1);
                LogCulled(logger, workspace.UserName, reason);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped workspace {UserName}: {Reason}")]
    private static partial void LogCulled(ILogger logger, string userName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The idle culler's round failed; trying again next interval")]
    private static partial void LogCullFailed(ILogger logger, Exception exception);
}

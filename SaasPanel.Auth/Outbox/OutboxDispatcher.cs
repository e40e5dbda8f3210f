using System.Diagnostics;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Auth.ControlApi;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Telemetry;

namespace SaasPanel.Auth.Outbox;

/// <summary>
/// Delivers outbox messages to Control in the order they were written, per user, several users at a time. A message
/// leaves the outbox only when Control confirmed it, so a crash or a Control outage at any
/// point means a redelivery later, never a loss; Control's API is idempotent, so redelivery is harmless.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    AuthTelemetry telemetry,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly Expression<Func<OutboxMessage, bool>> Undelivered = m => m.DeliveredAt == null && m.FailedAt == null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await DispatchDueAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                OutboxLog.PassFailed(logger, exception);
                wait = options.Value.PollInterval;
            }

            try
            {
                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over the due messages; returns how long to sleep before the next pass.</summary>
    internal async Task<TimeSpan> DispatchDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var settings = options.Value;

        // Due messages of users with no earlier one waiting for its retry: users backing off (Control refusing them for
        // now) hold back their own later messages, never the batch of anyone else.
        var now = clock.GetUtcNow().UtcDateTime;
        var pending = await db.OutboxMessages
            .AsNoTracking()
            .Where(Undelivered)
            .Where(m => m.NextAttemptAt <= now && !db.OutboxMessages.Any(earlier => earlier.UserName == m.UserName && earlier.Id < m.Id
                && earlier.DeliveredAt == null && earlier.FailedAt == null && earlier.NextAttemptAt > now))
            .OrderBy(m => m.Id)
            .Take(settings.BatchSize)
            .ToListAsync(cancellationToken);

        // Users do not wait for each other; each user's messages stay in order on one task (GroupBy keeps the Id order).
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(pending.GroupBy(m => m.UserName, StringComparer.Ordinal), parallel, DispatchInOrderAsync);

        telemetry.SetOutboxBacklog(await db.OutboxMessages.CountAsync(Undelivered, cancellationToken));
        var nextDue = await db.OutboxMessages
            .Where(Undelivered)
            .OrderBy(m => m.NextAttemptAt)
            .Select(m => (DateTime?)m.NextAttemptAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (nextDue is null)
        {
            return settings.PollInterval;
        }

        var untilDue = nextDue.Value - clock.GetUtcNow().UtcDateTime;
        return untilDue <= TimeSpan.Zero ? TimeSpan.Zero : untilDue < settings.PollInterval ? untilDue : settings.PollInterval;
    }

    /// <summary>
    /// One user's messages, oldest first, with a scope (and DbContext) of its own, since several users are served at once.
    /// Stops at the first message that has to wait: a user's later message never overtakes an earlier one.
    /// </summary>
    private async ValueTask DispatchInOrderAsync(IEnumerable<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var control = scope.ServiceProvider.GetRequiredService<ControlApiClient>();
        foreach (var message in messages)
        {
            if (message.NextAttemptAt > clock.GetUtcNow().UtcDateTime)
            {
                return;
            }

            db.OutboxMessages.Attach(message);
            if (!await DispatchAsync(db, control, message, cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>One delivery attempt, recorded; false when the message must be tried again later.</summary>
    private async Task<bool> DispatchAsync(AuthDbContext db, ControlApiClient control, OutboxMessage message, CancellationToken cancellationToken)
    {
        using var activity = StartDispatch(message);
        using var logScope = logger.BeginUserScope(message.UserName);
        var result = await DeliverAsync(control, message, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        message.Attempts++;
        switch (result.Outcome)
        {
            case ControlCallOutcome.Done:
                message.DeliveredAt = now;
                message.LastError = null;
                OutboxLog.Delivered(logger, message.Kind, message.UserName, message.Attempts);
                break;
            case ControlCallOutcome.Rejected:
                message.FailedAt = now;
                message.LastError = Truncate(result.Error);
                OutboxLog.Rejected(logger, message.Kind, message.UserName, result.Error);
                break;
            default:
                var delay = options.Value.RetryDelay(message.Attempts);
                message.NextAttemptAt = now + delay;
                message.LastError = Truncate(result.Error);
                OutboxLog.WillRetry(logger, message.Kind, message.UserName, message.Attempts, delay, result.Error);
                break;
        }

        if (result.Outcome != ControlCallOutcome.Done)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Error);
        }

        await db.SaveChangesAsync(cancellationToken);
        return result.Outcome != ControlCallOutcome.Retry;
    }

    /// <summary>
    /// A span in the trace of the request that wrote the message (its stored <c>traceparent</c>), so one trace
    /// runs from that request through every delivery attempt into Control.
    /// </summary>
    private static Activity? StartDispatch(OutboxMessage message)
    {
        ActivityContext.TryParse(message.TraceParent, traceState: null, isRemote: true, out var writer);
        var activity = AuthTelemetry.ActivitySource.StartActivity("outbox dispatch", ActivityKind.Producer, writer);
        activity?.SetTag(TelemetryConventions.UserTag, message.UserName);
        activity?.SetTag("saaspanel.outbox.kind", message.Kind.ToString());
        activity?.SetTag("saaspanel.outbox.attempt", message.Attempts + 1);
        return activity;
    }

    private static async Task<ControlCallResult> DeliverAsync(ControlApiClient control, OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return message.Kind switch
            {
                OutboxMessageKind.ProvisionWorkspace => await control.PutWorkspaceAsync(message, cancellationToken),
                OutboxMessageKind.DeprovisionWorkspace => await control.DeleteWorkspaceAsync(message, cancellationToken),
                _ => new ControlCallResult(ControlCallOutcome.Rejected, $"unknown message kind {message.Kind}"),
            };
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new ControlCallResult(ControlCallOutcome.Retry, exception.Message);
        }
    }

    private static string? Truncate(string? error) => error is { Length: > 1000 } ? error[..1000] : error;
}

internal static partial class OutboxLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {Kind} for {UserName} to Control (attempt {Attempts})")]
    public static partial void Delivered(ILogger logger, OutboxMessageKind kind, string userName, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control did not take {Kind} for {UserName} (attempt {Attempts}); retrying in {Delay}: {Error}")]
    public static partial void WillRetry(ILogger logger, OutboxMessageKind kind, string userName, int attempts, TimeSpan delay, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Control rejected {Kind} for {UserName} for good: {Error}")]
    public static partial void Rejected(ILogger logger, OutboxMessageKind kind, string userName, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "An outbox pass failed; trying again shortly")]
    public static partial void PassFailed(ILogger logger, Exception exception);
}

using Microsoft.Extensions.Options;
using SaasPanel.Auth.ControlApi;

namespace SaasPanel.Auth.Gateway;

/// <summary>
/// Sends what <see cref="WorkspaceActivity"/> recorded to Control once per <see cref="WorkspaceActivityOptions.ReportInterval"/>,
/// in one batch, so the relayed traffic never waits for it. A report Control did not take is sent again next time.
/// </summary>
public sealed class WorkspaceActivityReporter(
    WorkspaceActivity activity,
    IServiceScopeFactory scopes,
    IOptions<WorkspaceActivityOptions> options,
    TimeProvider clock,
    ILogger<WorkspaceActivityReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!activity.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.ReportInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReportAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: at most one interval of activity is not reported, which only makes a workspace look idler.
        }
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        var reports = activity.TakeUnreported();
        if (reports.Count == 0)
        {
            return;
        }

        ControlCallResult result;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            result = await scope.ServiceProvider.GetRequiredService<ControlApiClient>().ReportActivityAsync(reports, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            result = new ControlCallResult(ControlCallOutcome.Retry, exception.Message);
        }

        if (result.Outcome != ControlCallOutcome.Done)
        {
            activity.Unreport(reports);
            GatewayLog.ActivityReportFailed(logger, reports.Count, result.Error);
        }
    }
}

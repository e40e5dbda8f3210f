using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SaasPanel.Control.Reconciler;

/// <summary>
/// Degraded (still serving) until the reconciler has checked every workspace against the engine
/// since Control started, so an operator, or a benchmark, sees when the states shown are current.
/// </summary>
internal sealed class StartupVerificationHealthCheck(StartupVerification verification) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var progress = verification.Progress;
        var result = progress switch
        {
            { CompletedAfter: { } after } => HealthCheckResult.Healthy(
                $"All {progress.Total} workspaces were checked against the engine {after.TotalSeconds:0.00} s after start."),
            { Began: true } => HealthCheckResult.Degraded(
                $"Checking workspaces against the engine since start: {progress.Checked} of {progress.Total}."),
            _ => HealthCheckResult.Degraded("Waiting for the reconciler's first sweep."),
        };
        return Task.FromResult(result);
    }
}

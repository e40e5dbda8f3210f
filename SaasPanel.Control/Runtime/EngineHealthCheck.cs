using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SaasPanel.Control.Runtime;

/// <summary>Control is ready only when the container engine answers a ping.</summary>
internal sealed class EngineHealthCheck(IWorkspaceRuntime runtime) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await runtime.PingAsync(timeout.Token);
            return HealthCheckResult.Healthy($"The container engine answers at {runtime.EngineEndpoint}.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(
                $"No container engine answers at {runtime.EngineEndpoint} ({ex.GetBaseException().Message}). " +
                "Start one with 'scripts/docker-up' (as root it installs docker.io and starts dockerd), " +
                "or point DOCKER_HOST / Runtime:DockerHost at a running engine.");
        }
    }
}

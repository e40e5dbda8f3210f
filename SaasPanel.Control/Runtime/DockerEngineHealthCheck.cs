using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SaasPanel.Control.Runtime;

/// <summary>Control is ready only when the container engine answers a ping.</summary>
internal sealed class DockerEngineHealthCheck(DockerEngine engine) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await engine.Client.System.PingAsync(timeout.Token);
            return HealthCheckResult.Healthy($"Docker engine answers at {engine.Endpoint}.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(
                $"No Docker engine answers at {engine.Endpoint} ({ex.GetBaseException().Message}). " +
                "Start one with 'scripts/docker-up' (as root it installs docker.io and starts dockerd), " +
                "or point DOCKER_HOST / Runtime:DockerHost at a running engine.");
        }
    }
}

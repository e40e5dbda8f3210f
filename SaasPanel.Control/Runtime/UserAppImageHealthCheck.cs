using Docker.DotNet;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace SaasPanel.Control.Runtime;

/// <summary>Workspaces can only be provisioned when the UserApp image exists on the engine.</summary>
internal sealed class UserAppImageHealthCheck(DockerEngine engine, IOptions<RuntimeOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var image = options.Value.Image;
        try
        {
            var inspected = await engine.Client.Images.InspectImageAsync(image, cancellationToken);
            return HealthCheckResult.Healthy($"{image} is {inspected.ID[..19]}.");
        }
        catch (DockerImageNotFoundException)
        {
            return HealthCheckResult.Unhealthy($"Image {image} is not on the engine; 'scripts/build-userapp-image' builds it.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"Cannot inspect image {image}: {ex.GetBaseException().Message}");
        }
    }
}

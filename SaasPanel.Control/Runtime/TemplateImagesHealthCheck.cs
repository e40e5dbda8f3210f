using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace SaasPanel.Control.Runtime;

/// <summary>
/// Workspaces can only be provisioned when their template's image is on the engine: the default template's
/// missing makes Control unhealthy, another's only degraded (its workspaces fail with a clear error).
/// </summary>
internal sealed class TemplateImagesHealthCheck(IWorkspaceRuntime runtime, IOptions<RuntimeOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var missing = new List<string>();
        foreach (var (name, template) in settings.Templates)
        {
            try
            {
                await runtime.ResolveImageAsync(name, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                missing.Add($"{name} ({template.Image}: {ex.GetBaseException().Message})");
            }
        }

        var description = missing.Count == 0 ? $"{settings.Templates.Count} template image(s) present."
            : $"Template images missing: {string.Join("; ", missing)}. 'scripts/build-userapp-image' builds UserApp's.";
        return missing.Count == 0 ? HealthCheckResult.Healthy(description)
            : missing.Any(m => m.StartsWith(settings.DefaultTemplate + " ", StringComparison.Ordinal)) ? HealthCheckResult.Unhealthy(description)
            : HealthCheckResult.Degraded(description);
    }
}

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
        var present = new List<string>();
        var missing = new List<string>();
        foreach (var (name, template) in settings.Templates)
        {
            try
            {
                var id = await runtime.ResolveImageAsync(name, cancellationToken);
                present.Add($"{name}: {template.Image} is {id[..Math.Min(id.Length, 19)]}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                missing.Add($"{name}: {template.Image} is missing ({ex.GetBaseException().Message})");
            }
        }

        var description = string.Join("; ", missing.Concat(present));
        return missing.Count == 0 ? HealthCheckResult.Healthy(description)
            : missing.Any(m => m.StartsWith(settings.DefaultTemplate + ":", StringComparison.Ordinal))
                ? HealthCheckResult.Unhealthy(description + ". 'scripts/build-userapp-image' builds UserApp's.")
                : HealthCheckResult.Degraded(description);
    }
}

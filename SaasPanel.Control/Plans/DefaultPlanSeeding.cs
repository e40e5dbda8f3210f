using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Control.Culling;
using SaasPanel.Control.Data;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Control.Plans;

public static class DefaultPlanSeeding
{
    /// <summary>
    /// Creates the default plan (<see cref="PlanOptions.Default"/>) when it does not exist, from the Runtime defaults
    /// and the Culling timeouts, so an installation without plans keeps the limits it had. An existing plan is left alone.
    /// </summary>
    public static async Task SeedDefaultPlanAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlDbContext>();
        var name = scope.ServiceProvider.GetRequiredService<IOptions<PlanOptions>>().Value.Default;
        if (await db.Plans.AnyAsync(p => p.Name == name, cancellationToken))
        {
            return;
        }

        var runtime = scope.ServiceProvider.GetRequiredService<IOptions<RuntimeOptions>>().Value;
        var culling = scope.ServiceProvider.GetRequiredService<IOptions<CullingOptions>>().Value;
        db.Plans.Add(new Plan
        {
            Name = name,
            MemoryLimitMb = runtime.MemoryLimitMb,
            CpuLimit = runtime.CpuLimit,
            PidsLimit = runtime.PidsLimit,
            IdleTimeout = culling.IdleTimeout,
            MaxAge = culling.MaxAge,
            UpdatedAt = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}

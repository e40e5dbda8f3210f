using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;

namespace SaasPanel.Auth.Gateway;

/// <summary>
/// Traces only a sample of the gateway's requests (<see cref="GatewayOptions.TraceSampleRatio"/>); every other
/// request is traced as ServiceDefaults says. An unsampled request's span is not recorded, and neither is the
/// forwarded call beneath it, though the trace context still travels to the container.
/// </summary>
internal sealed class GatewayTraceSampling(IOptions<GatewayOptions> gateway) : IPostConfigureOptions<AspNetCoreTraceInstrumentationOptions>
{
    public void PostConfigure(string? name, AspNetCoreTraceInstrumentationOptions options)
    {
        var ratio = gateway.Value.TraceSampleRatio;
        var gatewayPath = new PathString(GatewayEndpoints.PathPrefix.TrimEnd('/'));
        var traced = options.Filter;
        options.Filter = context =>
            (traced?.Invoke(context) ?? true)
            && (!context.Request.Path.StartsWithSegments(gatewayPath) || Random.Shared.NextDouble() < ratio);
    }
}

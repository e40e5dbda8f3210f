using System.Diagnostics;
using SaasPanel.Control.Telemetry;

namespace SaasPanel.Control.Runtime;

/// <summary>
/// Runs one engine call in a client span named after the matching <c>docker</c> command, so every call
/// shows in the trace of the reconcile or request that made it. Docker.DotNet has no instrumentation of its own.
/// </summary>
internal static class EngineTrace
{
    public static async Task<T> TraceAsync<T>(string command, Func<Task<T>> call, string? containerId = null, string? userName = null)
    {
        using var activity = ControlTelemetry.ActivitySource.StartActivity(command, ActivityKind.Client);
        activity?.SetTag("container.id", containerId);
        activity?.SetTag(TelemetryConventions.UserTag, userName);
        try
        {
            return await call();
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.SetTag("error.type", ex.GetType().FullName);
            throw;
        }
    }

    public static Task TraceAsync(string command, Func<Task> call, string? containerId = null, string? userName = null) =>
        TraceAsync(command, async () =>
        {
            await call();
            return true;
        }, containerId, userName);
}

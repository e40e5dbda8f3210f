using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>What every SaasPanel service's own telemetry has in common, so traces, metrics and logs line up across services.</summary>
public static class TelemetryConventions
{
    /// <summary>The span attribute naming the user a piece of work is for.</summary>
    public const string UserTag = "saaspanel.user";

    private static readonly Func<ILogger, string, IDisposable?> s_userScope = LoggerMessage.DefineScope<string>("User {UserName}");

    /// <summary>
    /// Bucket boundaries, in seconds, for request-sized durations: OpenTelemetry's HTTP ones
    /// (the SDK's defaults are meant for milliseconds: every sample under five seconds would share one bucket).
    /// </summary>
    public static InstrumentAdvice<double> RequestDurations { get; } = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    };

    /// <summary>Every log line written inside the scope carries <c>UserName</c> as a field.</summary>
    public static IDisposable? BeginUserScope(this ILogger logger, string userName) => s_userScope(logger, userName);
}

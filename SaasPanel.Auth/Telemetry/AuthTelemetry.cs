using System.Diagnostics;
using System.Diagnostics.Metrics;
using SaasPanel.Auth.Gateway;
using Yarp.ReverseProxy.Forwarder;

namespace SaasPanel.Auth.Telemetry;

/// <summary>Auth's traces and <c>saaspanel.*</c> metrics (exported by ServiceDefaults): the gateway and the outbox.</summary>
/// <remarks>The meter belongs to the <see cref="IMeterFactory"/>, which disposes it with the container.</remarks>
public sealed class AuthTelemetry
{
    public const string Name = "SaasPanel.Auth";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _gatewayRequests;
    private readonly Histogram<double> _upstreamDuration;
    private long _outboxBacklog;

    public AuthTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _gatewayRequests = meter.CreateCounter<long>("saaspanel.gateway.requests", "{request}",
            "Requests to /u/<user>/, by how the gateway answered them and with which status code.");
        _upstreamDuration = meter.CreateHistogram("saaspanel.gateway.upstream.duration", "s",
            "Time a forwarded request spent with the workspace's container.", tags: null, TelemetryConventions.RequestDurations);
        meter.CreateObservableGauge("saaspanel.outbox.backlog", () => Interlocked.Read(ref _outboxBacklog), "{message}",
            "Outbox messages not yet delivered to Control, as of the dispatcher's last pass.");
    }

    public void RecordGatewayRequest(GatewayOutcome outcome, int statusCode) =>
        _gatewayRequests.Add(1, new("outcome", outcome.ToString()), new("http.response.status_code", statusCode));

    public void RecordUpstream(TimeSpan elapsed, ForwarderError error)
    {
        if (error == ForwarderError.None)
        {
            _upstreamDuration.Record(elapsed.TotalSeconds);
        }
        else
        {
            _upstreamDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("error.type", error.ToString()));
        }
    }

    public void SetOutboxBacklog(long messages) => Interlocked.Exchange(ref _outboxBacklog, messages);
}

using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Auth.Gateway;

/// <summary>The gateway's knobs (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>A visit wakes a stopped workspace at most this often, however many tabs keep refreshing.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan WakeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a wake call to Control may take before the gateway gives up on it (the next visit asks again).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan WakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the waiting page reloads itself.</summary>
    [Range(1, 60)]
    public int WaitingPageRefreshSeconds { get; set; } = 2;

    /// <summary>How long the gateway waits for a container to accept a connection.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A forwarded request (or websocket) with no traffic for this long is cut.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// The share of the requests to <c>/u/</c> that are traced, from 0 to 1. The gateway relays every request of
    /// every workspace: tracing them all costs a tenth of its throughput and tells little that the
    /// <c>saaspanel.gateway.*</c> metrics (which count every request) and the logs of failures do not.
    /// </summary>
    [Range(0.0, 1.0)]
    public double TraceSampleRatio { get; set; } = 0.01;
}

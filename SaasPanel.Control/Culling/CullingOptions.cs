using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Control.Culling;

/// <summary>
/// When the idle culler checks (section <c>Culling</c>). Each plan sets its own timeouts; <see cref="IdleTimeout"/> and
/// <see cref="MaxAge"/> are those of the default plan when Control creates it.
/// </summary>
public sealed class CullingOptions
{
    public const string SectionName = "Culling";

    /// <summary>How often running workspaces are checked.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A workspace unused (through the gateway) for longer than this is stopped; zero: never.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>A workspace running for longer than this is stopped however busy it is; zero: no limit.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.Zero;
}

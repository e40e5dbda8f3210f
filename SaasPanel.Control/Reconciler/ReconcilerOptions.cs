using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Control.Reconciler;

public sealed class ReconcilerOptions
{
    public const string SectionName = "Reconciler";

    /// <summary>How many workspaces are converged at the same time.</summary>
    [Range(1, 256)]
    public int Parallelism { get; set; } = 8;

    /// <summary>How often every workspace is checked against the engine, besides changes and engine events.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);
}

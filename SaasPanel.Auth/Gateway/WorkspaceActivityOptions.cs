using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Auth.Gateway;

/// <summary>How the gateway tracks and reports workspace activity (section <c>Gateway:Activity</c>), which Control's idle culler reads.</summary>
public sealed class WorkspaceActivityOptions
{
    public const string SectionName = "Gateway:Activity";

    /// <summary>Off: nothing is recorded or reported, and Control sees every workspace as idle since it started.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often recorded activity is sent to Control: at most one report per workspace per interval.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(30);
}

using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Auth.ControlApi;

/// <summary>Where Control's REST API is and the key it wants (section <c>ControlApi</c>; the AppHost sets both).</summary>
public sealed class ControlApiOptions
{
    public const string SectionName = "ControlApi";

    /// <summary>Resolved through service discovery (<c>WithReference(control)</c> in the AppHost).</summary>
    [Required]
    public Uri BaseAddress { get; set; } = new("http://control");

    [Required]
    [MinLength(16)]
    public string ApiKey { get; set; } = "";

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(15);
}

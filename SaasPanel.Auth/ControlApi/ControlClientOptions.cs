using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Auth.ControlApi;

/// <summary>Where Control's REST API is and the key it wants (section <c>ControlClient</c>; the AppHost sets both).</summary>
public sealed class ControlClientOptions
{
    public const string SectionName = "ControlClient";

    /// <summary>Resolved through service discovery (<c>WithReference(control)</c> in the AppHost).</summary>
    [Required]
    public Uri BaseAddress { get; set; } = new("http://control");

    [Required]
    [MinLength(16)]
    public string ApiKey { get; set; } = "";
}

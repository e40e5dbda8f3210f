using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Control.Security;

public sealed class ControlApiOptions
{
    public const string SectionName = "ControlApi";

    /// <summary>The service token for <c>/api</c> (the AppHost generates it); empty means only admin sign-in works.</summary>
    [MinLength(16)]
    public string? ApiKey { get; set; }
}

using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Control.Security;

/// <summary>Who may call <c>/api</c> without signing in: the holder of the service key (Auth, scripts).</summary>
public sealed class ApiAccessOptions
{
    public const string SectionName = "ApiAccess";

    /// <summary>The service key for <c>/api</c> (the AppHost generates it); empty means only admin sign-in works.</summary>
    [MinLength(16)]
    public string? ApiKey { get; set; }
}

using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Auth.Security;

/// <summary>Where the operator panel (Control) is (section <c>Panel</c>; the AppHost passes it).</summary>
public sealed class PanelOptions
{
    public const string SectionName = "Panel";

    [Required]
    public Uri Url { get; set; } = new("http://localhost:5001");

    /// <summary>
    /// The panel sends admins here to sign in and asks to be sent back; an absolute return URL is
    /// followed only when it points at the panel itself, never anywhere else.
    /// </summary>
    public bool IsPanelUrl(string? returnUrl) =>
        Uri.TryCreate(returnUrl, UriKind.Absolute, out var target)
        && Uri.Compare(target, Url, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}

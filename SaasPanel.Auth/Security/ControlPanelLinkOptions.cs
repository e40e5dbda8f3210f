using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Auth.Security;

/// <summary>Where the operator panel (Control) is, for its link and its sign-in round trip (section <c>ControlPanel</c>; the AppHost passes it).</summary>
public sealed class ControlPanelLinkOptions
{
    public const string SectionName = "ControlPanel";

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

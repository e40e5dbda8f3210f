using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Control.Extensions;

/// <summary>Where the panel sends people: the public gateway (Auth) for sign-in and for opening workspaces.</summary>
public sealed class PanelOptions
{
    public const string SectionName = "Panel";

    /// <summary>Auth's public address (the AppHost passes it); workspaces open at <c>{GatewayUrl}/u/&lt;user&gt;/</c>.</summary>
    [Required]
    [Url]
    public string GatewayUrl { get; set; } = "http://localhost:5000";

    public string WorkspaceUrl(string userName) => $"{GatewayUrl.TrimEnd('/')}/u/{userName}/";
}

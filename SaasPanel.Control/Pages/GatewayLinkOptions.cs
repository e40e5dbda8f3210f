using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Control.Pages;

/// <summary>Where the panel sends people: the public gateway (Auth) for sign-in and for opening workspaces.</summary>
public sealed class GatewayLinkOptions
{
    public const string SectionName = "GatewayLink";

    /// <summary>Auth's public address (the AppHost passes it); workspaces open at <c>{Url}/u/&lt;user&gt;/</c>.</summary>
    [Required]
    [Url]
    public string Url { get; set; } = "http://localhost:5000";

    public string WorkspaceUrl(string userName) => $"{Url.TrimEnd('/')}/u/{userName}/";
}

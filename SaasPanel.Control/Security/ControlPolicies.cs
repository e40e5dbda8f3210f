namespace SaasPanel.Control.Security;

public static class ControlPolicies
{
    /// <summary>An admin: signed in with the shared cookie as admin, or presenting the API key.</summary>
    public const string Admin = "admin";

    /// <summary>An admin signed in with the shared cookie: the panel's pages (a browser never holds the API key).</summary>
    public const string PanelAdmin = "panel-admin";
}

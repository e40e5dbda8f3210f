namespace SaasPanel.Control.Runtime;

/// <summary>The labels on everything Control creates on the engine; the only way it recognises its own.</summary>
public static class WorkspaceLabels
{
    public const string Managed = "saaspanel.managed";
    public const string Instance = "saaspanel.instance";
    public const string User = "saaspanel.user";
    public const string Generation = "saaspanel.generation";
    public const string Template = "saaspanel.template";

    public static string ContainerName(string instanceId, string userName) => $"saaspanel-{instanceId}-{userName}";

    /// <summary>The installation's network for workspaces: no route out, no traffic between containers.</summary>
    public static string IsolatedNetworkName(string instanceId) => $"saaspanel-{instanceId}-workspaces";

    /// <summary>The network of templates that allow egress: routed out, still no traffic between containers.</summary>
    public static string EgressNetworkName(string instanceId) => $"saaspanel-{instanceId}-egress";
}

namespace SaasPanel.Control.Runtime;

/// <summary>The labels on every container Control creates; the only way it recognises its own.</summary>
public static class WorkspaceLabels
{
    public const string Managed = "saaspanel.managed";
    public const string Instance = "saaspanel.instance";
    public const string User = "saaspanel.user";
    public const string Generation = "saaspanel.generation";

    /// <summary>The container port UserApp listens on (published on 127.0.0.1 only).</summary>
    public const string ContainerPort = "8080/tcp";

    public static string ContainerName(string instanceId, string userName) => $"saaspanel-{instanceId}-{userName}";
}

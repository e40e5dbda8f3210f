namespace SaasPanel.Contracts;

/// <summary>What Control gives every workspace container, and what the built-in UserApp expects.</summary>
public static class WorkspaceContainer
{
    /// <summary>The port the built-in UserApp listens on inside its container.</summary>
    public const int Port = 8080;

    /// <summary>The built-in UserApp's readiness path (answered without the gateway secret).</summary>
    public const string HealthPath = "/healthz";

    /// <summary>Where the user's volume is mounted in every workspace.</summary>
    public const string Directory = "/workspace";
}

/// <summary>The environment variables Control sets in every workspace container.</summary>
public static class WorkspaceEnvironment
{
    public const string GatewaySecret = "GATEWAY_SECRET";
    public const string WorkspaceDirectory = "WORKSPACE_DIR";
}

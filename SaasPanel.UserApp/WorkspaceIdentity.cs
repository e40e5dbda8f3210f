namespace SaasPanel.UserApp;

/// <summary>Who this container belongs to, as Control set it in the container's environment.</summary>
public sealed record WorkspaceIdentity(string UserName, string Email, string GatewaySecret, string WorkspaceDirectory, DateTimeOffset StartedAt)
{
    public static WorkspaceIdentity FromConfiguration(IConfiguration configuration) => new(
        UserName: configuration["USERNAME"] ?? "unknown",
        Email: configuration["EMAIL"] ?? "",
        GatewaySecret: configuration["GATEWAY_SECRET"] ?? "",
        WorkspaceDirectory: configuration["WORKSPACE_DIR"] ?? "/workspace",
        StartedAt: DateTimeOffset.UtcNow);
}

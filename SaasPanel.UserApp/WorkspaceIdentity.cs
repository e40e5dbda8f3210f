using SaasPanel.Contracts;

namespace SaasPanel.UserApp;

/// <summary>Who this container belongs to, as Control set it in the container's environment.</summary>
public sealed record WorkspaceIdentity(string UserName, string Email, string GatewaySecret, string WorkspaceDirectory, DateTimeOffset StartedAt)
{
    public static WorkspaceIdentity FromConfiguration(IConfiguration configuration) => new(
        UserName: configuration[WorkspaceEnvironment.UserName] ?? "unknown",
        Email: configuration[WorkspaceEnvironment.Email] ?? "",
        GatewaySecret: configuration[WorkspaceEnvironment.GatewaySecret] ?? "",
        WorkspaceDirectory: configuration[WorkspaceEnvironment.WorkspaceDirectory] ?? WorkspaceContainer.Directory,
        StartedAt: DateTimeOffset.UtcNow);
}

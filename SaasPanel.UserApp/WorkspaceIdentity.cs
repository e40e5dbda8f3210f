using SaasPanel.Contracts;

namespace SaasPanel.UserApp;

/// <summary>
/// What Control gave this container: its gateway secret and where its volume is. Nothing here names a user, so a
/// container started ahead of need (the warm pool) serves whoever claims it; the caller comes from the gateway's headers.
/// </summary>
public sealed record WorkspaceIdentity(string GatewaySecret, string WorkspaceDirectory, DateTimeOffset StartedAt)
{
    public static WorkspaceIdentity FromConfiguration(IConfiguration configuration) => new(
        GatewaySecret: configuration[WorkspaceEnvironment.GatewaySecret] ?? "",
        WorkspaceDirectory: configuration[WorkspaceEnvironment.WorkspaceDirectory] ?? WorkspaceContainer.Directory,
        StartedAt: DateTimeOffset.UtcNow);
}

/// <summary>
/// Who is calling, as the gateway says (<c>X-Forwarded-User</c>, <c>X-Forwarded-Email</c>): the workspace's owner or an
/// admin. Trusted only behind <see cref="GatewaySecretMiddleware"/>, since only the gateway knows the secret.
/// </summary>
public sealed record Caller(string UserName, string Email)
{
    public static Caller From(HttpRequest request) => new(
        request.Headers[Headers.ForwardedUser].ToString() is { Length: > 0 } user ? user : "unknown",
        request.Headers[Headers.ForwardedEmail].ToString());
}

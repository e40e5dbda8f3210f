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
/// Whose workspace this is and who is calling, as the gateway says (<c>X-Forwarded-Workspace</c>, <c>X-Forwarded-User</c>,
/// <c>X-Forwarded-Email</c>): the owner, or an admin opening it. Trusted only behind <see cref="GatewaySecretMiddleware"/>,
/// since only the gateway knows the secret.
/// </summary>
public sealed record Caller(string Owner, string UserName, string Email)
{
    public bool IsOwner => Owner == UserName;

    public static Caller From(HttpRequest request)
    {
        var user = request.Headers[Headers.ForwardedUser].ToString() is { Length: > 0 } caller ? caller : "unknown";
        var owner = request.Headers[Headers.ForwardedWorkspace].ToString() is { Length: > 0 } workspace ? workspace : user;
        return new Caller(owner, user, request.Headers[Headers.ForwardedEmail].ToString());
    }
}

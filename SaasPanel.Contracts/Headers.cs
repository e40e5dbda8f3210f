namespace SaasPanel.Contracts;

/// <summary>The HTTP headers the processes exchange.</summary>
public static class Headers
{
    /// <summary>Control's service token (Auth, scripts and tests present it).</summary>
    public const string ApiKey = "X-Api-Key";

    /// <summary>The workspace's own secret, added by the gateway to every request it relays; never from a client.</summary>
    public const string GatewaySecret = "X-SaasPanel-Gateway-Secret";

    /// <summary>Who is calling, set by the gateway on every relayed request (clients' own copies are stripped).</summary>
    public const string ForwardedUser = "X-Forwarded-User";

    /// <summary>The caller's email, set by the gateway like <see cref="ForwardedUser"/>.</summary>
    public const string ForwardedEmail = "X-Forwarded-Email";

    /// <summary>
    /// Whose workspace it is (its user's name), set by the gateway like <see cref="ForwardedUser"/>: a container names
    /// no user of its own (a warm pool member serves whoever claims it), and an admin may be the caller.
    /// </summary>
    public const string ForwardedWorkspace = "X-Forwarded-Workspace";

    /// <summary>The path the workspace is mounted at (<c>/u/&lt;user&gt;</c>), so an app can build its links.</summary>
    public const string ForwardedPrefix = "X-Forwarded-Prefix";

    /// <summary>
    /// The user on whose behalf Auth calls Control (self-service); Control honours it only from callers with the API key,
    /// so the audit log names the user, not the key.
    /// </summary>
    public const string ActingUser = "X-SaasPanel-Acting-User";
}

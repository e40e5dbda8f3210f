namespace SaasPanel.Auth.Gateway;

/// <summary>How the gateway answered a request to <c>/u/&lt;user&gt;/</c>.</summary>
public enum GatewayOutcome
{
    /// <summary>Relayed to the workspace's container and back.</summary>
    Forwarded,

    /// <summary>The container could not be reached or broke off mid-way.</summary>
    ForwardFailed,

    /// <summary>A waiting page: the workspace is pending, starting or stopped (and being woken).</summary>
    Waiting,

    /// <summary>An admin suspended the workspace: a page that says so, and no wake.</summary>
    Suspended,

    /// <summary>The workspace failed to start.</summary>
    Failed,

    /// <summary>Nobody is signed in: to the sign-in page.</summary>
    SignInRequired,

    /// <summary>To the same path with the trailing slash the workspace's relative links need.</summary>
    Redirected,

    Forbidden,

    NotFound,
}

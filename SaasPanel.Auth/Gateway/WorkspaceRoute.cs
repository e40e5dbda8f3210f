namespace SaasPanel.Auth.Gateway;

/// <summary>
/// One workspace as Control's change stream describes it (the contract's <c>workspace</c> event):
/// where its container listens and the secret it expects. The address never leaves this process.
/// </summary>
public sealed record WorkspaceRoute(
    string UserName,
    string State,
    string DesiredState,
    string? Address,
    string? GatewaySecret,
    long Generation,
    string? LastError)
{
    /// <summary>The forwarder's destination prefix, built once per change instead of once per request.</summary>
    public string? DestinationPrefix { get; } = Address is { Length: > 0 } ? $"http://{Address}" : null;

    public bool IsRunning => State == WorkspaceStates.Running && DestinationPrefix is not null && GatewaySecret is not null;

    public bool IsFailed => State == WorkspaceStates.Failed;

    public bool IsGone => State is WorkspaceStates.Deleted or WorkspaceStates.Deleting || DesiredState == WorkspaceStates.Deleted;

    /// <summary>Not meant to run (stopped by an operator or idle); a visit should wake it.</summary>
    public bool NeedsWaking => !IsGone && DesiredState != WorkspaceStates.Running;
}

/// <summary>The workspace states of Control's API (PascalCase strings on the wire).</summary>
public static class WorkspaceStates
{
    public const string Pending = "Pending";
    public const string Starting = "Starting";
    public const string Running = "Running";
    public const string Stopping = "Stopping";
    public const string Stopped = "Stopped";
    public const string Failed = "Failed";
    public const string Deleting = "Deleting";
    public const string Deleted = "Deleted";
}

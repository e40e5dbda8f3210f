namespace SaasPanel.Contracts;

/// <summary>What the engine shows of a workspace, as Control's API and change stream spell it.</summary>
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

    public static readonly IReadOnlyList<string> All = [Pending, Starting, Running, Stopping, Stopped, Failed, Deleting, Deleted];
}

/// <summary>What a workspace should be, as Control's API and change stream spell it.</summary>
public static class DesiredStates
{
    public const string Running = "Running";
    public const string Stopped = "Stopped";
    public const string Deleted = "Deleted";

    public static readonly IReadOnlyList<string> All = [Running, Stopped, Deleted];
}

using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Culling;

/// <summary>Whether a workspace is to be culled now, and why: the rules, without the database or the clock.</summary>
public sealed record IdlePolicy(TimeSpan IdleTimeout, TimeSpan MaxAge)
{
    /// <summary>The reason to stop it, or null to leave it running. Only a running, unpinned workspace is ever culled.</summary>
    public string? ReasonToCull(Workspace workspace, DateTime now)
    {
        if (workspace is not { DesiredState: DesiredState.Running, State: WorkspaceState.Running, Pinned: false, RunningSince: { } runningSince })
        {
            return null;
        }

        // A workspace nobody has opened since it started is idle from its start, not from its last use before.
        var lastUsed = workspace.LastActivityAt > runningSince ? workspace.LastActivityAt.Value : runningSince;
        if (IdleTimeout > TimeSpan.Zero && now - lastUsed > IdleTimeout)
        {
            return $"idle for {Minutes(now - lastUsed)} (timeout {Minutes(IdleTimeout)})";
        }

        if (MaxAge > TimeSpan.Zero && now - runningSince > MaxAge)
        {
            return $"running for {Minutes(now - runningSince)} (max age {Minutes(MaxAge)})";
        }

        return null;
    }

    private static string Minutes(TimeSpan span) =>
        span < TimeSpan.FromMinutes(2) ? $"{span.TotalSeconds:0} s" : $"{span.TotalMinutes:0} min";
}

namespace SaasPanel.Control.Pages;

/// <summary>Numbers as an operator reads them.</summary>
public static class Format
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    public static string Bytes(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : $"{value:0.#} {Units[unit]}";
    }

    /// <summary>A plan's limits in one line: <c>128 MiB, 0.5 CPU, 128 processes, idle after 1 h 0 min, no max age</c>.</summary>
    public static string Limits(Plans.Plan plan) =>
        $"{plan.MemoryLimitMb} MiB, {plan.CpuLimit:0.##} CPU, {plan.PidsLimit} processes, "
        + (plan.IdleTimeout > TimeSpan.Zero ? $"idle after {Duration(plan.IdleTimeout)}" : "never culled when idle")
        + (plan.MaxAge > TimeSpan.Zero ? $", at most {Duration(plan.MaxAge)} up" : "");

    /// <summary>A volume's size next to its plan's storage limit, and what that means: <c>12 MiB of 10 MiB: Uses 12 MiB of its ...</c>.</summary>
    public static string Volume(Control.Workspaces.WorkspaceVolume volume) =>
        VolumeSize(volume) + (volume.Note is { } note ? $": {note}" : "");

    /// <summary>Only the size and the limit: <c>12 MiB of 10 MiB</c>.</summary>
    public static string VolumeSize(Control.Workspaces.WorkspaceVolume volume) =>
        (volume.SizeBytes is { } bytes ? Bytes(bytes) : "unknown")
        + (volume.StorageLimitMb is { } limit ? $" of {limit} MiB" : "");

    public static string Since(DateTime? utc, DateTime now) => utc is { } at ? Duration(now - at) : "—";

    private static string Duration(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } => $"{(int)span.TotalDays} d {span.Hours} h",
        { TotalHours: >= 1 } => $"{(int)span.TotalHours} h {span.Minutes} min",
        { TotalMinutes: >= 1 } => $"{(int)span.TotalMinutes} min {span.Seconds} s",
        _ => $"{Math.Max(0, (int)span.TotalSeconds)} s",
    };
}

using System.Globalization;
using SaasPanel.Contracts;

namespace SaasPanel.Control.Runtime;

/// <summary>
/// What a workspace's container is given on any engine: its labels, environment, user and limits (the template's,
/// else the runtime's defaults). One place, so a plain container and a swarm service are the same workspace.
/// </summary>
internal sealed record WorkspaceContainerSettings(
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Environment,
    long MemoryBytes,
    long NanoCpus,
    long PidsLimit,
    int TmpSizeMb,
    string VolumeName)
{
    /// <summary>Not root: the images' files are readable by anyone, the workspace volume is made writable for it.</summary>
    public const string User = "10001:10001";

    public static WorkspaceContainerSettings For(RuntimeOptions options, WorkspaceTemplate template, WorkspaceSpec spec, string volumeName)
    {
        var labels = new Dictionary<string, string>
        {
            [WorkspaceLabels.Managed] = "true",
            [WorkspaceLabels.Instance] = options.InstanceId,
            [WorkspaceLabels.User] = spec.UserName,
            [WorkspaceLabels.Generation] = spec.Generation.ToString(CultureInfo.InvariantCulture),
            [WorkspaceLabels.Template] = spec.Template,
        };
        IEnumerable<string> identity =
        [
            $"{WorkspaceEnvironment.UserName}={spec.UserName}",
            $"{WorkspaceEnvironment.Email}={spec.Email}",
            $"{WorkspaceEnvironment.GatewaySecret}={spec.GatewaySecret}",
            $"{WorkspaceEnvironment.WorkspaceDirectory}={WorkspaceContainer.Directory}",
        ];
        return new WorkspaceContainerSettings(
            labels,
            template.Environment.Select(e => $"{e.Key}={e.Value}").Concat(identity).ToList(),
            (template.MemoryLimitMb ?? options.MemoryLimitMb) * 1024L * 1024L,
            (long)((template.CpuLimit ?? options.CpuLimit) * 1_000_000_000),
            template.PidsLimit ?? options.PidsLimit,
            template.TmpSizeMb ?? options.TmpSizeMb,
            volumeName);
    }
}

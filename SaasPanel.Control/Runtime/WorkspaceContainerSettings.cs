using System.Globalization;
using SaasPanel.Contracts;

namespace SaasPanel.Control.Runtime;

/// <summary>
/// What a workspace's container is given on any engine: its labels, environment, user and limits (the plan's,
/// see <see cref="WorkspaceSpec.Limits"/>). One place, so a plain container and a swarm service are the same workspace.
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
        var limits = spec.Limits ?? WorkspaceLimits.Default(options, template);
        var labels = new Dictionary<string, string>
        {
            [WorkspaceLabels.Managed] = "true",
            [WorkspaceLabels.Instance] = options.InstanceId,
            [WorkspaceLabels.User] = spec.UserName,
            [WorkspaceLabels.Generation] = spec.Generation.ToString(CultureInfo.InvariantCulture),
            [WorkspaceLabels.Template] = spec.Template,
            [WorkspaceLabels.Limits] = limits.Label,
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
            limits.MemoryLimitMb * 1024L * 1024L,
            (long)(limits.CpuLimit * 1_000_000_000),
            limits.PidsLimit,
            template.TmpSizeMb ?? options.TmpSizeMb,
            volumeName);
    }
}

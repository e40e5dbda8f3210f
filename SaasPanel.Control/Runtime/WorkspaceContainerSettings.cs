using System.Globalization;
using SaasPanel.Contracts;

namespace SaasPanel.Control.Runtime;

/// <summary>
/// What a workspace's container is given on any engine: its labels, environment, user and limits (the plan's,
/// see <see cref="WorkspaceSpec.Limits"/>). One place, so a plain container and a swarm service are the same workspace.
/// </summary>
internal sealed record WorkspaceContainerSettings(
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> VolumeLabels,
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
            [WorkspaceLabels.Generation] = spec.Generation.ToString(CultureInfo.InvariantCulture),
            [WorkspaceLabels.Template] = spec.Template,
            [WorkspaceLabels.Limits] = limits.Label,
        };
        // The container's labels name no user: a warm pool member becomes a user's by its name alone. Its volume, which
        // is never renamed, is labelled with its user when it is made for one.
        var volumeLabels = new Dictionary<string, string>(labels);
        if (!WorkspaceLabels.IsPoolMember(spec.UserName))
        {
            volumeLabels[WorkspaceLabels.User] = spec.UserName;
        }

        // No identity either: the app learns who calls from the gateway's headers, whoever claimed it.
        IEnumerable<string> identity =
        [
            $"{WorkspaceEnvironment.GatewaySecret}={spec.GatewaySecret}",
            $"{WorkspaceEnvironment.WorkspaceDirectory}={WorkspaceContainer.Directory}",
        ];
        return new WorkspaceContainerSettings(
            labels,
            volumeLabels,
            template.Environment.Select(e => $"{e.Key}={e.Value}").Concat(identity).ToList(),
            limits.MemoryLimitMb * 1024L * 1024L,
            (long)(limits.CpuLimit * 1_000_000_000),
            limits.PidsLimit,
            template.TmpSizeMb ?? options.TmpSizeMb,
            volumeName);
    }
}

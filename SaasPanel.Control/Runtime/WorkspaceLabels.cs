using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace SaasPanel.Control.Runtime;

/// <summary>The labels on everything Control creates on the engine; the only way it recognises its own.</summary>
public static class WorkspaceLabels
{
    public const string Managed = "saaspanel.managed";
    public const string Instance = "saaspanel.instance";
    public const string User = "saaspanel.user";
    public const string Generation = "saaspanel.generation";
    public const string Template = "saaspanel.template";
    public const string Limits = "saaspanel.limits";

    /// <summary>
    /// The swarm node label <c>saaspanel.image.&lt;image id hex&gt;=true</c>: the node holds that image (there is no
    /// registry; <c>scripts/swarm-lab fill</c> loads it and sets the label), so workspaces on it may run there.
    /// </summary>
    public const string NodeImagePrefix = "saaspanel.image.";

    /// <summary>
    /// Between instance id and user name in a workspace's names: neither may contain it (<see cref="RuntimeOptions.InstanceId"/>,
    /// <see cref="Contracts.UserNames"/>), so (<c>local</c>, <c>foo-bar</c>) and (<c>local-foo</c>, <c>bar</c>) never share a name.
    /// </summary>
    public const char NameSeparator = '_';

    /// <summary>
    /// A workspace container's name: <c>saaspanel-&lt;instance&gt;_&lt;user&gt;</c>, or a warm pool member's
    /// (<see cref="NewPoolMemberName"/>) until a claim renames it to its user's. The name is what says whose a
    /// container is: labels cannot change after create, so every workspace container carries the same label set.
    /// </summary>
    public static string ContainerName(string instanceId, string workspaceName) => $"saaspanel-{instanceId}{NameSeparator}{workspaceName}";

    /// <summary>Starts the workspace name of a warm pool member; a user name never contains its dot.</summary>
    public const string PoolMemberPrefix = "pool.";

    public static string NewPoolMemberName() => PoolMemberPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static bool IsPoolMember(string workspaceName) => workspaceName.StartsWith(PoolMemberPrefix, StringComparison.Ordinal);

    /// <summary>The workspace name (a user's, or a pool member's) in a container name of this installation; null for any other.</summary>
    public static string? WorkspaceNameOf(string instanceId, string? containerName)
    {
        var prefix = ContainerName(instanceId, "");
        var name = containerName?.TrimStart('/');
        return name is not null && name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : null;
    }

    /// <summary>The engine's filter for the container of exactly this name (the engine matches names as patterns).</summary>
    public static IDictionary<string, bool> NameFilter(string instanceId, string workspaceName) =>
        new Dictionary<string, bool> { [$"^/{Regex.Escape(ContainerName(instanceId, workspaceName))}$"] = true };

    /// <summary>
    /// The name a new workspace volume gets. An existing one is found by its labels, whatever its name (installations
    /// before <see cref="NameSeparator"/> named it <c>saaspanel-{instance}-{user}-workspace</c>).
    /// </summary>
    public static string VolumeName(string instanceId, string userName) => ContainerName(instanceId, userName) + NameSeparator + "workspace";

    /// <summary>The installation's network for workspaces: no route out, no traffic between containers.</summary>
    public static string IsolatedNetworkName(string instanceId) => $"saaspanel-{instanceId}-workspaces";

    /// <summary>The network of templates that allow egress: routed out, still no traffic between containers.</summary>
    public static string EgressNetworkName(string instanceId) => $"saaspanel-{instanceId}-egress";

    /// <summary>The node label key that says a node holds the image <paramref name="imageId"/> (<c>sha256:…</c>).</summary>
    public static string NodeImageLabel(string imageId) =>
        NodeImagePrefix + (imageId.StartsWith("sha256:", StringComparison.Ordinal) ? imageId["sha256:".Length..] : imageId);

    /// <summary>The engine's filter for everything labelled with this instance id (and, if given, this user).</summary>
    public static Dictionary<string, IDictionary<string, bool>> InstanceFilter(string instanceId, string? userName = null)
    {
        var labels = new Dictionary<string, bool> { [$"{Instance}={instanceId}"] = true };
        if (userName is not null)
        {
            labels[$"{User}={userName}"] = true;
        }

        return new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels };
    }

    public static int GenerationOf(IDictionary<string, string> labels) =>
        int.TryParse(Find(labels, Generation), CultureInfo.InvariantCulture, out var generation) ? generation : 0;

    public static TValue? Find<TValue>(IDictionary<string, TValue>? values, string key) =>
        values is not null && values.TryGetValue(key, out var value) ? value : default;
}

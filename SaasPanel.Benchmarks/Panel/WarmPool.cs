using Docker.DotNet;
using Docker.DotNet.Models;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Benchmarks.Panel;

/// <summary>
/// Control's warm pool as the engine shows it: started, unassigned workspaces, which Control names
/// <c>saaspanel-&lt;instance&gt;_pool.&lt;id&gt;</c> (labels cannot change after create, so a claim renames the container
/// to the user's name and membership is by name).
/// </summary>
internal sealed class WarmPool(DockerClient docker, string instanceId)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long the pool may take to replace a claimed member.</summary>
    private static readonly TimeSpan RefillTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How every pool member's name starts: the workspace name of a user <c>pool</c>, then a dot (no user name has one).</summary>
    public string NamePrefix { get; } = WorkspaceLabels.ContainerName(instanceId, "pool") + ".";

    /// <summary>The full ids of the running pool members.</summary>
    public async Task<IReadOnlyList<string>> RunningMembersAsync(CancellationToken cancellationToken)
    {
        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{WorkspaceLabels.Instance}={instanceId}"] = true },
                ["status"] = new Dictionary<string, bool> { ["running"] = true },
            },
        }, cancellationToken);
        // The engine's name filter matches anywhere in the name; the prefix is checked here. Names carry a leading '/'.
        return [.. containers.Where(c => c.Names.Any(name => name.TrimStart('/').StartsWith(NamePrefix, StringComparison.Ordinal))).Select(c => c.ID)];
    }

    /// <summary>Waits until at least <paramref name="members"/> pool members run; a pool that does not fill in time fails the step.</summary>
    public async Task<IReadOnlyList<string>> WaitUntilFullAsync(int members, TimeSpan timeout, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> running = [];
        try
        {
            await Poll.UntilAsync(async ct => (running = await RunningMembersAsync(ct)).Count >= members, PollInterval, timeout,
                $"{members} pool members", cancellationToken);
            return running;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Only {running.Count} of {members} warm pool members ({NamePrefix}*) ran {timeout.TotalSeconds:0} s after " +
                "Control started with Runtime:PoolSize set; does this Control have the warm pool?");
        }
    }

    /// <summary>
    /// Runs <paramref name="claim"/> (a timed registration), then, untimed, waits until the pool has as many running members
    /// as before it, so that the next measurement does not share the machine with the refill. Without a pool there is
    /// nothing to wait for.
    /// </summary>
    public async Task<T> ThenRefilledAsync<T>(Func<Task<T>> claim, CancellationToken cancellationToken)
    {
        var membersBefore = (await RunningMembersAsync(cancellationToken)).Count;
        var result = await claim();
        if (membersBefore > 0)
        {
            await WaitUntilFullAsync(membersBefore, RefillTimeout, cancellationToken);
        }

        return result;
    }
}

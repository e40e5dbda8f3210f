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

    /// <summary>How every pool member's name starts (no user name has its dot).</summary>
    public string NamePrefix { get; } = WorkspaceLabels.ContainerName(instanceId, WorkspaceLabels.PoolMemberPrefix);

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
    public Task<IReadOnlyList<string>> WaitUntilFullAsync(int members, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitUntilAsync(running => running >= members, timeout,
            running => $"Only {running} of {members} warm pool members ({NamePrefix}*) ran after {timeout.TotalSeconds:0} s; " +
                "does this Control have the warm pool (Runtime:PoolSize)?",
            cancellationToken);

    /// <summary>
    /// Waits until no pool member runs (Control started with the pool off): a member still there would be claimed, and the
    /// measurement would not be the one without a pool.
    /// </summary>
    public Task<IReadOnlyList<string>> WaitUntilEmptyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitUntilAsync(running => running == 0, timeout,
            running => $"{running} warm pool members ({NamePrefix}*) still ran {timeout.TotalSeconds:0} s after Control started with " +
                "Runtime:PoolSize=0; registrations could claim them, so the figures would not be the pool-off ones.",
            cancellationToken);

    private async Task<IReadOnlyList<string>> WaitUntilAsync(Func<int, bool> done, TimeSpan timeout, Func<int, string> failure,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<string> running = [];
        try
        {
            await Poll.UntilAsync(async ct => done((running = await RunningMembersAsync(ct)).Count), PollInterval, timeout, "the warm pool",
                cancellationToken);
            return running;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(failure(running.Count));
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

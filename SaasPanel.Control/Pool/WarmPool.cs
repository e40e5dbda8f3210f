using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Control.Data;
using SaasPanel.Control.Plans;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Telemetry;

namespace SaasPanel.Control.Pool;

/// <summary>
/// Keeps <see cref="RuntimeOptions.PoolSize"/> started, unassigned workspaces per template ready, so a new user's
/// workspace runs the moment it is claimed instead of after a container start (the engine's floor). A member is a
/// workspace container like any other (same labels, limits, hardening) named as a pool member, with its own volume and
/// gateway secret; no workspace row names it, so the gateway has no route to it. <see cref="TryTake"/> hands each
/// ready member out once; <see cref="Reconciler.WorkspaceConvergence"/> makes it a user's. The pool refills in the background,
/// a bounded number at a time, and rolls members whose image or limits are no longer current.
/// </summary>
public sealed partial class WarmPool(
    IServiceScopeFactory scopes,
    IWorkspaceRuntime runtime,
    ControlTelemetry telemetry,
    IOptions<RuntimeOptions> runtimeOptions,
    IOptions<PlanOptions> planOptions,
    ILogger<WarmPool> logger) : BackgroundService
{
    private static readonly TimeSpan RefillInterval = TimeSpan.FromSeconds(10);

    // A member that has been running answers at once; one that does not is replaced rather than waited for.
    private static readonly TimeSpan AdoptionProbeTimeout = TimeSpan.FromSeconds(2);

    private readonly RuntimeOptions _options = runtimeOptions.Value;

    // Members ready to hand out, by container id.
    private readonly ConcurrentDictionary<string, WarmPoolMember> _ready = new(StringComparer.Ordinal);

    // Every member this process made: one it made that is not ready is starting or handed out, and is not the refill's.
    private readonly ConcurrentDictionary<string, byte> _made = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _refillNow = new(0, 1);

    /// <summary>Members ready to claim now, of every template.</summary>
    public int ReadyCount => _ready.Count;

    /// <summary>
    /// Hands out a ready member of this template, image and limits, or null when there is none; each member once.
    /// The caller claims it or gives it back (<see cref="Return"/>).
    /// </summary>
    public WarmPoolMember? TryTake(string template, string imageId, string limits)
    {
        foreach (var member in _ready.Values)
        {
            if (member.Template == template && member.ImageId == imageId && member.Limits == limits
                && _ready.TryRemove(member.ContainerId, out _))
            {
                RequestRefill();
                return member;
            }
        }

        return null;
    }

    /// <summary>Puts back a member that was taken but not claimed.</summary>
    public void Return(WarmPoolMember member) => _ready.TryAdd(member.ContainerId, member);

    /// <summary>A member taken from the pool is a user's now (renamed): the pool forgets it.</summary>
    public void Claimed(string containerId) => _made.TryRemove(containerId, out _);

    private void RequestRefill()
    {
        try
        {
            _refillNow.Release();
        }
        catch (SemaphoreFullException)
        {
            // A refill is already asked for.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!runtime.SupportsWarmPool)
        {
            return;
        }

        telemetry.PoolMembers = () => _ready.Count;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefillAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRefillFailed(ex.GetBaseException().Message);
            }

            try
            {
                await _refillNow.WaitAsync(RefillInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One pass: takes over the ready members an earlier Control left, removes those that can no longer be handed out
    /// (stopped, rolled, not answering), then starts the missing ones. A member a workspace row names is a claim under way
    /// (or one a crash interrupted): the reconciler finishes it, the pool never touches it.
    /// </summary>
    private async Task RefillAsync(CancellationToken cancellationToken)
    {
        var members = await runtime.ListPoolAsync(cancellationToken);
        var volumes = await runtime.ListPoolDataAsync(cancellationToken);
        var ids = members.Select(m => m.Id).ToList();
        HashSet<string> claimed;
        HashSet<string> volumesOfWorkspaces;
        WorkspaceLimits? planLimits;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ControlDbContext>();
            claimed = (await db.Workspaces.AsNoTracking().Where(w => w.ContainerId != null && ids.Contains(w.ContainerId))
                .Select(w => w.ContainerId!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            volumesOfWorkspaces = (await db.Workspaces.AsNoTracking().Where(w => w.VolumeName != null && volumes.Contains(w.VolumeName))
                .Select(w => w.VolumeName!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            planLimits = (await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Name == planOptions.Value.Default, cancellationToken))?.Limits;
        }

        // A member's volume outlives it when Control died between removing the two: one no member and no row has is nobody's.
        var volumesOfMembers = members.Select(m => WorkspaceLabels.VolumeName(_options.InstanceId, m.UserName)).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in volumes.Where(v => !volumesOfMembers.Contains(v) && !volumesOfWorkspaces.Contains(v)))
        {
            LogRemovingVolume(orphan);
            await runtime.RemoveDataAsync(userName: null, orphan, cancellationToken);
        }

        // What each pooled template's members are to be: its current image, the default plan's limits.
        var current = new Dictionary<string, (string ImageId, WorkspaceLimits Limits, int Size)>(StringComparer.Ordinal);
        foreach (var (name, template) in _options.Templates)
        {
            if (_options.PoolSizeOf(template) is var size and > 0 && await ImageOfAsync(name, cancellationToken) is { } imageId)
            {
                current[name] = (imageId, planLimits ?? WorkspaceLimits.Default(_options, template), size);
            }
        }

        foreach (var member in members.Where(m => !claimed.Contains(m.Id)))
        {
            var isCurrent = current.TryGetValue(member.Template, out var want) && member.ImageId == want.ImageId && member.Limits == want.Limits.Label;
            if (_ready.TryGetValue(member.Id, out var ready) && isCurrent && member.Running)
            {
                continue;
            }

            // Starting or handed out by this process: not the refill's to judge.
            if (!_ready.ContainsKey(member.Id) && _made.ContainsKey(member.Id))
            {
                continue;
            }

            // Left ready by an earlier Control (a restart, an upgrade): handed out again rather than replaced.
            if (ready is null && isCurrent && member.Running && await AdoptAsync(member, want.Limits.Label, cancellationToken))
            {
                continue;
            }

            if (ready is null || _ready.TryRemove(member.Id, out _))
            {
                LogRemoving(member.UserName, member.Status);
                await RemoveAsync(member.Id, member.UserName, cancellationToken);
            }
        }

        var starts = current.SelectMany(t => Enumerable.Repeat(t, Math.Max(0, t.Value.Size - _ready.Values.Count(
            m => m.Template == t.Key && m.ImageId == t.Value.ImageId && m.Limits == t.Value.Limits.Label)))).ToList();
        await Parallel.ForEachAsync(starts,
            new ParallelOptions { MaxDegreeOfParallelism = _options.PoolParallelism, CancellationToken = cancellationToken },
            async (start, ct) => await StartMemberAsync(start.Key, start.Value.ImageId, start.Value.Limits, ct));
    }

    private async Task<string?> ImageOfAsync(string template, CancellationToken cancellationToken)
    {
        try
        {
            return await runtime.ResolveImageAsync(template, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogTemplateUnavailable(template, ex.GetBaseException().Message);
            return null;
        }
    }

    /// <summary>Makes a running member an earlier Control started ready to hand out, if it still answers; false: it does not.</summary>
    private async Task<bool> AdoptAsync(WorkspaceInstance member, string limits, CancellationToken cancellationToken)
    {
        if (await runtime.ReadGatewaySecretAsync(member.Id, cancellationToken) is not { Length: > 0 } secret
            || !await runtime.WaitUntilReadyAsync(member, AdoptionProbeTimeout, cancellationToken))
        {
            return false;
        }

        _made.TryAdd(member.Id, 0);
        _ready[member.Id] = new WarmPoolMember(member.Id, member.Template, member.ImageId, limits, secret,
            WorkspaceLabels.VolumeName(_options.InstanceId, member.UserName));
        return true;
    }

    /// <summary>Creates and starts one member and hands it out only once its app answers its readiness path.</summary>
    private async Task StartMemberAsync(string template, string imageId, WorkspaceLimits limits, CancellationToken cancellationToken)
    {
        var name = WorkspaceLabels.NewPoolMemberName();
        var secret = RandomNumberGenerator.GetHexString(64, lowercase: true);
        string? containerId = null;
        try
        {
            var created = await runtime.CreateAsync(new WorkspaceSpec(name, secret, Generation: 1, template, imageId, limits), cancellationToken);
            containerId = created.Id;
            _made.TryAdd(containerId, 0);
            await runtime.StartAsync(containerId, cancellationToken);
            var running = await runtime.InspectAsync(containerId, cancellationToken);
            if (running is null || !await runtime.WaitUntilReadyAsync(running, _options.StartTimeout, cancellationToken))
            {
                throw new WorkspaceRuntimeException($"it did not answer its readiness path within {_options.StartTimeout.TotalSeconds:0} s");
            }

            _ready[containerId] = new WarmPoolMember(containerId, template, imageId, limits.Label, secret,
                WorkspaceLabels.VolumeName(_options.InstanceId, name));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogStartFailed(name, ex.GetBaseException().Message);
            if (containerId is not null)
            {
                await RemoveAsync(containerId, name, cancellationToken);
            }
        }
    }

    /// <summary>Removes a member and its volume (named for it, labelled with no user).</summary>
    private async Task RemoveAsync(string containerId, string name, CancellationToken cancellationToken)
    {
        await runtime.RemoveAsync(containerId, cancellationToken);
        await runtime.RemoveDataAsync(userName: null, WorkspaceLabels.VolumeName(_options.InstanceId, name), cancellationToken);
        _made.TryRemove(containerId, out _);
    }

    public override void Dispose()
    {
        _refillNow.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refilling the warm pool failed (will retry): {Error}")]
    private partial void LogRefillFailed(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm pool member {Name} did not start: {Error}")]
    private partial void LogStartFailed(string name, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removing warm pool member {Name} ({Status}): stopped, rolled, or not answering")]
    private partial void LogRemoving(string name, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removing the volume {Volume}: made for a warm pool member that is gone, and no workspace's")]
    private partial void LogRemovingVolume(string volume);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The warm pool skips template {Template}: {Error}")]
    private partial void LogTemplateUnavailable(string template, string error);
}

/// <summary>A started, unassigned workspace ready to claim: its container, what it runs, its gateway secret and its volume.</summary>
public sealed record WarmPoolMember(string ContainerId, string Template, string ImageId, string Limits, string GatewaySecret, string VolumeName);

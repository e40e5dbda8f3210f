using System.Diagnostics;

namespace SaasPanel.Control.Reconciler;

/// <summary>
/// The reconciler's work queue of user names: each name is queued at most once, and is never
/// handed to two workers at the same time; a name signalled while being worked on is queued
/// again when that work is done (the controller work-queue pattern). The trace of whoever asked is
/// kept with the name, so the reconcile shows up in the trace of the request that caused it.
/// </summary>
public sealed class ReconcileQueue
{
    private readonly Lock _gate = new();
    private readonly Queue<string> _queue = new();
    private readonly HashSet<string> _queued = [];
    private readonly HashSet<string> _active = [];
    private readonly HashSet<string> _dirty = [];
    private readonly Dictionary<string, ActivityContext> _causes = [];
    private readonly SemaphoreSlim _available = new(0);

    public void Enqueue(string userName, ActivityContext cause = default)
    {
        lock (_gate)
        {
            if (cause != default)
            {
                _causes[userName] = cause;
            }

            if (_active.Contains(userName))
            {
                _dirty.Add(userName);
                return;
            }

            if (!_queued.Add(userName))
            {
                return;
            }

            _queue.Enqueue(userName);
        }

        _available.Release();
    }

    public async Task<(string UserName, ActivityContext Cause)> DequeueAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken);
        lock (_gate)
        {
            var userName = _queue.Dequeue();
            _queued.Remove(userName);
            _active.Add(userName);
            _causes.Remove(userName, out var cause);
            return (userName, cause);
        }
    }

    public void Done(string userName)
    {
        bool again;
        lock (_gate)
        {
            _active.Remove(userName);
            again = _dirty.Remove(userName);
        }

        if (again)
        {
            Enqueue(userName);
        }
    }
}

using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Reconciler;

/// <summary>
/// The reconciler's first pass after Control starts. Until it has checked every workspace it found
/// then against the engine, the states in the database are only what an earlier run last saw.
/// </summary>
public sealed class StartupVerification(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly long _startedAt = clock.GetTimestamp();
    private HashSet<string>? _pending;
    private int _total;
    private TimeSpan? _completedAfter;

    /// <summary>Starts the pass with the workspaces of the first sweep; later sweeps do not count.</summary>
    public void Begin(IEnumerable<string> userNames)
    {
        lock (_gate)
        {
            if (_pending is not null)
            {
                return;
            }

            _pending = [.. userNames];
            _total = _pending.Count;
            CompleteWhenEmpty();
        }
    }

    /// <summary>Notes that the reconciler has just compared this workspace with the engine.</summary>
    public void Checked(string userName)
    {
        lock (_gate)
        {
            if (_pending?.Remove(userName) == true)
            {
                CompleteWhenEmpty();
            }
        }
    }

    public StartupVerificationProgress Progress
    {
        get
        {
            lock (_gate)
            {
                return new(_pending is not null, _total - (_pending?.Count ?? 0), _total, _completedAfter);
            }
        }
    }

    private void CompleteWhenEmpty()
    {
        if (_pending is { Count: 0 })
        {
            _completedAfter ??= clock.GetElapsedTime(_startedAt);
        }
    }
}

/// <summary>How far the first pass is: whether it began, how many of its workspaces are checked, and when it finished.</summary>
public sealed record StartupVerificationProgress(bool Began, int Checked, int Total, TimeSpan? CompletedAfter);

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace SaasPanel.Auth.Gateway;

/// <summary>
/// The last time each workspace was used through the gateway (a relayed request, a websocket frame either way),
/// kept in memory and sent to Control behind the traffic by <see cref="WorkspaceActivityReporter"/>. Recording is a
/// lookup and one write of a number: after a workspace's first request it allocates nothing. A workspace unused for
/// <see cref="ForgetAfter"/> after its last report is forgotten, so deleted users and idle ones take no memory.
/// </summary>
public sealed class WorkspaceActivity(IOptions<WorkspaceActivityOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool Enabled { get; } = options.Value.Enabled;

    public void Record(string userName)
    {
        if (!Enabled)
        {
            return;
        }

        var now = clock.GetUtcNow().UtcTicks;
        if (!_entries.TryGetValue(userName, out var entry))
        {
            entry = _entries.GetOrAdd(userName, static _ => new Entry());
        }

        Volatile.Write(ref entry.LastTicks, now);
    }

    /// <summary>The workspaces tracked now (used within <see cref="ForgetAfter"/>, or not yet reported).</summary>
    internal int Count => _entries.Count;

    /// <summary>
    /// The workspaces used since the previous call, with their last activity; each reported once per call at most.
    /// Forgets those reported and unused for <see cref="ForgetAfter"/>.
    /// </summary>
    public List<WorkspaceActivityReport> TakeUnreported()
    {
        var reports = new List<WorkspaceActivityReport>();
        var forgetBefore = clock.GetUtcNow().UtcTicks - ForgetAfter.Ticks;
        foreach (var (userName, entry) in _entries)
        {
            var last = Volatile.Read(ref entry.LastTicks);
            if (last > entry.ReportedTicks)
            {
                reports.Add(new WorkspaceActivityReport(userName, new DateTime(last, DateTimeKind.Utc)));
                entry.ReportedTicks = last;
            }
            else if (last < forgetBefore)
            {
                // A request recording into this entry at this very moment is lost; the one after it adds a new entry.
                _entries.TryRemove(KeyValuePair.Create(userName, entry));
            }
        }

        return reports;
    }

    /// <summary>Puts reports Control did not take back, so the next round sends them again (unless newer activity came).</summary>
    public void Unreport(IEnumerable<WorkspaceActivityReport> reports)
    {
        foreach (var report in reports)
        {
            if (_entries.TryGetValue(report.User, out var entry) && entry.ReportedTicks == report.LastActivity.Ticks)
            {
                entry.ReportedTicks = 0;
            }
        }
    }

    /// <summary>Wraps the client's side of an upgraded (websocket) connection so that every frame, either way, counts.</summary>
    public Stream Track(Stream upgraded, string userName) => Enabled ? new ActivityCountingStream(upgraded, this, userName) : upgraded;

    private sealed class Entry
    {
        public long LastTicks;

        // Only the reporter's single loop touches it.
        public long ReportedTicks;
    }
}

/// <summary>One line of a report to Control's <c>POST /api/workspaces/activity</c>.</summary>
public sealed record WorkspaceActivityReport(string User, DateTime LastActivity);

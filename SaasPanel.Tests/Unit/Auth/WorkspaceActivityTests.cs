using Microsoft.Extensions.Options;
using SaasPanel.Auth.Gateway;

namespace SaasPanel.Tests.Unit.Auth;

public sealed class WorkspaceActivityTests
{
    private readonly SteppedClock _clock = new();

    [Fact]
    public void Each_round_reports_a_workspace_once_with_its_latest_activity_and_only_if_it_was_used_since()
    {
        var activity = New(enabled: true);

        activity.Record("alice");
        _clock.Advance(TimeSpan.FromSeconds(5));
        activity.Record("alice");
        activity.Record("bob");
        var first = activity.TakeUnreported();
        var second = activity.TakeUnreported();
        _clock.Advance(TimeSpan.FromSeconds(5));
        activity.Record("bob");
        var third = activity.TakeUnreported();

        Assert.Equal([("alice", _clock.GetUtcNow().UtcDateTime.AddSeconds(-5)), ("bob", _clock.GetUtcNow().UtcDateTime.AddSeconds(-5))],
            first.OrderBy(r => r.User).Select(r => (r.User, r.LastActivity)));
        Assert.Empty(second);
        Assert.Equal(new WorkspaceActivityReport("bob", _clock.GetUtcNow().UtcDateTime), Assert.Single(third));
    }

    [Fact]
    public void A_workspace_unused_for_an_hour_after_its_report_is_forgotten_and_comes_back_with_its_next_use()
    {
        var activity = New(enabled: true);
        activity.Record("alice");
        activity.Record("bob");
        activity.TakeUnreported();

        _clock.Advance(WorkspaceActivity.ForgetAfter - TimeSpan.FromSeconds(1));
        activity.Record("bob");
        activity.TakeUnreported();
        var beforeAnHour = activity.Count;
        _clock.Advance(TimeSpan.FromSeconds(2));
        activity.TakeUnreported();
        var afterAnHour = activity.Count;
        activity.Record("alice");

        Assert.Equal(2, beforeAnHour);
        Assert.Equal(1, afterAnHour);
        Assert.Equal("alice", Assert.Single(activity.TakeUnreported()).User);
    }

    [Fact]
    public void A_report_Control_did_not_take_is_sent_again_next_round()
    {
        var activity = New(enabled: true);
        activity.Record("alice");

        activity.Unreport(activity.TakeUnreported());

        Assert.Equal("alice", Assert.Single(activity.TakeUnreported()).User);
    }

    [Fact]
    public async Task A_websocket_counts_as_activity_only_when_bytes_move_either_way()
    {
        var activity = New(enabled: true);
        await using var socket = activity.Track(new MemoryStream(), "alice");

        Assert.Equal(0, await socket.ReadAsync(new byte[8]));
        Assert.Empty(activity.TakeUnreported());
        await socket.WriteAsync(new byte[] { 1 });
        Assert.Equal("alice", Assert.Single(activity.TakeUnreported()).User);
    }

    [Fact]
    public void Disabled_it_records_nothing_and_leaves_streams_alone()
    {
        var activity = New(enabled: false);
        using var stream = new MemoryStream();

        activity.Record("alice");

        Assert.Empty(activity.TakeUnreported());
        Assert.Same(stream, activity.Track(stream, "alice"));
    }

    private WorkspaceActivity New(bool enabled) => new(Options.Create(new WorkspaceActivityOptions { Enabled = enabled }), _clock);

    private sealed class SteppedClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

using SaasPanel.Auth.Gateway;
using SaasPanel.Contracts;

namespace SaasPanel.Tests.Unit.Auth;

public sealed class GatewayRouteTableTests
{
    [Fact]
    public void A_snapshot_replaces_everything_and_changes_update_one_entry()
    {
        var table = new GatewayRouteTable();
        table.Apply(Route("old", WorkspaceStates.Running));

        table.ReplaceAll([Route("alice", WorkspaceStates.Running), Route("bob", WorkspaceStates.Stopped), Route("gone", WorkspaceStates.Deleted)]);
        table.Apply(Route("bob", WorkspaceStates.Running, generation: 2));
        table.Apply(Route("alice", WorkspaceStates.Deleted, generation: 2));

        Assert.True(table.IsSynchronized);
        Assert.False(table.TryGet("old", out _));
        Assert.False(table.TryGet("gone", out _));
        Assert.False(table.TryGet("alice", out _));
        Assert.True(table.TryGet("bob", out var bob));
        Assert.True(bob.IsRunning);
        Assert.Equal("http://172.20.0.5:8080", bob.DestinationPrefix);
    }

    [Fact]
    public void An_older_event_never_overwrites_a_newer_one()
    {
        var table = new GatewayRouteTable();
        Assert.True(table.Apply(Route("alice", WorkspaceStates.Running, generation: 7)));

        Assert.False(table.Apply(Route("alice", WorkspaceStates.Stopped, generation: 6)));
        Assert.False(table.Apply(Route("alice", WorkspaceStates.Deleted, generation: 3)));
        Assert.Equal(WorkspaceStates.Running, Current(table, "alice")?.State);
        Assert.Equal(7, Current(table, "alice")?.Generation);

        // The same generation again is the same full state: applying it is harmless.
        Assert.True(table.Apply(Route("alice", WorkspaceStates.Running, generation: 7)));
        Assert.True(table.Apply(Route("alice", WorkspaceStates.Stopping, generation: 8)));
        Assert.Equal(WorkspaceStates.Stopping, Current(table, "alice")?.State);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    public void A_deletion_at_or_after_the_stored_generation_removes_the_route(long deletedAt)
    {
        var table = new GatewayRouteTable();
        table.Apply(Route("alice", WorkspaceStates.Running, generation: 9));

        Assert.True(table.Apply(Route("alice", WorkspaceStates.Deleted, generation: deletedAt)));

        Assert.Null(Current(table, "alice"));
        // A workspace made again under the same name starts a new row, whose generations start again.
        Assert.True(table.Apply(Route("alice", WorkspaceStates.Pending, generation: 1)));
        Assert.Equal(WorkspaceStates.Pending, Current(table, "alice")?.State);
    }

    [Theory]
    [InlineData("Running", "Running", "http://172.20.0.5:8080", true, false, false, false)]
    [InlineData("Running", "Running", "https://workspace.internal", true, false, false, false)]
    [InlineData("Running", "Running", null, false, false, false, false)]
    [InlineData("Running", "Running", "172.20.0.5:8080", false, false, false, false)]
    [InlineData("Running", "Running", "file:///etc/passwd", false, false, false, false)]
    [InlineData("Stopped", "Stopped", null, false, false, false, true)]
    [InlineData("Stopping", "Stopped", "http://172.20.0.5:8080", false, false, false, true)]
    [InlineData("Starting", "Running", null, false, false, false, false)]
    [InlineData("Failed", "Running", null, false, true, false, false)]
    [InlineData("Deleting", "Deleted", null, false, false, true, false)]
    [InlineData("Running", "Deleted", "http://172.20.0.5:8080", true, false, true, false)]
    public void A_route_knows_whether_to_forward_wait_wake_or_give_up(
        string state, string desired, string? endpoint, bool running, bool failed, bool gone, bool needsWaking)
    {
        var route = new WorkspaceRoute(new WorkspaceChangeEvent("alice", state, desired, endpoint, "secret", 1, null));

        Assert.Equal(running, route.IsRunning);
        Assert.Equal(failed, route.IsFailed);
        Assert.Equal(gone, route.IsGone);
        Assert.Equal(needsWaking, route.NeedsWaking);
    }

    [Theory]
    [InlineData("Stopped")]
    [InlineData("Stopping")]
    public void A_suspended_route_is_never_woken(string state)
    {
        var route = new WorkspaceRoute(new WorkspaceChangeEvent("alice", state, DesiredStates.Stopped, null, "secret", 1, null, Suspended: true));

        Assert.True(route.IsSuspended);
        Assert.False(route.NeedsWaking);
    }

    [Fact]
    public void The_destination_is_the_endpoint_and_its_authority_is_what_redirects_are_compared_with()
    {
        var route = new WorkspaceRoute(new WorkspaceChangeEvent("alice", WorkspaceStates.Running, DesiredStates.Running,
            "http://172.20.0.5:8080", "secret", 1, null));

        Assert.Equal("http://172.20.0.5:8080", route.DestinationPrefix);
        Assert.Equal("172.20.0.5:8080", route.EndpointAuthority);
    }

    [Theory]
    [InlineData("saaspanel.session=abc", true)]
    [InlineData("saaspanel.sessionC1=abc", true)]
    [InlineData("saaspanel.antiforgery=abc", true)]
    [InlineData(".AspNetCore.Antiforgery.x1=abc", true)]
    [InlineData("theme=dark", false)]
    [InlineData("session=abc", false)]
    public void Panel_cookies_are_told_apart_from_the_workspaces_own(string cookie, bool isPanel) =>
        Assert.Equal(isPanel, GatewayTransformer.IsPanelCookie(cookie));

    private static WorkspaceRoute Route(string userName, string state, long generation = 1) => new(new WorkspaceChangeEvent(
        userName, state, state == WorkspaceStates.Deleted ? DesiredStates.Deleted : DesiredStates.Running,
        state == WorkspaceStates.Deleted ? null : "http://172.20.0.5:8080", "secret", generation, null));

    private static WorkspaceRoute? Current(GatewayRouteTable table, string userName) => table.TryGet(userName, out var route) ? route : null;
}

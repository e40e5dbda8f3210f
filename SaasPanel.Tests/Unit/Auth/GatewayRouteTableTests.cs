using SaasPanel.Auth.Gateway;

namespace SaasPanel.Tests.Unit.Auth;

public sealed class GatewayRouteTableTests
{
    [Fact]
    public void A_snapshot_replaces_everything_and_changes_update_one_entry()
    {
        var table = new GatewayRouteTable();
        table.Apply(Route("old", "Running"));

        table.ReplaceAll([Route("alice", "Running"), Route("bob", "Stopped"), Route("gone", "Deleted")]);
        table.Apply(Route("bob", "Running"));
        table.Apply(Route("alice", "Deleted"));

        Assert.True(table.IsSynchronized);
        Assert.False(table.TryGet("old", out _));
        Assert.False(table.TryGet("gone", out _));
        Assert.False(table.TryGet("alice", out _));
        Assert.True(table.TryGet("bob", out var bob));
        Assert.True(bob.IsRunning);
        Assert.Equal("http://127.0.0.1:49153", bob.DestinationPrefix);
    }

    [Theory]
    [InlineData("Running", "Running", "127.0.0.1:1", true, false, false, false)]
    [InlineData("Running", "Running", null, false, false, false, false)]
    [InlineData("Stopped", "Stopped", null, false, false, false, true)]
    [InlineData("Stopping", "Stopped", "127.0.0.1:1", false, false, false, true)]
    [InlineData("Starting", "Running", null, false, false, false, false)]
    [InlineData("Failed", "Running", null, false, true, false, false)]
    [InlineData("Deleting", "Deleted", null, false, false, true, false)]
    [InlineData("Running", "Deleted", "127.0.0.1:1", true, false, true, false)]
    public void A_route_knows_whether_to_forward_wait_wake_or_give_up(
        string state, string desired, string? address, bool running, bool failed, bool gone, bool needsWaking)
    {
        var route = new WorkspaceRoute("alice", state, desired, address, "secret", 1, null);

        Assert.Equal(running, route.IsRunning);
        Assert.Equal(failed, route.IsFailed);
        Assert.Equal(gone, route.IsGone);
        Assert.Equal(needsWaking, route.NeedsWaking);
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

    private static WorkspaceRoute Route(string userName, string state) =>
        new(userName, state, state == "Deleted" ? "Deleted" : "Running", "127.0.0.1:49153", "secret", 1, null);
}

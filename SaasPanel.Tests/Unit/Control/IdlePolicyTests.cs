using SaasPanel.Control.Culling;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Tests.Unit.Control;

public sealed class IdlePolicyTests
{
    private static readonly DateTime s_now = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);
    private static readonly IdlePolicy s_hourIdle = new(TimeSpan.FromHours(1), TimeSpan.Zero);

    [Fact]
    public void A_running_workspace_unused_for_longer_than_the_timeout_is_culled()
    {
        Assert.NotNull(s_hourIdle.ReasonToCull(Running(started: -120, used: -61), s_now));
        Assert.Null(s_hourIdle.ReasonToCull(Running(started: -120, used: -59), s_now));
    }

    [Fact]
    public void A_workspace_nobody_used_since_it_started_is_idle_from_its_start()
    {
        Assert.Null(s_hourIdle.ReasonToCull(Running(started: -30, used: -600), s_now));
        Assert.Null(s_hourIdle.ReasonToCull(Running(started: -30, used: null), s_now));
        Assert.NotNull(s_hourIdle.ReasonToCull(Running(started: -61, used: null), s_now));
    }

    [Fact]
    public void Pinned_starting_stopping_and_stopped_workspaces_are_never_culled()
    {
        var pinned = Running(started: -600, used: -600);
        pinned.Pinned = true;
        var starting = Running(started: -600, used: -600);
        starting.State = WorkspaceState.Starting;
        var stopping = Running(started: -600, used: -600);
        stopping.DesiredState = DesiredState.Stopped;

        Assert.All(new[] { pinned, starting, stopping }, workspace => Assert.Null(s_hourIdle.ReasonToCull(workspace, s_now)));
    }

    [Fact]
    public void A_zero_timeout_never_culls_and_a_max_age_culls_however_busy()
    {
        var busyForDays = Running(started: -3 * 24 * 60, used: 0);

        Assert.Null(new IdlePolicy(TimeSpan.Zero, TimeSpan.Zero).ReasonToCull(Running(started: -9999, used: -9999), s_now));
        Assert.Null(s_hourIdle.ReasonToCull(busyForDays, s_now));
        Assert.StartsWith("running for", new IdlePolicy(TimeSpan.Zero, TimeSpan.FromDays(1)).ReasonToCull(busyForDays, s_now));
    }

    private static Workspace Running(int started, int? used) => new()
    {
        UserName = "alice",
        Email = "alice@example.com",
        Template = "userapp",
        GatewaySecret = "secret",
        State = WorkspaceState.Running,
        RunningSince = s_now.AddMinutes(started),
        LastActivityAt = used is { } minutes ? s_now.AddMinutes(minutes) : null,
    };
}

using SaasPanel.Control.Reconciler;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Tests.Unit.Control;

/// <summary>What a sweep may skip: only a workspace the engine's listing shows exactly as its row says.</summary>
public sealed class SweepTests
{
    private const string Image = "sha256:current";
    private const string Endpoint = "http://172.30.0.2:8080";
    private const string Limits = "128Mi-0.5cpu-128pids";
    private static readonly DateTime Started = new(2026, 11, 25, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_running_workspace_with_its_one_running_container_is_settled() =>
        Assert.True(WorkspaceReconciler.IsSettled(Running(), [Container()], Image, Limits));

    [Theory]
    [InlineData("missing")]
    [InlineData("stopped")]
    [InlineData("old-image")]
    [InlineData("other-address")]
    [InlineData("no-address")]
    [InlineData("other-template")]
    [InlineData("other-limits")]
    [InlineData("no-limits")]
    [InlineData("duplicate")]
    [InlineData("restart-asked")]
    [InlineData("still-starting")]
    public void A_running_workspace_needs_work_when_anything_differs(string difference)
    {
        var workspace = Running();
        List<WorkspaceInstance> containers = difference switch
        {
            "missing" => [],
            "stopped" => [Container() with { Running = false }],
            "old-image" => [Container() with { ImageId = "sha256:old" }],
            "other-address" => [Container() with { Endpoint = new WorkspaceEndpoint("http://172.30.0.3:8080") }],
            "no-address" => [Container() with { Endpoint = null }],
            "other-template" => [Container() with { Template = "static" }],
            "other-limits" => [Container() with { Limits = "256Mi-1cpu-256pids" }],
            "no-limits" => [Container() with { Limits = null }],
            "duplicate" => [Container(), Container() with { Id = "c2" }],
            _ => [Container()],
        };
        if (difference == "restart-asked")
        {
            workspace.RestartRequestedAt = Started.AddMinutes(1);
        }

        if (difference == "still-starting")
        {
            workspace.State = WorkspaceState.Starting;
        }

        Assert.False(WorkspaceReconciler.IsSettled(workspace, containers, Image, Limits));
    }

    [Fact]
    public void A_stopped_workspace_is_settled_with_no_container_or_its_stopped_one_but_not_a_running_one()
    {
        var workspace = Running();
        workspace.DesiredState = DesiredState.Stopped;
        workspace.State = WorkspaceState.Stopped;
        workspace.Endpoint = null;

        Assert.True(WorkspaceReconciler.IsSettled(workspace, [], Image, Limits));
        Assert.True(WorkspaceReconciler.IsSettled(workspace, [Container() with { Running = false, Endpoint = null }], Image, Limits));
        Assert.False(WorkspaceReconciler.IsSettled(workspace, [Container()], Image, Limits));
    }

    [Fact]
    public void A_workspace_being_deleted_is_never_settled()
    {
        var workspace = Running();
        workspace.DesiredState = DesiredState.Deleted;
        Assert.False(WorkspaceReconciler.IsSettled(workspace, [], Image, Limits));
    }

    private static Workspace Running() => new()
    {
        UserName = "dana",
        Email = "dana@example.com",
        GatewaySecret = "secret",
        Template = "userapp",
        State = WorkspaceState.Running,
        ContainerId = "c1",
        Endpoint = Endpoint,
        RunningSince = Started,
    };

    private static WorkspaceInstance Container() =>
        new("c1", "dana", "userapp", 1, Image, true, "Up", new WorkspaceEndpoint(Endpoint), Started, Limits);
}

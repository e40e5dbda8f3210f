using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Docker.DotNet.Models;
using Microsoft.Extensions.Hosting;
using SaasPanel.Contracts;
using SaasPanel.Control.Apis;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>Plans on the real engine: a workspace's container has its plan's limits, and rolls to them when they change.</summary>
public sealed partial class PlanTests : IAsyncLifetime
{
    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(30);
    private ControlHost _control = null!;

    public async Task InitializeAsync()
    {
        await DockerTestEngine.BuildUserAppImageAsync(CancellationToken.None);
        _control = new ControlHost();
    }

    public async Task DisposeAsync() => await _control.DisposeAsync();

    [Fact]
    public async Task Changing_a_users_plan_rolls_the_container_to_the_new_limits_and_keeps_its_volume()
    {
        Assert.Equal(HttpStatusCode.Created, (await PutPlanAsync("large", new { memoryLimitMb = 256, cpuLimit = 1.0, pidsLimit = 256 })).StatusCode);
        await _control.ProvisionAsync("pia");
        var before = await _control.WaitForStateAsync("pia", WorkspaceState.Running, StateTimeout);
        Assert.Equal("standard", before.Plan);
        var standard = await InspectAsync(before);
        Assert.Equal(128L * 1024 * 1024, standard.HostConfig.Memory);

        var moved = await _control.Api.PutAsJsonAsync("/api/workspaces/pia/plan", new { plan = "large" });

        Assert.Equal(HttpStatusCode.Accepted, moved.StatusCode);
        var after = await _control.WaitForStateAsync("pia", WorkspaceState.Running, StateTimeout, w => w.ContainerId != before.ContainerId);
        var large = await InspectAsync(after);
        Assert.Equal(256L * 1024 * 1024, large.HostConfig.Memory);
        Assert.Equal(1_000_000_000L, large.HostConfig.NanoCPUs);
        Assert.Equal(256L, large.HostConfig.PidsLimit);
        Assert.Equal("256Mi-1cpu-256pids", large.Config.Labels[WorkspaceLabels.Limits]);
        Assert.Equal(
            standard.Mounts.Single(m => m.Destination == WorkspaceContainer.Directory).Name,
            large.Mounts.Single(m => m.Destination == WorkspaceContainer.Directory).Name);

        // Editing the plan rolls the workspaces that have it.
        Assert.Equal(HttpStatusCode.OK, (await PutPlanAsync("large", new { memoryLimitMb = 192, cpuLimit = 0.75, pidsLimit = 200 })).StatusCode);
        var edited = await _control.WaitForStateAsync("pia", WorkspaceState.Running, StateTimeout, w => w.ContainerId != after.ContainerId);
        var smaller = await InspectAsync(edited);
        Assert.Equal(192L * 1024 * 1024, smaller.HostConfig.Memory);
        Assert.Equal(750_000_000L, smaller.HostConfig.NanoCPUs);
        Assert.Equal(200L, smaller.HostConfig.PidsLimit);

        var audit = await _control.Api.GetFromJsonAsync<Page<AuditEntry>>("/api/audit?user=pia&pageSize=200", ControlHost.Json);
        Assert.Contains(audit!.Items, a => a is { Action: "plan", Detail: "standard → large" });
    }

    [Fact]
    public async Task The_panel_shows_the_plan_and_its_selector_moves_the_workspace()
    {
        Assert.Equal(HttpStatusCode.Created, (await PutPlanAsync("tiny", new { memoryLimitMb = 64, cpuLimit = 0.25, pidsLimit = 64 })).StatusCode);
        await _control.ProvisionAsync("pete");
        var before = await _control.WaitForStateAsync("pete", WorkspaceState.Running, StateTimeout);
        using var admin = _control.Factory.CreateSignedInClient("admin", SharedSignInExtensions.AdminRole);

        var overview = await admin.GetStringAsync("/?q=pete");
        Assert.Contains("<td data-plan>standard</td>", overview);
        using var details = await admin.GetAsync("/workspaces/pete");
        var html = await details.Content.ReadAsStringAsync();
        Assert.Contains("<dd data-plan>standard: 128 MiB, 0.5 CPU, 128 processes", html);

        using var post = new HttpRequestMessage(HttpMethod.Post, "/workspaces/pete?handler=Plan")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["plan"] = "tiny",
                ["__RequestVerificationToken"] = AntiforgeryToken().Match(html).Groups[1].Value,
            }),
        };
        var answer = await admin.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var moved = await _control.WaitForStateAsync("pete", WorkspaceState.Running, StateTimeout, w => w.ContainerId != before.ContainerId);
        Assert.Equal("tiny", moved.Plan);
        Assert.Equal(64L * 1024 * 1024, (await InspectAsync(moved)).HostConfig.Memory);
        Assert.Contains("<dd data-plan>tiny: 64 MiB, 0.25 CPU, 64 processes", await admin.GetStringAsync("/workspaces/pete"));
    }

    public static TheoryData<string, string> InvalidPlans => new()
    {
        { "Bad_Name", "{\"memoryLimitMb\":128,\"cpuLimit\":0.5,\"pidsLimit\":128}" },
        { "ok", "{\"cpuLimit\":0.5,\"pidsLimit\":128}" },
        { "ok", "{\"memoryLimitMb\":8,\"cpuLimit\":0.5,\"pidsLimit\":128}" },
        { "ok", "{\"memoryLimitMb\":128,\"cpuLimit\":0,\"pidsLimit\":128}" },
        { "ok", "{\"memoryLimitMb\":128,\"cpuLimit\":0.5,\"pidsLimit\":1}" },
        { "ok", "{\"memoryLimitMb\":128,\"cpuLimit\":0.5,\"pidsLimit\":128,\"idleTimeout\":\"-00:01:00\"}" },
        { "ok", "{\"memoryLimitMb\":128,\"cpuLimit\":0.5,\"pidsLimit\":128,\"idleTimeout\":\"soon\"}" },
        { "ok", "{\"memoryLimitMb\":128,\"cpuLimit\":0.5,\"pidsLimit\":128,\"maxWorkspaces\":-1}" },
        { "ok", "{\"memoryLimitMb\":128,\"cpuLimit\":0.5,\"pidsLimit\":128,\"storageLimitMb\":0}" },
        { "ok", "{\"memoryLimitMb\":128,\"cpuLimit\":0.5,\"pidsLimit\":128,\"allowedTemplates\":[\"nope\"]}" },
        { "ok", "{bad json" },
    };

    [Theory]
    [MemberData(nameof(InvalidPlans))]
    public async Task Invalid_plans_are_400_with_problem_details_and_not_written(string name, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/plans/{name}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        var response = await _control.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var plans = await _control.Api.GetFromJsonAsync<List<PlanDto>>("/api/plans", ControlHost.Json);
        Assert.Equal(["standard"], plans!.Select(p => p.Name));
    }

    [Fact]
    public async Task Plans_and_plan_changes_answer_404_400_and_409_as_fits()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _control.Api.GetAsync("/api/plans/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _control.Api.DeleteAsync("/api/plans/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _control.Api.DeleteAsync("/api/plans/standard")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _control.Api.PutAsJsonAsync("/api/workspaces/nobody/plan", new { plan = "standard" })).StatusCode);

        // Stopped, so no container is needed for these.
        await _control.ProvisionAsync("quin");
        await _control.Api.PostAsync("/api/workspaces/quin/stop", null);
        Assert.Equal(HttpStatusCode.BadRequest, (await _control.Api.PutAsJsonAsync("/api/workspaces/quin/plan", new { plan = "nope" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _control.Api.PutAsJsonAsync("/api/workspaces/quin/plan", new { plan = (string?)null })).StatusCode);
        await PutPlanAsync("static-only", new { memoryLimitMb = 64, cpuLimit = 0.25, pidsLimit = 64, allowedTemplates = new[] { "static" } });
        var notAllowed = await _control.Api.PutAsJsonAsync("/api/workspaces/quin/plan", new { plan = "static-only" });
        Assert.Equal(HttpStatusCode.Conflict, notAllowed.StatusCode);
        Assert.Contains("does not allow template 'userapp'", await notAllowed.Content.ReadAsStringAsync());
        await PutPlanAsync("full", new { memoryLimitMb = 64, cpuLimit = 0.25, pidsLimit = 64, maxWorkspaces = 0 });
        Assert.Equal(HttpStatusCode.Conflict, (await _control.Api.PutAsJsonAsync("/api/workspaces/quin/plan", new { plan = "full" })).StatusCode);

        await PutPlanAsync("spare", new { memoryLimitMb = 64, cpuLimit = 0.25, pidsLimit = 64, idleTimeout = "00:05:00" });
        Assert.Equal(HttpStatusCode.Accepted, (await _control.Api.PutAsJsonAsync("/api/workspaces/quin/plan", new { plan = "spare" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _control.Api.PutAsJsonAsync("/api/workspaces/quin/plan", new { plan = "spare" })).StatusCode);
        var inUse = await _control.Api.DeleteAsync("/api/plans/spare");
        Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);
        Assert.Contains("in use by 1 workspace", await inUse.Content.ReadAsStringAsync());
        var spare = await _control.Api.GetFromJsonAsync<PlanDto>("/api/plans/spare", ControlHost.Json);
        Assert.Equal((TimeSpan.FromMinutes(5), 1), (spare!.IdleTimeout, spare.Workspaces));
        Assert.Equal(HttpStatusCode.NoContent, (await _control.Api.DeleteAsync("/api/plans/full")).StatusCode);
        Assert.Equal("spare", (await _control.GetAsync("quin"))!.Plan);
    }

    private Task<HttpResponseMessage> PutPlanAsync(string name, object plan) => _control.Api.PutAsJsonAsync($"/api/plans/{name}", plan);

    private async Task<ContainerInspectResponse> InspectAsync(WorkspaceDto workspace) =>
        await _control.Docker.Containers.InspectContainerAsync(workspace.ContainerId!);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

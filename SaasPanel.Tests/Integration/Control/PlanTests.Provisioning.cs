using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using SaasPanel.Control.Apis;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>
/// Provisioning honours the default plan: a template it does not allow is 422, a full plan is 409, nothing is written
/// either way, and concurrent provisions never take the plan past its maximum.
/// </summary>
public sealed partial class PlanTests
{
    [Fact]
    public async Task A_template_the_plan_does_not_allow_is_422_and_a_full_plan_409_and_neither_writes_anything()
    {
        await PutStandardPlanAsync(maxWorkspaces: 1, allowedTemplates: ["userapp"]);

        var notAllowed = await _control.ProvisionAsync("tara", template: "static");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notAllowed.StatusCode);
        Assert.Contains("does not allow template 'static'", await TemplateErrorAsync(notAllowed));
        await AssertNothingWrittenAsync("tara");

        Assert.Equal(HttpStatusCode.Created, (await _control.ProvisionAsync("tara")).StatusCode);
        var full = await _control.ProvisionAsync("uma");
        Assert.Equal(HttpStatusCode.Conflict, full.StatusCode);
        Assert.Contains("Plan 'standard' is full: it allows 1 workspace(s).", await full.Content.ReadAsStringAsync());
        await AssertNothingWrittenAsync("uma");

        // A repeat of an existing workspace is no new one; a template change to one its plan does not allow is refused.
        Assert.Equal(HttpStatusCode.OK, (await _control.ProvisionAsync("tara")).StatusCode);
        var change = await _control.ProvisionAsync("tara", template: "static");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, change.StatusCode);
        Assert.Contains("does not allow template 'static'", await TemplateErrorAsync(change));
        Assert.Equal("userapp", (await _control.GetAsync("tara"))!.Template);
        await _control.WaitForStateAsync("tara", WorkspaceState.Running, StateTimeout);
    }

    [Fact]
    public async Task Concurrent_provisions_never_take_a_plan_past_its_maximum()
    {
        await PutStandardPlanAsync(maxWorkspaces: 2, allowedTemplates: []);

        var answers = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => _control.ProvisionAsync($"racer{i}")));

        var statuses = answers.Select(a => a.StatusCode).ToList();
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(6, statuses.Count(s => s == HttpStatusCode.Conflict));
        var workspaces = await _control.Api.GetFromJsonAsync<Page<WorkspaceDto>>("/api/workspaces?search=racer", ControlHost.Json);
        Assert.Equal(2, workspaces!.Total);
        foreach (var workspace in workspaces.Items)
        {
            // Not torn down while the reconciler still creates their containers.
            await _control.WaitForStateAsync(workspace.UserName, WorkspaceState.Running, StateTimeout);
        }
    }

    [Fact]
    public async Task The_panels_provision_form_shows_why_the_plan_refuses()
    {
        await PutStandardPlanAsync(maxWorkspaces: null, allowedTemplates: ["userapp"]);
        using var admin = _control.Factory.CreateSignedInClient("admin", SharedSignInExtensions.AdminRole);
        var token = AntiforgeryToken().Match(await admin.GetStringAsync("/")).Groups[1].Value;

        var answer = await admin.PostAsync("/?handler=Provision", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Provision.UserName"] = "vic",
            ["Provision.Email"] = "vic@example.com",
            ["Provision.Template"] = "static",
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("Plan &#x27;standard&#x27; does not allow template &#x27;static&#x27;", await answer.Content.ReadAsStringAsync());
        await AssertNothingWrittenAsync("vic");
    }

    private async Task PutStandardPlanAsync(int? maxWorkspaces, string[] allowedTemplates) =>
        Assert.Equal(HttpStatusCode.OK,
            (await PutPlanAsync("standard", new { memoryLimitMb = 128, cpuLimit = 0.5, pidsLimit = 128, maxWorkspaces, allowedTemplates })).StatusCode);

    private static async Task<string> TemplateErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("errors").GetProperty("template")[0].GetString()!;
    }

    private async Task AssertNothingWrittenAsync(string user)
    {
        Assert.Null(await _control.GetAsync(user));
        var audit = await _control.Api.GetFromJsonAsync<Page<AuditEntry>>($"/api/audit?user={user}&pageSize=200", ControlHost.Json);
        Assert.Empty(audit!.Items);
    }
}

using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>A workspace is Running only once its template's readiness path answers, whatever the app.</summary>
public sealed class TemplateReadinessTests
{
    [Fact]
    public async Task A_template_whose_readiness_path_never_answers_fails_with_the_reason_and_is_never_Running()
    {
        await DockerTestEngine.BuildStaticImageAsync(CancellationToken.None);
        await using var control = new ControlHost(settings: new Dictionary<string, string?>
        {
            ["Runtime:StartTimeout"] = "00:00:02",
            ["Runtime:Templates:broken:Image"] = DockerTestEngine.StaticImageTag,
            ["Runtime:Templates:broken:ReadinessPath"] = "/no-such-page",
        });
        await control.ProvisionAsync("hana", template: "broken");

        var states = new List<WorkspaceState>();
        var failed = await Eventually.GetAsync(async () =>
        {
            var workspace = await control.GetAsync("hana");
            states.Add(workspace!.State);
            return workspace;
        }, w => w.State == WorkspaceState.Failed, TimeSpan.FromSeconds(30), "the workspace to fail its readiness check", TimeSpan.FromMilliseconds(20));

        Assert.Contains("readiness path", failed.LastError);
        Assert.DoesNotContain(WorkspaceState.Running, states);
    }
}

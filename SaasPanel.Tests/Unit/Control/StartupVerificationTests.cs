using Microsoft.Extensions.Diagnostics.HealthChecks;
using SaasPanel.Control.Reconciler;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Tests.Unit.Control;

public sealed class StartupVerificationTests
{
    [Fact]
    public async Task Is_degraded_until_every_workspace_of_the_first_sweep_is_checked()
    {
        var verification = new StartupVerification(TimeProvider.System);
        var check = new StartupVerificationHealthCheck(verification);

        var beforeSweep = await check.CheckHealthAsync(new HealthCheckContext());
        verification.Checked("alice"); // reconciled before the first sweep: not part of the pass
        verification.Begin(["alice", "bob"]);
        verification.Checked("alice");
        verification.Checked("carol"); // not a workspace of the pass
        var halfway = await check.CheckHealthAsync(new HealthCheckContext());
        verification.Checked("bob");
        verification.Begin(["dave"]); // later sweeps do not start a new pass
        var done = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, beforeSweep.Status);
        Assert.Equal(HealthStatus.Degraded, halfway.Status);
        Assert.Contains("1 of 2", halfway.Description);
        Assert.Equal(HealthStatus.Healthy, done.Status);
        Assert.StartsWith("All 2 workspaces were checked", done.Description);
        Assert.NotNull(verification.Progress.CompletedAfter);
    }

    [Fact]
    public void With_no_workspaces_the_first_sweep_completes_the_pass()
    {
        var verification = new StartupVerification(TimeProvider.System);

        verification.Begin([]);

        Assert.Equal(new StartupVerificationProgress(true, 0, 0, verification.Progress.CompletedAfter), verification.Progress);
        Assert.NotNull(verification.Progress.CompletedAfter);
    }
}

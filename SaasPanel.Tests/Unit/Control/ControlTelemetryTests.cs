using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SaasPanel.Control.Telemetry;
using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Unit.Control;

public sealed class ControlTelemetryTests
{
    [Fact]
    public void Workspaces_by_state_are_the_last_sweeps_counts_with_zero_for_the_other_states()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var telemetry = new ControlTelemetry(services.GetRequiredService<IMeterFactory>());
        using var metrics = new ServiceMetrics(services);

        telemetry.CountWorkspaces([WorkspaceState.Running, WorkspaceState.Failed, WorkspaceState.Running]);
        var first = ByState(metrics.Observe("saaspanel.workspaces"));
        telemetry.CountWorkspaces([WorkspaceState.Stopped]);
        var second = ByState(metrics.Observe("saaspanel.workspaces"));

        Assert.Equal(Enum.GetNames<WorkspaceState>().Order(), first.Keys.Order());
        Assert.Equal((2d, 1d, 0d), (first["Running"], first["Failed"], first["Stopped"]));
        Assert.Equal((0d, 0d, 1d), (second["Running"], second["Failed"], second["Stopped"]));
    }

    private static Dictionary<string, double> ByState(IEnumerable<RecordedMeasurement> measurements) =>
        measurements.ToDictionary(m => m.Tag("state")!, m => m.Value);
}

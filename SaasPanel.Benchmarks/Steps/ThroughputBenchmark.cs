using SaasPanel.Benchmarks.Load;
using SaasPanel.Benchmarks.Machine;
using SaasPanel.Benchmarks.Panel;
using SaasPanel.Contracts;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Benchmarks.Steps;

/// <summary>
/// One signed-in user's page under a fixed load, three ways: through the gateway (sign-in cookie), straight
/// from the container's address on the installation's network (gateway secret), and through nginx proxying to
/// that same address as the reference reverse proxy.
/// </summary>
internal static class ThroughputBenchmark
{
    private const string UserName = "load";

    public static async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var (options, panel, results) = (context.Options, context.Panel, context.Results);
        var load = options.Load;
        ProgressLog.Step($"throughput: /u/{UserName}/ with {load.Connections} connections for {load.Duration.TotalSeconds:0} s each " +
            $"(after {load.WarmUp.TotalSeconds:0} s of warm-up): gateway, container, nginx");
        using var browser = await ProvisioningBenchmark.SignUpAsync(panel, UserName, options, cancellationToken);
        using var api = panel.NewControlApi();
        var route = await api.ReadRouteAsync(UserName, cancellationToken);
        var prefix = $"/u/{UserName}";

        var gateway = await MeasureAsync("gateway", new Uri($"http://127.0.0.1:{panel.AuthAddress.Port}{prefix}/"),
            new Dictionary<string, string> { ["Cookie"] = browser.CookieHeader }, load, cancellationToken);
        (results.GatewayRps, results.GatewayP50Ms, results.GatewayP99Ms) = (gateway.RequestsPerSecond, gateway.P50Ms, gateway.P99Ms);

        var endpoint = new Uri(route.Endpoint!);
        // The endpoint Control reported must be this run's own container on its own network before any load goes there.
        var network = WorkspaceLabels.IsolatedNetworkName(panel.InstanceId);
        var ownAddress = await DockerCli.AddressOnAsync(WorkspaceLabels.ContainerName(panel.InstanceId, UserName), network, cancellationToken);
        var direct = await MeasureAsync("container", endpoint,
            new Dictionary<string, string> { [Headers.GatewaySecret] = route.GatewaySecret!, [Headers.ForwardedPrefix] = prefix }, load,
            cancellationToken, ownAddress);
        (results.DirectRps, results.DirectP50Ms, results.DirectP99Ms) = (direct.RequestsPerSecond, direct.P50Ms, direct.P99Ms);

        await using var nginx = await NginxProxy.StartAsync(UserName, endpoint.Authority, route.GatewaySecret!, cancellationToken);
        var reference = await MeasureAsync("nginx", nginx.WorkspaceAddress, new Dictionary<string, string>(), load, cancellationToken);
        (results.NginxRps, results.NginxP50Ms, results.NginxP99Ms) = (reference.RequestsPerSecond, reference.P50Ms, reference.P99Ms);
    }

    /// <summary>One warm-up, then the measured load; a response with an error status fails the step.</summary>
    internal static async Task<LoadResult> MeasureAsync(string name, Uri url, Dictionary<string, string> headers, LoadProfile load,
        CancellationToken cancellationToken, string? ownContainerAddress = null)
    {
        await Wrk.RunAsync(url, headers, load, load.WarmUp, cancellationToken, ownContainerAddress);
        var result = await Wrk.RunAsync(url, headers, load, load.Duration, cancellationToken, ownContainerAddress);
        ProgressLog.Detail($"{name}: {result}");
        if (result.FailedResponses > 0)
        {
            throw new InvalidOperationException($"{name} answered {result.FailedResponses} requests with an error status; that is not the page.");
        }

        return result;
    }
}

using System.Diagnostics;
using System.Security.Cryptography;
using SaasPanel.Benchmarks.Machine;
using SaasPanel.Benchmarks.Panel;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Benchmarks.Steps;

/// <summary>
/// The lower bound of provisioning: a bare <c>docker run</c> of the image Control runs, timed until the
/// container's page answers 200. Labelled with the run's instance id, so cleanup finds it whatever happens.
/// </summary>
internal sealed class DockerRunBaseline(string instanceId, string image, BenchmarkOptions options) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    public async Task<double> MeasureAsync(string userName, CancellationToken cancellationToken)
    {
        var run = await RunUntilOkAsync(userName, cancellationToken);
        await DockerCli.RunAsync(["rm", "--force", run.ContainerId], cancellationToken);
        return run.Milliseconds;
    }

    /// <summary>
    /// Bare containers started all at once, each timed until it answers 200. They are removed only when every one
    /// answered, so no removal competes with the starts being timed.
    /// </summary>
    public async Task<double[]> MeasureConcurrentAsync(IEnumerable<string> userNames, CancellationToken cancellationToken)
    {
        var runs = await Task.WhenAll(userNames.Select(userName => RunUntilOkAsync(userName, cancellationToken)));
        await DockerCli.RunAsync(["rm", "--force", .. runs.Select(run => run.ContainerId)], cancellationToken);
        return [.. runs.Select(run => run.Milliseconds)];
    }

    private async Task<(string ContainerId, double Milliseconds)> RunUntilOkAsync(string userName, CancellationToken cancellationToken)
    {
        var port = LoopbackPort.Free();
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var started = Stopwatch.GetTimestamp();
        var containerId = await DockerCli.RunAsync(
            [
                "run", "--detach",
                "--label", $"{WorkspaceLabels.Instance}={instanceId}",
                "--env", $"USERNAME={userName}",
                "--env", $"GATEWAY_SECRET={secret}",
                "--publish", $"127.0.0.1:{port}:8080",
                image,
            ],
            cancellationToken);
        await Poll.UntilOkAsync(_http, () => new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/") { Headers = { { GatewaySecret.HeaderName, secret } } },
            options.PollInterval, options.ProvisionTimeout, $"the bare container of {userName} to answer 200", cancellationToken);
        return (containerId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public void Dispose() => _http.Dispose();
}

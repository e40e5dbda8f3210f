using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using SaasPanel.Benchmarks.Machine;
using SaasPanel.Contracts;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Benchmarks.Steps;

/// <summary>
/// The lower bound of provisioning: a bare <c>docker run</c> of the image Control runs, on the installation's network
/// as a workspace is, timed until the container's page answers 200 at its address there (the time taken to ask the
/// engine for that address is not counted). Labelled with the run's instance id, so cleanup finds it whatever happens.
/// </summary>
internal sealed class DockerRunBaseline(string instanceId, string image, BenchmarkOptions options) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    public async Task<double> MeasureAsync(string userName, CancellationToken cancellationToken)
    {
        var started = new ConcurrentBag<string>();
        try
        {
            return await RunUntilOkAsync(userName, started, cancellationToken);
        }
        finally
        {
            await RemoveAsync(started);
        }
    }

    /// <summary>
    /// Bare containers started all at once, each timed until it answers 200. They are removed only when every one
    /// answered (or failed), so no removal competes with the starts being timed, and none outlives a failed attempt.
    /// </summary>
    public async Task<double[]> MeasureConcurrentAsync(IEnumerable<string> userNames, CancellationToken cancellationToken)
    {
        var started = new ConcurrentBag<string>();
        try
        {
            return await Task.WhenAll(userNames.Select(userName => RunUntilOkAsync(userName, started, cancellationToken)));
        }
        finally
        {
            await RemoveAsync(started);
        }
    }

    /// <summary>Removes what was started whether the measurement succeeded or not; a cancelled run still cleans up by label.</summary>
    private static async Task RemoveAsync(ConcurrentBag<string> started)
    {
        if (!started.IsEmpty)
        {
            await DockerCli.RunAsync(["rm", "--force", .. started], CancellationToken.None);
        }
    }

    private async Task<double> RunUntilOkAsync(string userName, ConcurrentBag<string> started, CancellationToken cancellationToken)
    {
        var network = WorkspaceLabels.IsolatedNetworkName(instanceId);
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var starting = Stopwatch.GetTimestamp();
        var containerId = await DockerCli.RunAsync(
            [
                "run", "--detach",
                "--label", $"{WorkspaceLabels.Instance}={instanceId}",
                "--env", $"{WorkspaceEnvironment.GatewaySecret}={secret}",
                "--network", network,
                image,
            ],
            cancellationToken);
        started.Add(containerId);
        var asking = Stopwatch.GetTimestamp();
        var address = await DockerCli.AddressOnAsync(containerId, network, cancellationToken);
        var asked = Stopwatch.GetElapsedTime(asking);
        var url = new UriBuilder(Uri.UriSchemeHttp, address, WorkspaceContainer.Port).Uri;
        await Poll.UntilOkAsync(_http, () => new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { Headers.GatewaySecret, secret } } },
            options.PollInterval, options.ProvisionTimeout, $"the bare container of {userName} to answer 200", cancellationToken);
        return (Stopwatch.GetElapsedTime(starting) - asked).TotalMilliseconds;
    }

    public void Dispose() => _http.Dispose();
}

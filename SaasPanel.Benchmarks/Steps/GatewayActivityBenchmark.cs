using System.Globalization;
using SaasPanel.Benchmarks.Panel;

namespace SaasPanel.Benchmarks.Steps;

/// <summary>
/// The throughput step's gateway load with Auth's activity tracking on and off in one run: Auth restarted for each
/// round with the setting, rounds interleaved (off, on, off, on, …) so that drift in the machine's load falls on both
/// alike, and the figures averaged over the rounds of each. The last round is on, so later steps see Auth's default.
/// </summary>
internal static class GatewayActivityBenchmark
{
    private const string UserName = "activity";
    private static readonly TimeSpan RestartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var (options, panel, results) = (context.Options, context.Panel, context.Results);
        var load = options.Load with { Duration = options.ActivityRoundDuration };
        ProgressLog.Step($"gateway activity: /u/{UserName}/ through the gateway, {options.ActivityRounds} rounds each with tracking off and on, " +
            $"{load.Duration.TotalSeconds:0} s each after {load.WarmUp.TotalSeconds:0} s of warm-up, Auth restarted before each round");
        using var browser = await ProvisioningBenchmark.SignUpAsync(panel, UserName, options, cancellationToken);
        var url = new Uri($"http://127.0.0.1:{panel.AuthAddress.Port}/u/{UserName}/");
        var headers = new Dictionary<string, string> { ["Cookie"] = browser.CookieHeader };

        var rps = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
        for (var round = 0; round < 2 * options.ActivityRounds; round++)
        {
            var tracking = round % 2 == 1;
            await RestartAuthAsync(panel, browser, tracking, cancellationToken);
            var result = await ThroughputBenchmark.MeasureAsync($"gateway, activity tracking {(tracking ? "on" : "off")}", url, headers, load,
                cancellationToken);
            rps[tracking].Add(result.RequestsPerSecond);
        }

        (results.GatewayRpsActivityOn, results.GatewayRpsActivityOff) = (rps[true].Average(), rps[false].Average());
        results.GatewayActivityRatio = results.GatewayRpsActivityOn / results.GatewayRpsActivityOff;
        ProgressLog.Detail(string.Create(CultureInfo.InvariantCulture,
            $"on {results.GatewayRpsActivityOn:0} req/s, off {results.GatewayRpsActivityOff:0} req/s, ratio {results.GatewayActivityRatio:0.000}"));
    }

    /// <summary>Restarts Auth with the setting and waits until the signed-in user's page answers through the new process.</summary>
    private static async Task RestartAuthAsync(PanelHost panel, PanelBrowser browser, bool activityTracking, CancellationToken cancellationToken)
    {
        var page = new Uri(panel.AuthAddress, $"/u/{UserName}/");
        await panel.StopAuthAsync(cancellationToken);
        await Poll.UntilAsync(async ct => !await AnswersAsync(browser.Http, page, ct), PollInterval, RestartTimeout, "Auth to stop", cancellationToken);
        await panel.StartAuthAsync(activityTracking, cancellationToken);
        await Poll.UntilOkAsync(browser.Http, () => new HttpRequestMessage(HttpMethod.Get, page), PollInterval, RestartTimeout,
            "the gateway to serve the page after Auth's restart", cancellationToken);
    }

    private static async Task<bool> AnswersAsync(HttpClient http, Uri page, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(page, cancellationToken);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}

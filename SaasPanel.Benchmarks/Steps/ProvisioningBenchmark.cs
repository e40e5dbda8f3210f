using System.Diagnostics;
using SaasPanel.Benchmarks.Panel;
using SaasPanel.Benchmarks.Report;

namespace SaasPanel.Benchmarks.Steps;

/// <summary>
/// Registration to a serving workspace, as a person sees it: from posting the sign-up form at Auth until
/// <c>/u/&lt;user&gt;/</c> answers 200 through the gateway. First one user at a time, each followed by a bare
/// <c>docker run</c> of the same image (the lower bound, under the same conditions), then many at once, followed by
/// as many bare <c>docker run</c>s at once (the lower bound of that).
/// </summary>
internal static class ProvisioningBenchmark
{
    private const string Password = "bench-password";

    /// <summary>One user at a time, each registration followed by a bare <c>docker run</c> under the same conditions.</summary>
    public static async Task RunSequentialAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var (options, panel, results) = (context.Options, context.Panel, context.Results);
        ProgressLog.Step($"provisioning: {options.SequentialUsers} registrations one at a time, each followed by a bare docker run");
        using var dockerRun = new DockerRunBaseline(panel.InstanceId, panel.UserAppImage, options);
        var registrations = new List<double>();
        var dockerRuns = new List<double>();
        for (var i = 1; i <= options.SequentialUsers; i++)
        {
            using var browser = panel.NewBrowser();
            registrations.Add(await RegisterAndWaitAsync(browser, $"seq-{i:000}", options, cancellationToken));
            dockerRuns.Add(await dockerRun.MeasureAsync($"run-{i:000}", cancellationToken));
            if (i % 10 == 0 || i == options.SequentialUsers)
            {
                ProgressLog.Detail($"{i}: registration {registrations[^1]:0} ms, docker run {dockerRuns[^1]:0} ms");
            }
        }

        var sequential = Percentiles.Of(registrations);
        var bare = Percentiles.Of(dockerRuns);
        (results.ProvisionP50Ms, results.ProvisionP99Ms) = (sequential.P50, sequential.P99);
        // No warm pool exists yet: every registration takes the path a pool would bypass.
        results.ProvisionP50MsNopool = sequential.P50;
        (results.DockerRunP50Ms, results.DockerRunP99Ms) = (bare.P50, bare.P99);
    }

    public static async Task RunConcurrentAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var (options, panel, results) = (context.Options, context.Panel, context.Results);
        ProgressLog.Step($"provisioning: {options.ConcurrentUsers} registrations at once");
        var browsers = Enumerable.Range(1, options.ConcurrentUsers).Select(_ => panel.NewBrowser()).ToList();
        try
        {
            var forms = await Task.WhenAll(browsers.Select(b => b.OpenRegistrationAsync(cancellationToken)));
            var concurrent = Percentiles.Of(await Task.WhenAll(browsers.Select((browser, i) =>
                RegisterAndWaitAsync(browser, forms[i], $"con-{i + 1:000}", options, cancellationToken))));
            (results.ProvisionConcurrentP50Ms, results.ProvisionConcurrentP99Ms) = (concurrent.P50, concurrent.P99);
        }
        finally
        {
            browsers.ForEach(browser => browser.Dispose());
        }
    }

    /// <summary>Right after the concurrent registrations, as many bare <c>docker run</c>s at once: their lower bound.</summary>
    public static async Task RunDockerRunConcurrentAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var (options, panel, results) = (context.Options, context.Panel, context.Results);
        ProgressLog.Step($"provisioning: {options.ConcurrentUsers} bare docker runs at once");
        using var dockerRun = new DockerRunBaseline(panel.InstanceId, panel.UserAppImage, options);
        var bareConcurrent = Percentiles.Of(await dockerRun.MeasureConcurrentAsync(
            Enumerable.Range(1, options.ConcurrentUsers).Select(i => $"run-con-{i:000}"), cancellationToken));
        (results.DockerRunConcurrentP50Ms, results.DockerRunConcurrentP99Ms) = (bareConcurrent.P50, bareConcurrent.P99);
    }

    private static async Task<double> RegisterAndWaitAsync(PanelBrowser browser, string userName, BenchmarkOptions options,
        CancellationToken cancellationToken) =>
        await RegisterAndWaitAsync(browser, await browser.OpenRegistrationAsync(cancellationToken), userName, options, cancellationToken);

    /// <summary>Times one registration from the form's post (the page was opened before) until the workspace answers.</summary>
    private static async Task<double> RegisterAndWaitAsync(PanelBrowser browser, PanelBrowser.Form form, string userName,
        BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await browser.RegisterAsync(form, userName, Password, cancellationToken);
        await browser.WaitForWorkspaceAsync(userName, options.PollInterval, options.ProvisionTimeout, cancellationToken);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>Registers a user and waits for the workspace, untimed: for steps that need a signed-in user.</summary>
    public static async Task<PanelBrowser> SignUpAsync(PanelHost panel, string userName, BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var browser = panel.NewBrowser();
        try
        {
            await RegisterAndWaitAsync(browser, userName, options, cancellationToken);
            return browser;
        }
        catch
        {
            browser.Dispose();
            throw;
        }
    }
}

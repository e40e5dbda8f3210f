using System.Diagnostics;
using SaasPanel.Benchmarks.Machine;
using SaasPanel.Benchmarks.Panel;
using SaasPanel.Benchmarks.Report;

namespace SaasPanel.Benchmarks.Steps;

/// <summary>
/// Registration to a serving workspace, as a person sees it: from posting the sign-up form at Auth until
/// <c>/u/&lt;user&gt;/</c> answers 200 through the gateway. First one user at a time with Control's warm pool as the system
/// starts, each followed by a bare <c>docker run</c> of the same image (the lower bound, under the same conditions); then
/// one at a time with the pool off; then many at once with the pool sized for the burst, followed by as many bare
/// <c>docker run</c>s at once (the lower bound of that).
/// </summary>
internal static class ProvisioningBenchmark
{
    private const string Password = "bench-password";

    /// <summary>Lets freshly started pool members finish starting up (first requests, GC) before they are measured or claimed.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(5);

    /// <summary>One user at a time, each registration followed by a bare <c>docker run</c> under the same conditions.</summary>
    public static async Task RunSequentialAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var (options, panel, results) = (context.Options, context.Panel, context.Results);
        ProgressLog.Step($"provisioning: {options.SequentialUsers} registrations one at a time (warm pool as started), each followed by a bare docker run");
        using var dockerRun = new DockerRunBaseline(panel.InstanceId, panel.UserAppImage, options);
        var registrations = new List<double>();
        var dockerRuns = new List<double>();
        try
        {
            for (var i = 1; i <= options.SequentialUsers; i++)
            {
                using var browser = panel.NewBrowser();
                registrations.Add(await panel.Pool.ThenRefilledAsync(() => RegisterAndWaitAsync(browser, $"seq-{i:000}", options, cancellationToken),
                    cancellationToken));
                dockerRuns.Add(await dockerRun.MeasureAsync($"run-{i:000}", cancellationToken));
                if (i % 10 == 0 || i == options.SequentialUsers)
                {
                    ProgressLog.Detail($"{i}: registration {registrations[^1]:0} ms, docker run {dockerRuns[^1]:0} ms");
                }
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && registrations.Count > 0)
        {
            throw BenchmarkSteps.AfterPartialFigures(ex, $"{registrations.Count} of {options.SequentialUsers} registrations and {dockerRuns.Count} docker runs");
        }
        finally
        {
            if (registrations.Count > 0)
            {
                var sequential = Percentiles.Of(registrations);
                (results.ProvisionP50Ms, results.ProvisionP99Ms) = (sequential.P50, sequential.P99);
            }

            if (dockerRuns.Count > 0)
            {
                var bare = Percentiles.Of(dockerRuns);
                (results.DockerRunP50Ms, results.DockerRunP99Ms) = (bare.P50, bare.P99);
            }
        }
    }

    /// <summary>
    /// The same, with the warm pool off: Control restarted with <c>Runtime:PoolSize=0</c>, so each registration creates and
    /// starts its container when asked. The run restores the pool after the step.
    /// </summary>
    public static async Task RunSequentialWithoutPoolAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var (options, panel, results) = (context.Options, context.Panel, context.Results);
        ProgressLog.Step($"provisioning: {options.NoPoolUsers} registrations one at a time with the warm pool off (Control restarted with pool size 0)");
        await panel.RestartControlAsync(poolMembers: 0, cancellationToken);
        await panel.Pool.WaitUntilEmptyAsync(options.PoolFillTimeout, cancellationToken);
        // Untimed: Auth's change stream and outbox reconnect to the restarted Control on the first registration's way.
        (await SignUpAsync(panel, "nopool-000", options, cancellationToken)).Dispose();

        var registrations = new List<double>();
        try
        {
            for (var i = 1; i <= options.NoPoolUsers; i++)
            {
                using var browser = panel.NewBrowser();
                registrations.Add(await RegisterAndWaitAsync(browser, $"nopool-{i:000}", options, cancellationToken));
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && registrations.Count > 0)
        {
            throw BenchmarkSteps.AfterPartialFigures(ex, $"{registrations.Count} of {options.NoPoolUsers} registrations");
        }
        finally
        {
            if (registrations.Count > 0)
            {
                results.ProvisionP50MsNopool = Percentiles.Of(registrations).P50;
                ProgressLog.Detail($"{registrations.Count} without the pool: p50 {results.ProvisionP50MsNopool:0} ms");
            }
        }
    }

    /// <summary>
    /// Many at once, with Control restarted so that its pool holds as many started workspaces as there are users, and
    /// the burst sent once they all run. That idle moment is also when the pool's own memory is read.
    /// </summary>
    public static async Task RunConcurrentAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var (options, panel, results) = (context.Options, context.Panel, context.Results);
        ProgressLog.Step($"provisioning: {options.ConcurrentUsers} registrations at once, Control restarted with a warm pool of {options.ConcurrentUsers}");
        await panel.RestartControlAsync(poolMembers: options.ConcurrentUsers, cancellationToken);
        await panel.Pool.WaitUntilFullAsync(options.ConcurrentUsers, options.PoolFillTimeout, cancellationToken);
        await Task.Delay(SettleTime, cancellationToken);
        var members = await panel.Pool.RunningMembersAsync(cancellationToken);
        var memory = ContainerMemory.Sum(members);
        (results.PoolMembers, results.PoolMemoryMb) = (members.Count, memory.TotalMb);
        ProgressLog.Detail($"idle pool: {members.Count} members, {memory}");

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

using Microsoft.Extensions.Options;
using SaasPanel.Benchmarks.Machine;
using SaasPanel.Benchmarks.Panel;
using SaasPanel.Benchmarks.Report;
using SaasPanel.Benchmarks.Steps;
using SaasPanel.Control.Runtime;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Benchmarks;

/// <summary>
/// One benchmark run: starts the whole system through its AppHost, runs the steps in order (a failed one is
/// reported with its error and the others still run), and whatever happens removes everything labelled with the
/// run's instance id, then writes the results.
/// </summary>
internal static class BenchmarkRun
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Every step, in the order a run takes them; <c>--only</c> picks some by name.</summary>
    public static readonly IReadOnlyList<(string Name, Func<BenchmarkContext, CancellationToken, Task> Run)> Steps =
    [
        ("provisioning", ProvisioningBenchmark.RunSequentialAsync),
        ("provisioning_nopool", ProvisioningBenchmark.RunSequentialWithoutPoolAsync),
        ("browser_registration", BrowserRegistrationBenchmark.RunAsync),
        ("provisioning_concurrent", ProvisioningBenchmark.RunConcurrentAsync),
        ("docker_run_concurrent", ProvisioningBenchmark.RunDockerRunConcurrentAsync),
        ("throughput", ThroughputBenchmark.RunAsync),
        ("gateway_activity", GatewayActivityBenchmark.RunAsync),
        ("density", DensityBenchmark.RunAsync),
        ("reconcile", ReconcileBenchmark.RunAsync),
        ("admin_list", AdminListBenchmark.RunAsync),
    ];

    public static async Task<int> ExecuteAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        if (options.OnlySteps?.FirstOrDefault(step => !Steps.Any(known => known.Name == step)) is { } unknown)
        {
            await Console.Error.WriteLineAsync($"unknown step '{unknown}' (steps: {string.Join(", ", Steps.Select(step => step.Name))})");
            return 2;
        }

        var results = new BenchmarkResults();
        var machine = await MachineFacts.ReadAsync(cancellationToken);
        var loadAtStart = MachineFacts.LoadAverage();
        ProgressLog.Step($"{(options.Quick ? "quick" : "full")} run, instance {options.InstanceId}, on {machine}, load average {loadAtStart}");
        var exitCode = 1;
        try
        {
            await using var panel = await PanelHost.StartAsync(options.InstanceId, options.OutputDirectory, cancellationToken);
            var context = new BenchmarkContext(options, panel, results);
            var failures = await BenchmarkSteps.RunAllAsync(
                Steps.Where(step => options.Runs(step.Name)).Select(step => new BenchmarkStep(step.Name, ct => step.Run(context, ct))),
                panel.RestoreAsync,
                cancellationToken);
            foreach (var (step, error) in failures)
            {
                results.FailedSteps[step] = error;
            }

            exitCode = failures.Count == 0 ? 0 : 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ProgressLog.Step("cancelled");
        }
        catch (Exception ex)
        {
            // The system did not start (or stop): no step could run, which the table shows as not measured.
            results.FailedSteps["system"] = ex.GetBaseException().Message;
            ProgressLog.Step($"failed: {ex}");
        }
        finally
        {
            await CleanUpAsync(options.InstanceId);
        }

        var table = ResultTable.For(results, options);
        Console.WriteLine();
        Console.WriteLine(table.ToText());
        await results.WriteAsync(options.ResultsPath, CancellationToken.None);
        var heading = $"{(options.Quick ? "Quick" : "Full")} run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine}; " +
            $"load average (1, 5, 15 min) {loadAtStart} at the start, {MachineFacts.LoadAverage()} at the end.";
        await File.WriteAllTextAsync(options.TablePath, table.ToMarkdown(heading), CancellationToken.None);
        ProgressLog.Step($"wrote {options.ResultsPath} and {options.TablePath}");
        // With --only, the other steps' keys are missing on purpose.
        return results.IsComplete || options.OnlySteps is not null ? exitCode : 1;
    }

    private static async Task CleanUpAsync(string instanceId)
    {
        using var timeout = new CancellationTokenSource(CleanupTimeout);
        try
        {
            // Control's own engine client: the same endpoint (DOCKER_HOST or the default socket) as the workspaces'.
            using var engine = new DockerEngine(Options.Create(new RuntimeOptions()));
            var (containers, volumes) = await InstanceCleanup.RemoveAsync(engine.Client, instanceId, timeout.Token);
            ProgressLog.Step($"cleaned up: {containers} containers and {volumes} volumes labelled saaspanel.instance={instanceId}");
        }
        catch (Exception ex)
        {
            ProgressLog.Step($"cleanup failed ({ex.GetBaseException().Message}); scripts/bench removes the rest by label");
        }
    }
}

/// <summary>What every step gets: the run's options, the running system, and the results to fill in.</summary>
internal sealed record BenchmarkContext(BenchmarkOptions Options, PanelHost Panel, BenchmarkResults Results);

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

    public static async Task<int> ExecuteAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
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
                [
                    Step("provisioning", ProvisioningBenchmark.RunSequentialAsync),
                    Step("provisioning_concurrent", ProvisioningBenchmark.RunConcurrentAsync),
                    Step("docker_run_concurrent", ProvisioningBenchmark.RunDockerRunConcurrentAsync),
                    Step("throughput", ThroughputBenchmark.RunAsync),
                    Step("density", DensityBenchmark.RunAsync),
                    Step("reconcile", ReconcileBenchmark.RunAsync),
                    Step("admin_list", AdminListBenchmark.RunAsync),
                ],
                cancellationToken);
            foreach (var (step, error) in failures)
            {
                results.FailedSteps[step] = error;
            }

            exitCode = failures.Count == 0 ? 0 : 1;

            BenchmarkStep Step(string name, Func<BenchmarkContext, CancellationToken, Task> run) => new(name, ct => run(context, ct));
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
        return results.IsComplete ? exitCode : 1;
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

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SaasPanel.Benchmarks;
using SaasPanel.Benchmarks.Load;
using SaasPanel.Benchmarks.Report;

namespace SaasPanel.Tests.Unit.Benchmarks;

public sealed class BenchmarkReportTests
{
    private const string WrkReport = """
        Running 10s test @ http://127.0.0.1:5000/u/load/
          2 threads and 32 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency    13.22ms   12.01ms 210.31ms   91.02%
            Req/Sec     1.03k   150.12     1.40k    70.00%
          Latency Distribution
             50%  812.00us
             75%   15.10ms
             90%   24.33ms
             99%    1.25s
          20513 requests in 10.05s, 60.12MB read
          Socket errors: connect 0, read 2, write 0, timeout 3
          Non-2xx or 3xx responses: 7
        Requests/sec:   2041.10
        Transfer/sec:      5.98MB
        """;

    [Fact]
    public void Reads_wrk_throughput_latency_percentiles_in_any_unit_and_errors()
    {
        var result = Wrk.Parse(WrkReport);

        Assert.Equal(new LoadResult(2041.10, 0.812, 1250, 20513, 7, 5), result);
    }

    [Fact]
    public void A_wrk_report_without_errors_counts_none()
    {
        var clean = WrkReport.Replace("  Non-2xx or 3xx responses: 7\n", "").Replace("read 2", "read 0").Replace("timeout 3", "timeout 0");

        Assert.Equal((0, 0), (Wrk.Parse(clean).FailedResponses, Wrk.Parse(clean).SocketErrors));
    }

    [Fact]
    public void Percentiles_are_nearest_rank_so_the_p99_of_twenty_is_the_largest()
    {
        var percentiles = Percentiles.Of(Enumerable.Range(1, 20).Select(i => (double)(21 - i)).ToList());

        Assert.Equal(new Percentiles(10, 20, 20), percentiles);
    }

    [Fact]
    public async Task The_table_has_a_row_for_every_key_of_results_json_in_its_order()
    {
        var results = new BenchmarkResults();
        foreach (var property in typeof(BenchmarkResults).GetProperties().Where(p => p.PropertyType == typeof(double?)))
        {
            property.SetValue(results, 1.0);
        }

        var path = Path.Combine(Path.GetTempPath(), $"results-{Guid.NewGuid():N}.json");
        List<string> keys;
        try
        {
            await results.WriteAsync(path, CancellationToken.None);
            // Every figure; the failed steps are listed under the table, not as a row.
            keys = [.. JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject().Select(entry => entry.Key).Where(key => key != "failed_steps")];
        }
        finally
        {
            File.Delete(path);
        }

        var rows = ResultTable.For(results, new BenchmarkOptions(Quick: true, "bench-test", "unused")).ToText()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(' ')[0]).ToList();

        Assert.Contains("docker_run_concurrent_p50_ms", keys);
        Assert.Contains("docker_run_concurrent_p99_ms", keys);
        Assert.Contains("provision_p50_ms_nopool", keys);
        Assert.Contains("browser_register_to_app_ms", keys);
        Assert.Contains("pool_members", keys);
        Assert.Contains("pool_memory_mb", keys);
        Assert.Equal(keys, rows);
    }

    [Fact]
    public void The_targets_are_the_issue_s_ratios_of_the_same_run()
    {
        var results = new BenchmarkResults
        {
            DockerRunP50Ms = 300,
            ProvisionP50Ms = 140,
            ProvisionP50MsNopool = 370,
            BrowserRegisterToAppMs = 320,
            DockerRunConcurrentP99Ms = 3000,
            ProvisionConcurrentP99Ms = 1600,
            PoolMembers = 20,
            PoolMemoryMb = 260,
        };

        var full = Rows(results, quick: false);

        Assert.Equal(["140.0 ms", "≤ 0.5 × docker_run_p50 = 150", "met"], full["provision_p50_ms"]);
        Assert.Equal(["370.0 ms", "≤ 1.2 × docker_run_p50 = 360", "MISSED"], full["provision_p50_ms_nopool"]);
        Assert.Equal(["320.0 ms", "≤ 1.5 × provision_p50 + 100 = 310", "MISSED"], full["browser_register_to_app_ms"]);
        Assert.Equal(["1600.0 ms", "≤ 0.5 × docker_run_concurrent_p99 = 1500", "MISSED"], full["provision_concurrent_p99_ms"]);
        Assert.Equal(["20", "idle warm pool, sized for the burst"], full["pool_members"]);
        Assert.Equal(["260.0 MiB", "reported: what the idle pool costs"], full["pool_memory_mb"]);
        Assert.Equal(["n/a", "≥ 1000", "not measured"], full["workspaces_running"]);
        Assert.Equal(["n/a", "≤ 14", "not measured"], full["memory_per_workspace_mb"]);
        Assert.Equal(["n/a", "≥ 50", "not measured"], Rows(results, quick: true)["workspaces_running"]);
        Assert.Equal(["n/a", "≤ 20", "not measured"], Rows(results, quick: true)["memory_per_workspace_mb"]);
    }

    [Fact]
    public async Task A_failing_step_is_reported_with_its_error_the_system_is_restored_and_the_steps_after_it_still_run()
    {
        var ran = new List<string>();
        // What the steps share: the system's settings, as PanelHost keeps them.
        var poolSize = "default";
        var failures = await BenchmarkSteps.RunAllAsync(
            [
                new BenchmarkStep("first", _ => Record("first")),
                new BenchmarkStep("provisioning_nopool", _ =>
                {
                    poolSize = "0";
                    throw new InvalidOperationException("port is already allocated");
                }),
                new BenchmarkStep("throughput", async ct => { await Task.Yield(); ran.Add($"throughput with pool {poolSize}"); }),
            ],
            _ =>
            {
                poolSize = "default";
                return Task.CompletedTask;
            },
            CancellationToken.None);

        Assert.Equal(["first", "throughput with pool default"], ran);
        Assert.Equal(new Dictionary<string, string> { ["provisioning_nopool"] = "port is already allocated" }, failures);

        Task Record(string name)
        {
            ran.Add(name);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_failed_restore_is_reported_under_the_step_it_followed_and_the_next_step_still_runs()
    {
        var ran = new List<string>();
        var restores = 0;
        var failures = await BenchmarkSteps.RunAllAsync(
            [
                new BenchmarkStep("reconcile", _ => Task.CompletedTask),
                new BenchmarkStep("admin_list", _ => { ran.Add("admin_list"); return Task.CompletedTask; }),
            ],
            _ => ++restores == 1 ? throw new TimeoutException("control was not healthy") : Task.CompletedTask,
            CancellationToken.None);

        Assert.Equal(["admin_list"], ran);
        Assert.Equal(new Dictionary<string, string> { ["restore after reconcile"] = "control was not healthy" }, failures);
    }

    [Fact]
    public void A_failure_half_way_through_a_series_names_what_was_measured_before_it()
    {
        var error = BenchmarkSteps.AfterPartialFigures(new TimeoutException("Timed out after 60 s waiting for /u/seq-013/ to answer 200."),
            "12 of 20 registrations");

        Assert.Equal("Timed out after 60 s waiting for /u/seq-013/ to answer 200. (after 12 of 20 registrations; the figures of those are kept)",
            error.Message);
    }

    [Fact]
    public async Task A_cancelled_run_stops_instead_of_reporting_the_cancellation_as_a_failed_step()
    {
        using var cancelled = new CancellationTokenSource();
        var ran = new List<string>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BenchmarkSteps.RunAllAsync(
            [
                new BenchmarkStep("first", async ct => { await cancelled.CancelAsync(); ct.ThrowIfCancellationRequested(); }),
                new BenchmarkStep("second", _ => { ran.Add("second"); return Task.CompletedTask; }),
            ],
            _ => { ran.Add("restore"); return Task.CompletedTask; },
            cancelled.Token));

        Assert.Empty(ran);
    }

    [Fact]
    public async Task A_failed_step_is_in_results_json_and_both_tables_and_the_run_is_not_complete()
    {
        var results = new BenchmarkResults { ProvisionP50Ms = 100 };
        results.FailedSteps["throughput"] = "wrk exited with 1";

        var path = Path.Combine(Path.GetTempPath(), $"results-{Guid.NewGuid():N}.json");
        JsonNode json;
        try
        {
            await results.WriteAsync(path, CancellationToken.None);
            json = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        }
        finally
        {
            File.Delete(path);
        }

        var table = ResultTable.For(results, new BenchmarkOptions(Quick: true, "bench-test", "unused"));
        Assert.Equal("wrk exited with 1", (string?)json["failed_steps"]!["throughput"]);
        Assert.Equal(100, (double?)json["provision_p50_ms"]);
        Assert.Contains("FAILED step throughput: wrk exited with 1", table.ToText());
        Assert.Contains("- `throughput`: wrk exited with 1", table.ToMarkdown("heading"));
        Assert.False(results.IsComplete);
    }

    [Theory]
    [InlineData(9800, "0.98 ×", "met")]
    [InlineData(9600, "0.96 ×", "MISSED")]
    public void The_activity_ratio_is_judged_against_tracking_off_in_the_same_run(double on, string ratio, string verdict)
    {
        var results = new BenchmarkResults { GatewayRpsActivityOn = on, GatewayRpsActivityOff = 10000, GatewayActivityRatio = on / 10000 };

        var rows = Rows(results, quick: true);

        Assert.Equal(["10000 req/s", "same run, tracking off"], rows["gateway_rps_activity_off"]);
        Assert.Equal([ratio, "≥ 0.97", verdict], rows["gateway_activity_ratio"]);
    }

    /// <summary>The text table's cells by metric (columns are at least two spaces apart).</summary>
    private static Dictionary<string, string[]> Rows(BenchmarkResults results, bool quick) =>
        ResultTable.For(results, new BenchmarkOptions(quick, "bench-test", "unused")).ToText()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .TakeWhile(line => !line.StartsWith("FAILED", StringComparison.Ordinal))
            .Select(line => Regex.Split(line.Trim(), @"\s{2,}"))
            .ToDictionary(cells => cells[0], cells => cells[1..]);
}

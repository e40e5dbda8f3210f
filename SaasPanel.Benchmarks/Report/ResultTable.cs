using System.Globalization;
using System.Text;

namespace SaasPanel.Benchmarks.Report;

/// <summary>The results as a table people read: each metric with its value, its target and whether the run met it.</summary>
internal sealed class ResultTable
{
    /// <summary>Activity tracking may cost the gateway at most 3 %: the noise of interleaved rounds on a shared 2-core machine.</summary>
    private const double MinimumActivityRatio = 0.97;

    private static readonly string[] Header = ["metric", "value", "target", "verdict"];

    private readonly List<string[]> _rows;
    private readonly IReadOnlyDictionary<string, string> _failedSteps;

    private ResultTable(List<string[]> rows, IReadOnlyDictionary<string, string> failedSteps) => (_rows, _failedSteps) = (rows, failedSteps);

    public static ResultTable For(BenchmarkResults r, BenchmarkOptions options)
    {
        var rows = new List<string[]>
        {
            Row("provision_p50_ms", r.ProvisionP50Ms, "ms", AtMost(0.5 * r.DockerRunP50Ms, r.ProvisionP50Ms, "0.5 × docker_run_p50")),
            Row("provision_p99_ms", r.ProvisionP99Ms, "ms"),
            Row("provision_p50_ms_nopool", r.ProvisionP50MsNopool, "ms", AtMost(1.2 * r.DockerRunP50Ms, r.ProvisionP50MsNopool, "1.2 × docker_run_p50")),
            Row("browser_register_to_app_ms", r.BrowserRegisterToAppMs, "ms",
                AtMost(1.5 * r.ProvisionP50Ms + 100, r.BrowserRegisterToAppMs, "1.5 × provision_p50 + 100")),
            Row("provision_concurrent_p50_ms", r.ProvisionConcurrentP50Ms, "ms"),
            Row("provision_concurrent_p99_ms", r.ProvisionConcurrentP99Ms, "ms",
                AtMost(0.5 * r.DockerRunConcurrentP99Ms, r.ProvisionConcurrentP99Ms, "0.5 × docker_run_concurrent_p99")),
            Row("docker_run_p50_ms", r.DockerRunP50Ms, "ms", Reference("lower bound")),
            Row("docker_run_p99_ms", r.DockerRunP99Ms, "ms"),
            Row("docker_run_concurrent_p50_ms", r.DockerRunConcurrentP50Ms, "ms", Reference("lower bound (concurrent)")),
            Row("docker_run_concurrent_p99_ms", r.DockerRunConcurrentP99Ms, "ms", Reference("lower bound (concurrent)")),
            Row("pool_members", r.PoolMembers, "", Reference("idle warm pool, sized for the burst")),
            Row("pool_memory_mb", r.PoolMemoryMb, "MiB", Reference("reported: what the idle pool costs")),
            Row("gateway_rps", r.GatewayRps, "req/s", AtLeast(r.NginxRps, r.GatewayRps, "nginx_rps")),
            Row("gateway_p50_ms", r.GatewayP50Ms, "ms"),
            Row("gateway_p99_ms", r.GatewayP99Ms, "ms", AtMost(r.NginxP99Ms, r.GatewayP99Ms, "nginx_p99")),
            Row("direct_rps", r.DirectRps, "req/s", Reference("no proxy")),
            Row("direct_p50_ms", r.DirectP50Ms, "ms"),
            Row("direct_p99_ms", r.DirectP99Ms, "ms"),
            Row("nginx_rps", r.NginxRps, "req/s", Reference("reference proxy")),
            Row("nginx_p50_ms", r.NginxP50Ms, "ms"),
            Row("nginx_p99_ms", r.NginxP99Ms, "ms"),
            Row("gateway_rps_activity_on", r.GatewayRpsActivityOn, "req/s"),
            Row("gateway_rps_activity_off", r.GatewayRpsActivityOff, "req/s", Reference("same run, tracking off")),
            Row("gateway_activity_ratio", r.GatewayActivityRatio, "×", AtLeast(MinimumActivityRatio, r.GatewayActivityRatio)),
            Row("workspaces_running", r.WorkspacesRunning, "", AtLeast(options.DensityWorkspaces, r.WorkspacesRunning)),
            Row("memory_per_workspace_mb", r.MemoryPerWorkspaceMb, "MiB", AtMost(options.Quick ? 20 : 14, r.MemoryPerWorkspaceMb)),
            Row("container_anonymous_mb", r.ContainerAnonymousMb, "MiB", Reference("part of memory_per_workspace")),
            Row("container_page_cache_mb", r.ContainerPageCacheMb, "MiB", Reference("part of memory_per_workspace")),
            Row("shim_mb", r.ShimMb, "MiB", Reference("part of memory_per_workspace")),
            Row("density_start_seconds", r.DensityStartSeconds, "s"),
            Row("reconcile_seconds", r.ReconcileSeconds, "s", AtMost(5, r.ReconcileSeconds)),
            Row("control_start_seconds", r.ControlStartSeconds, "s", Reference("part of reconcile")),
            Row("admin_list_ms", r.AdminListMs, "ms", AtMost(50, r.AdminListMs)),
            Row("admin_panel_ms", r.AdminPanelMs, "ms", AtMost(100, r.AdminPanelMs)),
            Row("admin_panel_search_ms", r.AdminPanelSearchMs, "ms", AtMost(100, r.AdminPanelSearchMs)),
        };
        return new ResultTable(rows, r.FailedSteps);
    }

    public string ToText()
    {
        var widths = Enumerable.Range(0, Header.Length).Select(i => _rows.Append(Header).Max(row => row[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in _rows.Prepend(Header))
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => i == 1 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd());
        }

        foreach (var (step, error) in _failedSteps)
        {
            text.AppendLine().Append("FAILED step ").Append(step).Append(": ").AppendLine(error);
        }

        return text.ToString();
    }

    public string ToMarkdown(string heading)
    {
        var text = new StringBuilder()
            .AppendLine(heading)
            .AppendLine()
            .AppendLine("| " + string.Join(" | ", Header) + " |")
            .AppendLine("| --- | ---: | --- | --- |");
        foreach (var row in _rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        if (_failedSteps.Count > 0)
        {
            text.AppendLine().AppendLine("Failed steps (their figures are n/a; every other step ran):").AppendLine();
            foreach (var (step, error) in _failedSteps)
            {
                text.Append("- `").Append(step).Append("`: ").AppendLine(error.ReplaceLineEndings(" "));
            }
        }

        return text.ToString();
    }

    private static string[] Row(string metric, double? value, string unit, Target? target = null) =>
        [metric, Format(value, unit), target?.Text ?? "", target?.Verdict ?? ""];

    private static string Format(double? value, string unit)
    {
        if (value is not { } v)
        {
            return "n/a";
        }

        var number = unit switch
        {
            "s" => v.ToString("0.00", CultureInfo.InvariantCulture),
            "" or "req/s" => v.ToString("0", CultureInfo.InvariantCulture),
            _ => v.ToString(v < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture),
        };
        return unit.Length == 0 ? number : $"{number} {unit}";
    }

    private static Target AtMost(double? limit, double? value, string? formula = null) =>
        new($"≤ {Describe(limit, formula)}", Verdict(value <= limit, value, limit));

    private static Target AtLeast(double? limit, double? value, string? formula = null) =>
        new($"≥ {Describe(limit, formula)}", Verdict(value >= limit, value, limit));

    private static Target Reference(string text) => new(text, "");

    private static string Describe(double? limit, string? formula)
    {
        var number = limit?.ToString(limit < 10 ? "0.00" : "0", CultureInfo.InvariantCulture) ?? "?";
        return formula is null ? number : $"{formula} = {number}";
    }

    private static string Verdict(bool met, double? value, double? limit) =>
        value is null || limit is null ? "not measured" : met ? "met" : "MISSED";

    private sealed record Target(string Text, string Verdict);
}

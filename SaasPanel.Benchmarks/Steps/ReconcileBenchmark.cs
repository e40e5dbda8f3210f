using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Benchmarks.Steps;

/// <summary>
/// Control restarted with every workspace of the run still running: the time from asking the AppHost to start
/// it until its <c>startup-verification</c> health entry says it has checked every workspace against the engine.
/// </summary>
internal static class ReconcileBenchmark
{
    private const string VerificationEntry = "startup-verification";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var (panel, results) = (context.Panel, context.Results);
        using var api = panel.NewControlApi();
        var running = await api.CountAsync(WorkspaceState.Running, cancellationToken);
        ProgressLog.Step($"reconcile: restarting Control with {running} running workspaces");

        await panel.StopControlAsync(cancellationToken);
        await Poll.UntilAsync(async ct => await ReadVerificationAsync(api.Http, ct) is null, PollInterval, Timeout, "Control to stop",
            cancellationToken);

        var started = Stopwatch.GetTimestamp();
        await panel.StartControlAsync(cancellationToken);
        await Poll.UntilAsync(async ct =>
        {
            var status = await ReadVerificationAsync(api.Http, ct);
            if (status is not null)
            {
                results.ControlStartSeconds ??= Stopwatch.GetElapsedTime(started).TotalSeconds;
            }

            return status == "Healthy";
        }, PollInterval, Timeout, "Control to verify every workspace", cancellationToken);
        results.ReconcileSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var runningAfter = await api.CountAsync(WorkspaceState.Running, cancellationToken);
        ProgressLog.Detail($"answering after {results.ControlStartSeconds:0.00} s, all verified after {results.ReconcileSeconds:0.00} s; " +
            $"{runningAfter} of {running} running");
        if (runningAfter != running)
        {
            throw new InvalidOperationException($"After the restart {runningAfter} workspaces run, not {running}.");
        }
    }

    /// <summary>The status of Control's startup verification, or null while Control does not answer.</summary>
    private static async Task<string?> ReadVerificationAsync(HttpClient control, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await control.GetAsync("/health", cancellationToken);
            var report = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return report.GetProperty("entries").TryGetProperty(VerificationEntry, out var entry)
                ? entry.GetProperty("status").GetString()
                : throw new InvalidOperationException($"Control's /health has no '{VerificationEntry}' entry.");
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}

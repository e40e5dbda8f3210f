using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SaasPanel.Benchmarks.Report;
using SaasPanel.Control.Data;
using SaasPanel.Control.Reconciler;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Benchmarks.Steps;

/// <summary>
/// The operator's list with many users: seeds stopped workspace rows straight into Control's database (no
/// containers), lets one reconciler sweep see them, then times the first page of the API, and the panel's
/// first page and a search, over a warm loopback connection.
/// </summary>
internal static class AdminListBenchmark
{
    private const int WarmUpRequests = 5;
    private const string ListPath = "/api/workspaces?page=1&pageSize=50";
    private const string PanelPath = "/";
    private const string PanelSearchPath = "/?q=seed-01";

    public static async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var (options, panel, results) = (context.Options, context.Panel, context.Results);
        ProgressLog.Step($"admin list: {options.AdminListRows} workspace rows, median of {options.AdminListRequests} requests");
        await SeedAsync(panel.ControlConnectionString, options.AdminListRows, cancellationToken);
        // The steady state of an installation this size includes the reconciler's sweep over every row.
        await Task.Delay(new ReconcilerOptions().SweepInterval, cancellationToken);

        using var api = panel.NewControlApi();
        results.AdminListMs = await MedianMsAsync(api.Http, new Uri(panel.ControlAddress, ListPath), options.AdminListRequests, cancellationToken);
        ProgressLog.Detail($"GET {ListPath}: median {results.AdminListMs:0.0} ms");

        using var admin = panel.NewBrowser();
        await admin.SignInAsAdminAsync(cancellationToken);
        results.AdminPanelMs = await MedianMsAsync(admin.Http, new Uri(panel.ControlAddress, PanelPath), options.AdminListRequests, cancellationToken);
        ProgressLog.Detail($"GET {PanelPath}: median {results.AdminPanelMs:0.0} ms");
        results.AdminPanelSearchMs = await MedianMsAsync(admin.Http, new Uri(panel.ControlAddress, PanelSearchPath), options.AdminListRequests, cancellationToken);
        ProgressLog.Detail($"GET {PanelSearchPath}: median {results.AdminPanelSearchMs:0.0} ms");
    }

    private static async Task SeedAsync(string connectionString, int rows, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var db = new ControlDbContext(new DbContextOptionsBuilder<ControlDbContext>().UseSqlite(connectionString).Options);
        var now = DateTime.UtcNow;
        db.Workspaces.AddRange(Enumerable.Range(1, rows).Select(i => new Workspace
        {
            UserName = $"seed-{i:00000}",
            Email = $"seed-{i:00000}@bench.example",
            GatewaySecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            Template = new RuntimeOptions().DefaultTemplate,
            DesiredState = DesiredState.Stopped,
            State = WorkspaceState.Stopped,
            CreatedAt = now,
            UpdatedAt = now,
        }));
        await db.SaveChangesAsync(cancellationToken);
        ProgressLog.Detail($"seeded {rows} rows in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
    }

    /// <summary>The median time of whole requests (headers and body), after a few to warm the connection and the server.</summary>
    private static async Task<double> MedianMsAsync(HttpClient http, Uri url, int requests, CancellationToken cancellationToken)
    {
        var times = new List<double>(requests);
        for (var i = 0; i < WarmUpRequests + requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(url, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            response.EnsureSuccessStatusCode();
            if (i >= WarmUpRequests)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return Percentiles.Of(times).P50;
    }
}

using System.ComponentModel.DataAnnotations;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Benchmarks;

/// <summary>
/// What one run measures and how much: <c>--quick</c> is a smaller run (under 5 minutes) of the same
/// steps; the full run provisions more users and runs 1000 workspaces (under 30 minutes on 2 cores).
/// </summary>
internal sealed record BenchmarkOptions(bool Quick, string InstanceId, string OutputDirectory, IReadOnlySet<string>? OnlySteps = null)
{
    public const string Usage = "usage: SaasPanel.Benchmarks [--quick] [--only <step>[,<step>...]] [--instance <id>] [--output <directory>]";

    /// <summary>True when the step runs: every step, unless <c>--only</c> named some (to measure one change quickly).</summary>
    public bool Runs(string step) => OnlySteps is null || OnlySteps.Contains(step);

    /// <summary>Sequential registrations, and as many bare <c>docker run</c>s to compare with.</summary>
    public int SequentialUsers => Quick ? 20 : 100;

    /// <summary>Sequential registrations with Control's warm pool off (Control restarted with <c>Runtime:PoolSize=0</c>).</summary>
    public int NoPoolUsers => Quick ? 10 : 30;

    /// <summary>Registrations at once; Control's warm pool is this large for them.</summary>
    public int ConcurrentUsers => 20;

    /// <summary>
    /// How long a pool of <see cref="ConcurrentUsers"/> may take to run after Control's restart (or an old pool to go, when
    /// Control restarts with the pool off): on 2 cores, 20 containers start in a few seconds
    /// (<c>docker_run_concurrent_p99_ms</c>), so a pool still short after this is not coming.
    /// </summary>
    public TimeSpan PoolFillTimeout => TimeSpan.FromSeconds(60);

    /// <summary>
    /// The workspaces running when the density step is done (it adds what is missing, and at least
    /// <see cref="DensityMinimumAdded"/>); the reconcile step restarts Control with all of them.
    /// </summary>
    public int DensityWorkspaces => Quick ? 50 : 1000;

    /// <summary>The fewest workspaces the density step adds, so memory per workspace is always measured over many.</summary>
    public int DensityMinimumAdded => 50;

    /// <summary>The full run's 1000 took about 200 s in a linear extrapolation of 500 in 95 s; the rest is headroom for a busy host.</summary>
    public TimeSpan DensityTimeout => Quick ? TimeSpan.FromMinutes(3) : TimeSpan.FromMinutes(20);

    /// <summary>Rows seeded into Control's database for the admin list.</summary>
    public int AdminListRows => 10_000;

    public int AdminListRequests => 50;

    /// <summary>
    /// The warm-up is long enough for .NET's tiered compilation to settle: after 3 s, a profile of Auth under this
    /// load still found 30 % of its CPU in the JIT's background thread, a cost a gateway pays once per start.
    /// </summary>
    public LoadProfile Load { get; } = new(Connections: 32, Threads: 2, Duration: TimeSpan.FromSeconds(10), WarmUp: TimeSpan.FromSeconds(15));

    /// <summary>Rounds with the gateway's activity tracking off, and as many with it on, interleaved.</summary>
    public int ActivityRounds => Quick ? 2 : 3;

    /// <summary>Each round's measured load, after the usual warm-up of a freshly started Auth.</summary>
    public TimeSpan ActivityRoundDuration => TimeSpan.FromSeconds(5);

    /// <summary>How long one new workspace may take to answer before the run fails.</summary>
    public TimeSpan ProvisionTimeout => TimeSpan.FromSeconds(60);

    /// <summary>How often a waiting client asks again; the resolution of every provisioning figure.</summary>
    public TimeSpan PollInterval => TimeSpan.FromMilliseconds(50);

    public string ResultsPath => Path.Combine(OutputDirectory, "results.json");

    public string TablePath => Path.Combine(OutputDirectory, "results.md");

    public static bool TryParse(string[] args, out BenchmarkOptions options, out string error)
    {
        var quick = false;
        string? instanceId = null;
        string? output = null;
        HashSet<string>? only = null;
        error = "";
        options = null!;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--instance" when i + 1 < args.Length:
                    instanceId = args[++i];
                    break;
                case "--output" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "--only" when i + 1 < args.Length:
                    only = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    break;
                default:
                    error = $"unknown argument '{args[i]}'";
                    return false;
            }
        }

        instanceId ??= $"bench-{Guid.NewGuid():N}"[..14];
        // Control's own rule for instance ids, since its containers carry this one.
        var runtime = new RuntimeOptions { InstanceId = instanceId };
        if (!Validator.TryValidateObject(runtime, new ValidationContext(runtime), null, validateAllProperties: true))
        {
            error = $"instance id '{instanceId}' must be 1-31 lowercase letters, digits or dashes";
            return false;
        }

        options = new BenchmarkOptions(quick, instanceId, Path.GetFullPath(output ?? Path.Combine("artifacts", "bench")), only);
        return true;
    }
}

internal sealed record LoadProfile(int Connections, int Threads, TimeSpan Duration, TimeSpan WarmUp);

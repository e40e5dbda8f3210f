using System.Diagnostics;

namespace SaasPanel.Benchmarks;

/// <summary>What the run is doing, with the time since it started, so a long run shows it is alive.</summary>
internal static class ProgressLog
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Step(string message) => Console.WriteLine($"[{Clock.Elapsed:mm\\:ss}] {message}");

    public static void Detail(string message) => Console.WriteLine($"[{Clock.Elapsed:mm\\:ss}]   {message}");
}

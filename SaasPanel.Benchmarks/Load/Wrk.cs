using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SaasPanel.Benchmarks.Load;

/// <summary>
/// Bounded HTTP load with <c>wrk</c> (a fixed number of connections for a fixed time), to loopback addresses or to
/// the one container address the caller checked is this run's own, with its throughput and latency percentiles.
/// </summary>
internal static partial class Wrk
{
    private const string Command = "wrk";
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(30);

    public static async Task<LoadResult> RunAsync(Uri url, IReadOnlyDictionary<string, string> headers, LoadProfile profile, TimeSpan duration,
        CancellationToken cancellationToken, string? ownContainerAddress = null)
    {
        if (!url.IsLoopback && url.Host != ownContainerAddress)
        {
            throw new ArgumentException($"Load goes to loopback addresses and this run's own container only, not {url}.", nameof(url));
        }

        var start = new ProcessStartInfo(Command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in Arguments(url, headers, profile, duration))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Command}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(duration + ExitGrace);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var report = await output;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Command} exited with {process.ExitCode}: {await errors}{report}");
        }

        return Parse(report);
    }

    private static IEnumerable<string> Arguments(Uri url, IReadOnlyDictionary<string, string> headers, LoadProfile profile, TimeSpan duration)
    {
        yield return $"--threads={profile.Threads}";
        yield return $"--connections={profile.Connections}";
        yield return $"--duration={(int)duration.TotalSeconds}s";
        yield return "--latency";
        foreach (var (name, value) in headers)
        {
            yield return "--header";
            yield return $"{name}: {value}";
        }

        yield return url.ToString();
    }

    internal static LoadResult Parse(string report)
    {
        var percentiles = LatencyPercentile().Matches(report).ToDictionary(m => m.Groups["percent"].Value, m => Milliseconds(m));
        var summary = RequestSummary().Match(report);
        return new LoadResult(
            RequestsPerSecond: double.Parse(RequestsPerSecond().Match(report).Groups["value"].Value, CultureInfo.InvariantCulture),
            P50Ms: percentiles["50"],
            P99Ms: percentiles["99"],
            Requests: long.Parse(summary.Groups["requests"].Value, CultureInfo.InvariantCulture),
            FailedResponses: NonSuccess().Match(report) is { Success: true } failed ? long.Parse(failed.Groups["count"].Value, CultureInfo.InvariantCulture) : 0,
            SocketErrors: SocketErrors().Matches(report).Sum(m => long.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture)));
    }

    private static double Milliseconds(Match match)
    {
        var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            "m" => value * 60_000,
            var unit => throw new FormatException($"Unknown latency unit '{unit}' in wrk's report."),
        };
    }

    [GeneratedRegex(@"^\s+(?<percent>50|99)%\s+(?<value>[\d.]+)(?<unit>us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex LatencyPercentile();

    [GeneratedRegex(@"^Requests/sec:\s+(?<value>[\d.]+)", RegexOptions.Multiline)]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s+(?<requests>\d+) requests in", RegexOptions.Multiline)]
    private static partial Regex RequestSummary();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(?<count>\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"(?:connect|read|write|timeout) (?<count>\d+)")]
    private static partial Regex SocketErrors();
}

/// <summary>What one load run measured: throughput, the median and 99th percentile latency, and what went wrong.</summary>
internal sealed record LoadResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long FailedResponses, long SocketErrors)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{RequestsPerSecond:0} req/s, p50 {P50Ms:0.00} ms, p99 {P99Ms:0.00} ms ({Requests} requests, {FailedResponses} not 2xx/3xx, {SocketErrors} socket errors)");
}

namespace SaasPanel.Benchmarks.Report;

/// <summary>Nearest-rank percentiles of a sample: p99 of 20 values is the largest, never an interpolation.</summary>
internal sealed record Percentiles(double P50, double P99, int Count)
{
    public static Percentiles Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("No values to summarise.", nameof(values));
        }

        var sorted = values.Order().ToArray();
        return new Percentiles(Rank(sorted, 50), Rank(sorted, 99), sorted.Length);
    }

    private static double Rank(double[] sorted, int percent) => sorted[(int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1];
}

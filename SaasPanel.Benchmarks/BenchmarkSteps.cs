namespace SaasPanel.Benchmarks;

/// <summary>One step of a run, by the name its failure is reported under.</summary>
internal sealed record BenchmarkStep(string Name, Func<CancellationToken, Task> RunAsync);

/// <summary>
/// Runs every step in order, each on its own: a step that throws is recorded as failed with its error and the next
/// one still runs, so one failure (an engine hiccup, a timeout) costs that step's figures and no others.
/// </summary>
internal static class BenchmarkSteps
{
    /// <summary>The failed steps, by name, with their error; empty when every step ran to its end.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> RunAllAsync(IEnumerable<BenchmarkStep> steps, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, string>();
        foreach (var step in steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await step.RunAsync(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failures[step.Name] = ex.GetBaseException().Message;
                ProgressLog.Step($"{step.Name} FAILED: {ex}");
            }
        }

        return failures;
    }
}

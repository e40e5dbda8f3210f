namespace SaasPanel.Benchmarks;

/// <summary>One step of a run, by the name its failure is reported under.</summary>
internal sealed record BenchmarkStep(string Name, Func<CancellationToken, Task> RunAsync);

/// <summary>
/// Runs every step in order, each on its own: a step that throws is recorded as failed with its error and the next
/// one still runs, so one failure (an engine hiccup, a timeout) costs that step's figures and no others. After every
/// step the system is restored as it started (a step may have restarted a service with other settings, or stopped one
/// and failed before starting it again), so no step inherits another's state.
/// </summary>
internal static class BenchmarkSteps
{
    /// <summary>The failed steps (and failed restores, as <c>restore after &lt;step&gt;</c>), by name, with their error; empty when all went well.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> RunAllAsync(IEnumerable<BenchmarkStep> steps,
        Func<CancellationToken, Task> restoreAsync, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, string>();
        foreach (var step in steps)
        {
            await RunAsync(step.Name, step.RunAsync, failures, cancellationToken);
            await RunAsync($"restore after {step.Name}", restoreAsync, failures, cancellationToken);
        }

        return failures;
    }

    /// <summary>
    /// The error for a step that failed half-way through a series of measurements: the figures measured before it stand
    /// (the step records them), and the error says how many there are.
    /// </summary>
    public static Exception AfterPartialFigures(Exception error, string measured) =>
        new InvalidOperationException($"{Message(error)} (after {measured}; the figures of those are kept)", error);

    private static async Task RunAsync(string name, Func<CancellationToken, Task> run, Dictionary<string, string> failures,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await run(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            failures[name] = Message(ex);
            ProgressLog.Step($"{name} FAILED: {ex}");
        }
    }

    /// <summary>The error as one line: an aggregate's first inner error, otherwise the error's own message (it names the context).</summary>
    private static string Message(Exception error) => error is AggregateException ? error.GetBaseException().Message : error.Message;
}

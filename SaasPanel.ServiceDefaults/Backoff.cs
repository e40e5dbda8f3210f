namespace Microsoft.Extensions.Hosting;

/// <summary>The one retry schedule of both services: doubling from a first delay, capped, with ±20 % jitter.</summary>
public static class Backoff
{
    /// <summary>The delay before retry number <paramref name="attempt"/> (1 is the first retry).</summary>
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 20);
        var delay = Math.Min(first.TotalMilliseconds * Math.Pow(2, exponent), max.TotalMilliseconds);
        // Jitter, so a restarted peer is not hit by every client at the same moment.
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Min(delay * jitter, max.TotalMilliseconds));
    }
}

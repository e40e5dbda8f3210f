using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Auth.Outbox;

/// <summary>How the dispatcher retries and how many users it serves at once (section <c>Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the dispatcher looks for due messages when nobody signals it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>How many users' messages are delivered at the same time; one user's always go one after the other.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 8;

    /// <summary>The wait after <paramref name="attempts"/> failed deliveries: the one <see cref="Backoff"/> of both services.</summary>
    public TimeSpan RetryDelay(int attempts) => Backoff.Delay(attempts, FirstRetryDelay, MaxRetryDelay);
}

using SaasPanel.Auth.Outbox;

namespace SaasPanel.Tests.Unit.Auth;

public sealed class OutboxOptionsTests
{
    [Fact]
    public void Retry_delays_grow_exponentially_with_jitter_and_stop_at_the_cap()
    {
        var options = new OutboxOptions { FirstRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(30) };

        for (var sample = 0; sample < 50; sample++)
        {
            AssertBetween(options.RetryDelay(1), 0.8, 1.2);
            AssertBetween(options.RetryDelay(2), 1.6, 2.4);
            AssertBetween(options.RetryDelay(4), 6.4, 9.6);
            AssertBetween(options.RetryDelay(10), 24, 30);
            AssertBetween(options.RetryDelay(1000), 24, 30);
        }
    }

    private static void AssertBetween(TimeSpan delay, double minSeconds, double maxSeconds) =>
        Assert.InRange(delay.TotalSeconds, minSeconds, maxSeconds);
}

namespace SaasPanel.Auth.Users;

/// <summary>Every <see cref="Interval"/>, deletes the sign-in throttle records that no longer block anything.</summary>
public sealed class SignInThrottlePruning(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SignInThrottlePruning> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var pruned = await scope.ServiceProvider.GetRequiredService<SignInThrottles>().PruneAsync(stoppingToken);
                UsersLog.ThrottlesPruned(logger, pruned);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                UsersLog.ThrottlePruningFailed(logger, exception);
            }
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SaasPanel.Auth.ControlApi;

namespace SaasPanel.Auth.Gateway;

/// <summary>Asks Control to start a workspace someone is waiting for, at most once per <see cref="GatewayOptions.WakeInterval"/>.</summary>
public sealed class WorkspaceWaker(
    IServiceScopeFactory scopes,
    IOptions<GatewayOptions> options,
    TimeProvider clock,
    ILogger<WorkspaceWaker> logger)
{
    private readonly ConcurrentDictionary<string, long> _lastWake = new(StringComparer.Ordinal);

    /// <summary>Starts the wake call in the background; the waiting page does not wait for Control.</summary>
    public bool TryWake(string userName)
    {
        var now = clock.GetTimestamp();
        while (true)
        {
            if (_lastWake.TryGetValue(userName, out var last))
            {
                if (clock.GetElapsedTime(last, now) < options.Value.WakeInterval || !_lastWake.TryUpdate(userName, now, last))
                {
                    return false;
                }
            }
            else if (!_lastWake.TryAdd(userName, now))
            {
                continue;
            }

            _ = WakeAsync(userName);
            return true;
        }
    }

    private async Task WakeAsync(string userName)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var control = scope.ServiceProvider.GetRequiredService<ControlApiClient>();
            using var timeout = new CancellationTokenSource(options.Value.WakeTimeout);
            var result = await control.StartWorkspaceAsync(userName, timeout.Token);
            if (result.Outcome == ControlCallOutcome.Done)
            {
                GatewayLog.Woke(logger, userName);
            }
            else
            {
                GatewayLog.WakeFailed(logger, userName, result.Error);
            }
        }
        catch (Exception exception)
        {
            GatewayLog.WakeFailed(logger, userName, exception.Message);
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace SaasPanel.Tests.Infrastructure;

public static class TestNetwork
{
    /// <summary>A loopback port the OS just handed out, so parallel tests do not collide.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Polls a condition until it holds or a deadline passes, so timing-dependent tests neither hang nor flake.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}; last value: {last}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }
    }

    public static Task AssertAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        GetAsync(condition, ok => ok, timeout, what);
}

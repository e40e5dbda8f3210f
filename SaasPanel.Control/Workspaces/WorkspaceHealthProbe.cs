using System.Net;

namespace SaasPanel.Control.Workspaces;

/// <summary>
/// Asks a workspace's container whether it serves (<c>/healthz</c> on its loopback port). Its own
/// client: no resilience pipeline or retries, the caller polls against a deadline.
/// </summary>
public sealed class WorkspaceHealthProbe : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>Polls until the container answers 200 or the timeout passes; true when it answered.</summary>
    public async Task<bool> WaitUntilHealthyAsync(int hostPort, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var uri = new Uri($"http://127.0.0.1:{hostPort}/healthz");
        while (true)
        {
            try
            {
                using var response = await _http.GetAsync(uri, deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            try
            {
                await Task.Delay(PollInterval, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    public void Dispose() => _http.Dispose();
}

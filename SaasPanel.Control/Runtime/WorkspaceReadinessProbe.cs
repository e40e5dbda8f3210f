using SaasPanel.Control.Telemetry;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Runtime;

/// <summary>
/// Asks an app whether it serves: a GET of its template's readiness path at the endpoint the runtime reports.
/// Its own client: no resilience pipeline or retries, the caller polls against a deadline.
/// </summary>
public sealed class WorkspaceReadinessProbe : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(1),
    })
    {
        Timeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>Polls until the app answers 2xx or the timeout passes; true when it answered.</summary>
    public async Task<bool> WaitUntilReadyAsync(WorkspaceEndpoint endpoint, string readinessPath, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var activity = ControlTelemetry.ActivitySource.StartActivity("readiness probe");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var uri = new Uri(new Uri(endpoint.Url), readinessPath);
        try
        {
            while (true)
            {
                try
                {
                    using var response = await _http.GetAsync(uri, deadline.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return true;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                {
                    // This one request timed out; the deadline has not passed.
                }

                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose() => _http.Dispose();
}

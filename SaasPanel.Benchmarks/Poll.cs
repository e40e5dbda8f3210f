using System.Net;

namespace SaasPanel.Benchmarks;

/// <summary>Asks again at a fixed interval until an answer is good or a deadline passes: bounded in count and time.</summary>
internal static class Poll
{
    /// <summary>Sends a fresh request every <paramref name="interval"/> until one answers 200.</summary>
    public static Task UntilOkAsync(HttpClient http, Func<HttpRequestMessage> request, TimeSpan interval, TimeSpan timeout, string what,
        CancellationToken cancellationToken) =>
        UntilAsync(async ct =>
        {
            try
            {
                using var message = request();
                using var response = await http.SendAsync(message, ct);
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false; // not listening yet
            }
        }, interval, timeout, what, cancellationToken);

    public static async Task UntilAsync(Func<CancellationToken, Task<bool>> attempt, TimeSpan interval, TimeSpan timeout, string what,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (!await attempt(deadline.Token))
            {
                await Task.Delay(interval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
        }
    }
}

using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SaasPanel.Contracts;

namespace SaasPanel.Auth.Gateway;

/// <summary>
/// Keeps one server-sent-events connection to Control's change stream (<see cref="WorkspaceChangeEvent.Path"/>) and
/// feeds <see cref="GatewayRouteTable"/>: the snapshot before <c>ready</c> replaces the table, every event after it
/// updates one entry (unless it is older than the entry). Reconnects with exponential backoff when the stream ends.
/// </summary>
public sealed class WorkspaceChangeStream(
    IHttpClientFactory httpClientFactory,
    GatewayRouteTable routes,
    IOptions<ChangeStreamOptions> options,
    ILogger<WorkspaceChangeStream> logger) : BackgroundService
{
    public const string HttpClientName = "control-changes";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(() => failures = 0, stoppingToken);
                GatewayLog.StreamEnded(logger);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                GatewayLog.StreamFailed(logger, failures + 1, exception.Message);
            }

            var settings = options.Value;
            var delay = Backoff.Delay(++failures, settings.ReconnectDelay, settings.MaxReconnectDelay);
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task FollowAsync(Action onSynchronized, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, WorkspaceChangeEvent.Path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);

        List<WorkspaceRoute>? snapshot = [];
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            switch (item.EventType)
            {
                case WorkspaceChangeEvent.WorkspaceEventType when Parse(item.Data) is { } route:
                    if (snapshot is null)
                    {
                        if (routes.Apply(route))
                        {
                            GatewayLog.RouteChanged(logger, route.UserName, route.State, route.Generation);
                        }
                        else
                        {
                            GatewayLog.StaleEvent(logger, route.UserName, route.Generation);
                        }
                    }
                    else
                    {
                        snapshot.Add(route);
                    }

                    break;
                case WorkspaceChangeEvent.ReadyEventType when snapshot is not null:
                    routes.ReplaceAll(snapshot);
                    GatewayLog.Synchronized(logger, routes.Count);
                    snapshot = null;
                    onSynchronized();
                    break;
            }
        }
    }

    private WorkspaceRoute? Parse(string data)
    {
        try
        {
            var change = JsonSerializer.Deserialize<WorkspaceChangeEvent>(data, s_json);
            return change is { UserName.Length: > 0, State.Length: > 0 } ? new WorkspaceRoute(change with { DesiredState = change.DesiredState ?? "" }) : null;
        }
        catch (JsonException exception)
        {
            GatewayLog.BadEvent(logger, exception.Message);
            return null;
        }
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using SaasPanel.Contracts;
using SaasPanel.Control.Apis;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Benchmarks.Panel;

/// <summary>Control's REST API with the service key, read into Control's own contract types.</summary>
internal sealed class ControlApi : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public ControlApi(Uri address, string apiKey)
    {
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add(Headers.ApiKey, apiKey);
    }

    public HttpClient Http { get; }

    public async Task ProvisionAsync(string userName, CancellationToken cancellationToken)
    {
        using var response = await Http.PutAsJsonAsync($"/api/workspaces/{userName}", new ProvisionRequest($"{userName}@bench.example"), Json,
            cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>How many workspaces are in this state (the total of a one-item page).</summary>
    public async Task<int> CountAsync(WorkspaceState state, CancellationToken cancellationToken)
    {
        var page = await Http.GetFromJsonAsync<Page<WorkspaceDto>>($"/api/workspaces?state={state}&pageSize=1", Json, cancellationToken);
        return page?.Total ?? 0;
    }

    /// <summary>
    /// The workspace's route as the gateway gets it: its endpoint (address on the installation's network) and gateway secret, read from the
    /// change stream's snapshot (the only place Control hands out the secret, and only to the service key).
    /// </summary>
    public async Task<WorkspaceChangeEvent> ReadRouteAsync(string userName, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(WorkspaceChangeEvent.Path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        string? eventType = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line["event: ".Length..];
            }
            else if (eventType == WorkspaceChangeEvent.ReadyEventType)
            {
                break;
            }
            else if (eventType == WorkspaceChangeEvent.WorkspaceEventType && line.StartsWith("data: ", StringComparison.Ordinal)
                && JsonSerializer.Deserialize<WorkspaceChangeEvent>(line["data: ".Length..], Json) is { } change
                && change.UserName == userName && change is { Endpoint: not null, GatewaySecret: not null })
            {
                return change;
            }
        }

        throw new InvalidOperationException($"Control's change stream has no route for {userName}.");
    }

    public void Dispose() => Http.Dispose();
}

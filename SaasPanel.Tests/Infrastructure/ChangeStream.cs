using System.Text.Json;
using SaasPanel.Contracts;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>Reads Control's change stream (server-sent events) as the gateway does.</summary>
public static class ChangeStream
{
    /// <summary>Reads events up to <c>ready</c> (the snapshot) and returns each workspace event's JSON.</summary>
    public static async Task<List<JsonElement>> ReadSnapshotAsync(HttpClient api, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using var response = await api.GetAsync("/" + WorkspaceChangeEvent.Path, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<JsonElement>();
        string? type = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type == WorkspaceChangeEvent.WorkspaceEventType)
            {
                events.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
            }
            else if (type == WorkspaceChangeEvent.ReadyEventType)
            {
                return events;
            }
        }

        throw new InvalidOperationException("The change stream ended before its snapshot was complete.");
    }

    /// <summary>Where the gateway dials the workspace and the secret it adds, as the snapshot carries them.</summary>
    public static async Task<(Uri Endpoint, string GatewaySecret)> ReadRouteAsync(HttpClient api, string user)
    {
        var workspace = (await ReadSnapshotAsync(api)).Single(e => e.GetProperty("userName").GetString() == user);
        return (new Uri(workspace.GetProperty("endpoint").GetString()!), workspace.GetProperty("gatewaySecret").GetString()!);
    }
}

using System.Net;
using System.Net.Http.Json;
using SaasPanel.Auth.Gateway;

namespace SaasPanel.Auth.ControlApi;

/// <summary>The calls Auth makes to Control's workspace API; one method per call.</summary>
public sealed class ControlApiClient(HttpClient http)
{
    /// <summary><c>PUT /api/workspaces/{user}</c>: idempotent, so a redelivered registration is harmless.</summary>
    public async Task<ControlCallResult> PutWorkspaceAsync(string userName, string email, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync($"api/workspaces/{Uri.EscapeDataString(userName)}", new { email }, cancellationToken);
        return await ControlCallResult.FromAsync(response, cancellationToken);
    }

    /// <summary><c>DELETE /api/workspaces/{user}</c>: 404 means it is already gone, which is what we want.</summary>
    public async Task<ControlCallResult> DeleteWorkspaceAsync(string userName, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync($"api/workspaces/{Uri.EscapeDataString(userName)}", cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound
            ? ControlCallResult.Done
            : await ControlCallResult.FromAsync(response, cancellationToken);
    }

    /// <summary><c>POST /api/workspaces/{user}/start</c>: wakes a stopped workspace.</summary>
    public async Task<ControlCallResult> StartWorkspaceAsync(string userName, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync($"api/workspaces/{Uri.EscapeDataString(userName)}/start", content: null, cancellationToken);
        return await ControlCallResult.FromAsync(response, cancellationToken);
    }

    /// <summary><c>POST /api/workspaces/activity</c>: when workspaces were last used through the gateway.</summary>
    public async Task<ControlCallResult> ReportActivityAsync(IReadOnlyList<WorkspaceActivityReport> reports, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("api/workspaces/activity", reports, cancellationToken);
        return await ControlCallResult.FromAsync(response, cancellationToken);
    }
}

/// <summary>How a call ended: done, worth retrying, or rejected for good (400, 422; a 409 "being deleted" heals).</summary>
public sealed record ControlCallResult(ControlCallOutcome Outcome, string? Error)
{
    public static readonly ControlCallResult Done = new(ControlCallOutcome.Done, null);

    public static async Task<ControlCallResult> FromAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return Done;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var error = $"{(int)response.StatusCode} {response.ReasonPhrase}: {body[..Math.Min(body.Length, 500)]}";
        // Only a verdict on the message itself is final; auth, routing and server trouble can heal.
        var rejected = response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity;
        return new(rejected ? ControlCallOutcome.Rejected : ControlCallOutcome.Retry, error);
    }
}

public enum ControlCallOutcome
{
    Done,
    Retry,
    Rejected,
}

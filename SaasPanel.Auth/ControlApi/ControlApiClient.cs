using System.Net;
using System.Net.Http.Json;
using SaasPanel.Auth.Gateway;
using SaasPanel.Auth.Outbox;
using SaasPanel.Contracts;

namespace SaasPanel.Auth.ControlApi;

/// <summary>The calls Auth makes to Control's workspace API; one method per call.</summary>
public sealed class ControlApiClient(HttpClient http)
{
    /// <summary>
    /// <c>PUT /api/workspaces/{user}</c> for the account the message names: idempotent, so a redelivered registration
    /// is harmless.
    /// </summary>
    public async Task<ControlCallResult> PutWorkspaceAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        using var request = ActingAs(message.RequestedBy, HttpMethod.Put, WorkspacePath(message.UserName));
        request.Content = JsonContent.Create(new { email = message.Email ?? "", ownerId = message.OwnerId });
        using var response = await http.SendAsync(request, cancellationToken);
        return await ControlCallResult.FromAsync(response, cancellationToken);
    }

    /// <summary><c>DELETE /api/workspaces/{user}</c>: 404 means it is already gone, which is what we want.</summary>
    public async Task<ControlCallResult> DeleteWorkspaceAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        using var request = ActingAs(message.RequestedBy, HttpMethod.Delete, WorkspacePath(message.UserName));
        using var response = await http.SendAsync(request, cancellationToken);
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

    /// <summary><c>GET /api/workspaces/{user}</c> for its own user: null when Control has no workspace for them.</summary>
    public async Task<SelfServiceWorkspace?> GetOwnWorkspaceAsync(string userName, CancellationToken cancellationToken)
    {
        using var request = ActingAs(userName, HttpMethod.Get, WorkspacePath(userName));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<SelfServiceWorkspace>(cancellationToken);
    }

    /// <summary><c>GET /api/workspaces/{user}/logs</c>: the last lines of its own container's output (none before it has one).</summary>
    public async Task<IReadOnlyList<string>> GetOwnLogsAsync(string userName, int tail, CancellationToken cancellationToken)
    {
        using var request = ActingAs(userName, HttpMethod.Get, $"{WorkspacePath(userName)}/logs?tail={tail}");
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// <c>GET /api/workspaces/{user}/usage</c>: its own plan's limits next to its container's use and its files' size on
    /// disk; null when Control cannot say.
    /// </summary>
    public async Task<SelfServiceUsage?> GetOwnUsageAsync(string userName, CancellationToken cancellationToken)
    {
        using var request = ActingAs(userName, HttpMethod.Get, $"{WorkspacePath(userName)}/usage");
        using var response = await http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode
            ? await response.Content.ReadFromJsonAsync<SelfServiceUsage>(cancellationToken)
            : null;
    }

    /// <summary><c>POST /api/workspaces/{user}/{start|stop|restart}</c> asked by the user themself, so Control audits them as the actor.</summary>
    public async Task<ControlCallResult> ChangeOwnWorkspaceAsync(string userName, SelfServiceAction action, CancellationToken cancellationToken)
    {
        using var request = ActingAs(userName, HttpMethod.Post, $"{WorkspacePath(userName)}/{action.ToString().ToLowerInvariant()}");
        using var response = await http.SendAsync(request, cancellationToken);
        return await ControlCallResult.FromAsync(response, cancellationToken);
    }

    private static string WorkspacePath(string userName) => $"api/workspaces/{Uri.EscapeDataString(userName)}";

    /// <summary>A request Control audits as <paramref name="userName"/>'s (as the key's holder when null: a message from before).</summary>
    private static HttpRequestMessage ActingAs(string? userName, HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        if (userName is not null)
        {
            request.Headers.Add(Headers.ActingUser, userName);
        }

        return request;
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

/// <summary>What a user may do to their own workspace from <c>/user/workspace</c>.</summary>
public enum SelfServiceAction
{
    Start,
    Stop,
    Restart,
}

/// <summary>The part of Control's workspace that its own user sees.</summary>
public sealed record SelfServiceWorkspace(
    string UserName, string Template, string DesiredState, string State, string? LastError, DateTime? RunningSince, DateTime? LastActivity);

/// <summary>Control's answer on a workspace's use: its plan's limits (null when the plan is missing), the container's use while it runs, its files.</summary>
public sealed record SelfServiceUsage(string Plan, SelfServiceLimits? Limits, SelfServiceStats? Stats, string? StatsNote, SelfServiceVolume Volume);

public sealed record SelfServiceLimits(int MemoryLimitMb, double CpuLimit, int PidsLimit, int? StorageLimitMb)
{
    public override string ToString() =>
        $"{MemoryLimitMb} MiB memory, {CpuLimit:0.##} CPU, {PidsLimit} processes"
        + (StorageLimitMb is { } storage ? $", {storage} MiB storage (not enforced)" : "");
}

public sealed record SelfServiceStats(double CpuPercent, long MemoryBytes, long MemoryLimitBytes, int Pids, long? PidsLimit)
{
    public override string ToString() =>
        $"{MemoryBytes / 1024.0 / 1024.0:0.0} MiB of {MemoryLimitBytes / 1024.0 / 1024.0:0} MiB memory, {CpuPercent:0.#} % CPU, "
        + $"{Pids}{(PidsLimit is { } limit ? $" of {limit}" : "")} processes";
}

/// <summary>
/// The workspace's files on disk, when the engine reports it, and the plan's storage limit: never enforced by the engine,
/// so <see cref="StorageLimitExceeded"/> and <see cref="Note"/> say when the files take more.
/// </summary>
public sealed record SelfServiceVolume(long? SizeBytes, int? StorageLimitMb, bool StorageLimitExceeded, string? Note);

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Contracts;
using SaasPanel.Control.Data;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Apis;

/// <summary><c>/api/workspaces</c>: list, provision, start, stop, restart, pin, suspend and delete workspaces; their activity, logs and resource use.</summary>
public static class WorkspacesApi
{
    private const int MaxLogLines = 5000;
    private const int MaxActivityReports = 10_000;

    public static RouteGroupBuilder MapWorkspacesApi(this RouteGroupBuilder api)
    {
        var workspaces = api.MapGroup("/workspaces").WithTags("Workspaces");
        workspaces.MapGet("/", ListAsync).WithSummary("Lists workspaces, paged, filtered by state and searched by name or email.");
        workspaces.MapGet("/{user}", GetAsync);
        workspaces.MapPut("/{user}", ProvisionAsync).WithSummary("Provisions a workspace (idempotent); the template is optional.");
        workspaces.MapPost("/{user}/start", (string user, WorkspaceCommands commands, HttpContext http, CancellationToken ct) =>
            ChangeAsync(user, commands.StartAsync, http, ct));
        workspaces.MapPost("/{user}/stop", (string user, WorkspaceCommands commands, HttpContext http, CancellationToken ct) =>
            ChangeAsync(user, commands.StopAsync, http, ct));
        workspaces.MapPost("/{user}/restart", (string user, WorkspaceCommands commands, HttpContext http, CancellationToken ct) =>
            ChangeAsync(user, commands.RestartAsync, http, ct));
        workspaces.MapPost("/{user}/pin", (string user, WorkspaceCommands commands, HttpContext http, CancellationToken ct) =>
            ChangeAsync(user, commands.PinAsync, http, ct)).WithSummary("Pins a workspace: the idle culler never stops it.");
        workspaces.MapPost("/{user}/unpin", (string user, WorkspaceCommands commands, HttpContext http, CancellationToken ct) =>
            ChangeAsync(user, commands.UnpinAsync, http, ct));
        workspaces.MapPost("/{user}/suspend", (string user, WorkspaceCommands commands, HttpContext http, CancellationToken ct) =>
            ChangeAsync(user, commands.SuspendAsync, http, ct)).WithSummary("Suspends a workspace: stopped, and neither a visit nor a start runs it until resumed.");
        workspaces.MapPost("/{user}/resume", (string user, WorkspaceCommands commands, HttpContext http, CancellationToken ct) =>
            ChangeAsync(user, commands.ResumeAsync, http, ct));
        workspaces.MapPost("/activity", ReportActivityAsync).WithSummary("The gateway reports when workspaces were last used.");
        workspaces.MapDelete("/{user}", (string user, WorkspaceCommands commands, HttpContext http, CancellationToken ct) =>
            ChangeAsync(user, commands.DeleteAsync, http, ct));
        workspaces.MapGet("/{user}/logs", LogsAsync).WithSummary("The container's output: the last lines, optionally followed live.");
        workspaces.MapGet("/{user}/volume", VolumeAsync)
            .WithSummary("The size on disk of the workspace's files, when the engine reports it, and whether it exceeds the plan's storage limit.");
        workspaces.MapGet("/{user}/usage", UsageAsync).WithSummary("The plan's limits next to the container's use and the files' size on disk.");
        workspaces.MapGet("/{user}/stats", StatsAsync).WithSummary("CPU, memory and processes of the workspace's container.");
        return api;
    }

    public static async Task<Results<Ok<Page<WorkspaceDto>>, ValidationProblem>> ListAsync(ControlDbContext db,
        int page = 1, int pageSize = 50, WorkspaceState? state = null, string? search = null,
        WorkspaceSort sort = WorkspaceSort.Name, bool descending = false, CancellationToken cancellationToken = default)
    {
        var query = new WorkspaceQuery(page, pageSize, state, search, sort, descending);
        if (!query.IsValid)
        {
            return ApiProblems.Paging();
        }

        var (items, total) = await query.RunAsync(db, cancellationToken);
        return TypedResults.Ok(new Page<WorkspaceDto>(items.Select(WorkspaceDto.From).ToList(), page, pageSize, total));
    }

    public static Task<Results<Ok<WorkspaceDto>, ProblemHttpResult, ValidationProblem>> GetAsync(
        string user, ControlDbContext db, CancellationToken cancellationToken) =>
        ApiProblems.ForWorkspaceAsync<Ok<WorkspaceDto>>(user, db,
            workspace => Task.FromResult<Results<Ok<WorkspaceDto>, ProblemHttpResult>>(TypedResults.Ok(WorkspaceDto.From(workspace))),
            cancellationToken);

    public static async Task<Results<Created<WorkspaceDto>, Ok<WorkspaceDto>, ValidationProblem, ProblemHttpResult>> ProvisionAsync(
        string user, ProvisionRequest request, WorkspaceCommands commands, IOptions<RuntimeOptions> runtime, HttpContext http,
        CancellationToken cancellationToken)
    {
        var email = request.Email?.Trim() ?? "";
        var template = request.Template?.Trim();
        var errors = ProvisionValidation.Validate(user, email, template, runtime.Value, request.OwnerId);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await commands.ProvisionAsync(user, email, template, request.OwnerId, Caller.Of(http), cancellationToken);
        return result.Outcome switch
        {
            CommandOutcome.Created => TypedResults.Created($"/api/workspaces/{user}", WorkspaceDto.From(result.Workspace!)),
            CommandOutcome.Conflict => ApiProblems.Conflict(result.Problem!),
            CommandOutcome.Invalid => ApiProblems.Refused("template", result.Problem!),
            _ => TypedResults.Ok(WorkspaceDto.From(result.Workspace!)),
        };
    }

    private static async Task<Results<Accepted<WorkspaceDto>, ProblemHttpResult, ValidationProblem>> ChangeAsync(
        string user, Func<string, Caller, CancellationToken, Task<CommandResult>> command, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (ApiProblems.InvalidName(user) is { } invalid)
        {
            return invalid;
        }

        var result = await command(user, Caller.Of(http), cancellationToken);
        return result.Outcome switch
        {
            CommandOutcome.NotFound => ApiProblems.NotFound(user),
            CommandOutcome.Conflict => ApiProblems.Conflict(result.Problem!),
            _ => TypedResults.Accepted($"/api/workspaces/{user}", WorkspaceDto.From(result.Workspace!)),
        };
    }

    public static async Task<Results<NoContent, ValidationProblem>> ReportActivityAsync(
        ActivityReport[] reports, ControlDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (reports.Length > MaxActivityReports)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reports"] = [$"At most {MaxActivityReports} reports at a time."] });
        }

        if (reports.Select(r => r.User ?? "").Select(UserNames.Validate).OfType<string>().FirstOrDefault() is { } invalid)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["user"] = [invalid] });
        }

        // A gateway whose clock runs ahead must not keep a workspace busy into the future.
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var report in reports)
        {
            var at = report.LastActivity.ToUniversalTime() > now ? now : report.LastActivity.ToUniversalTime();
            // Only ever forward: a late report of older activity changes nothing. Unknown (deleted) users match no row.
            await db.Workspaces.Where(w => w.UserName == report.User && (w.LastActivityAt == null || w.LastActivityAt < at))
                .ExecuteUpdateAsync(update => update.SetProperty(w => w.LastActivityAt, at), cancellationToken);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult, ValidationProblem>> LogsAsync(
        string user, ControlDbContext db, IWorkspaceRuntime runtime, int tail = 200, bool follow = false,
        CancellationToken cancellationToken = default)
    {
        if (tail is < 0 or > MaxLogLines)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["tail"] = [$"tail is 0 to {MaxLogLines} lines."] });
        }

        return await ApiProblems.ForWorkspaceAsync<PushStreamHttpResult>(user, db, workspace => Task.FromResult(
            workspace.ContainerId is { } containerId
                ? (Results<PushStreamHttpResult, ProblemHttpResult>)TypedResults.Stream(
                    body => CopyLogsAsync(runtime, containerId, tail, follow, body, cancellationToken), "text/plain; charset=utf-8")
                : ApiProblems.Conflict($"Workspace '{user}' has no container yet.")), cancellationToken);
    }

    private static async Task CopyLogsAsync(IWorkspaceRuntime runtime, string containerId, int tail, bool follow, Stream body,
        CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body);
        try
        {
            await foreach (var line in runtime.GetLogsAsync(containerId, tail, follow, cancellationToken))
            {
                await writer.WriteLineAsync(line);
                await writer.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The reader went away while following.
        }
    }

    public static Task<Results<Ok<WorkspaceStats>, ProblemHttpResult, ValidationProblem>> StatsAsync(
        string user, ControlDbContext db, WorkspaceUsageReader usage, CancellationToken cancellationToken) =>
        ApiProblems.ForWorkspaceAsync<Ok<WorkspaceStats>>(user, db, async workspace =>
            await usage.StatsAsync(workspace, cancellationToken) switch
            {
                ({ } stats, _) => (Results<Ok<WorkspaceStats>, ProblemHttpResult>)TypedResults.Ok(stats),
                (_, var problem) => ApiProblems.Conflict(problem!),
            }, cancellationToken);

    public static Task<Results<Ok<WorkspaceVolume>, ProblemHttpResult, ValidationProblem>> VolumeAsync(
        string user, ControlDbContext db, WorkspaceUsageReader usage, CancellationToken cancellationToken) =>
        ApiProblems.ForWorkspaceAsync<Ok<WorkspaceVolume>>(user, db, async workspace =>
            TypedResults.Ok(await usage.VolumeAsync(workspace, cancellationToken)), cancellationToken);

    public static Task<Results<Ok<WorkspaceUsage>, ProblemHttpResult, ValidationProblem>> UsageAsync(
        string user, ControlDbContext db, WorkspaceUsageReader usage, CancellationToken cancellationToken) =>
        ApiProblems.ForWorkspaceAsync<Ok<WorkspaceUsage>>(user, db, async workspace =>
            TypedResults.Ok(await usage.ReadAsync(workspace, cancellationToken)), cancellationToken);
}

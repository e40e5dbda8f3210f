using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Contracts;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Changes;
using SaasPanel.Control.Data;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Security;
using SaasPanel.Control.Stats;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Apis;

/// <summary>The REST API under <c>/api</c>: workspaces, their logs and stats, the audit log and the change stream.</summary>
public static class WorkspacesApi
{
    private const int MaxLogLines = 5000;
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapWorkspacesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .RequireAuthorization(ControlPolicies.Admin)
            .AddEndpointFilter<CookieAntiforgeryFilter>()
            .WithTags("Workspaces");

        var workspaces = api.MapGroup("/workspaces");
        workspaces.MapGet("/", ListAsync).WithSummary("Lists workspaces, paged, filtered by state and searched by name or email.");
        workspaces.MapGet("/changes", StreamChangesAsync)
            .WithSummary("Server-sent events: a snapshot of every workspace, 'ready', then every change, with gateway routes.");
        workspaces.MapGet("/{user}", GetAsync);
        workspaces.MapPut("/{user}", ProvisionAsync).WithSummary("Provisions a workspace (idempotent).");
        workspaces.MapPost("/{user}/start", (string user, WorkspaceCommands commands, HttpContext http, CancellationToken ct) =>
            ChangeAsync(user, commands.StartAsync, http, ct));
        workspaces.MapPost("/{user}/stop", (string user, WorkspaceCommands commands, HttpContext http, CancellationToken ct) =>
            ChangeAsync(user, commands.StopAsync, http, ct));
        workspaces.MapPost("/{user}/restart", (string user, WorkspaceCommands commands, HttpContext http, CancellationToken ct) =>
            ChangeAsync(user, commands.RestartAsync, http, ct));
        workspaces.MapDelete("/{user}", (string user, WorkspaceCommands commands, HttpContext http, CancellationToken ct) =>
            ChangeAsync(user, commands.DeleteAsync, http, ct));
        workspaces.MapGet("/{user}/logs", LogsAsync).WithSummary("The container's output: the last lines, optionally followed live.");
        workspaces.MapGet("/{user}/stats", WorkspaceStatsAsync).WithSummary("CPU, memory and processes of the workspace's container.");

        api.MapGet("/stats", StatsAsync).WithSummary("Workspace totals by state and the engine's facts.");
        api.MapGet("/audit", AuditAsync).WithSummary("The audit log, newest first, paged, filtered by user and action.");
        return app;
    }

    public static async Task<Results<Ok<Page<WorkspaceDto>>, ValidationProblem>> ListAsync(ControlDbContext db,
        int page = 1, int pageSize = 50, WorkspaceState? state = null, string? search = null,
        WorkspaceSort sort = WorkspaceSort.Name, bool descending = false, CancellationToken cancellationToken = default)
    {
        var query = new WorkspaceQuery(page, pageSize, state, search, sort, descending);
        if (!query.IsValid)
        {
            return PagingProblem();
        }

        var (items, total) = await query.RunAsync(db, cancellationToken);
        return TypedResults.Ok(new Page<WorkspaceDto>(items.Select(WorkspaceDto.From).ToList(), page, pageSize, total));
    }

    public static async Task<Results<Ok<WorkspaceDto>, ProblemHttpResult, ValidationProblem>> GetAsync(
        string user, ControlDbContext db, CancellationToken cancellationToken)
    {
        if (InvalidName(user) is { } invalid)
        {
            return invalid;
        }

        var workspace = await db.Workspaces.AsNoTracking().SingleOrDefaultAsync(w => w.UserName == user, cancellationToken);
        return workspace is null ? NotFound(user) : TypedResults.Ok(WorkspaceDto.From(workspace));
    }

    public static async Task<Results<Created<WorkspaceDto>, Ok<WorkspaceDto>, ValidationProblem, ProblemHttpResult>> ProvisionAsync(
        string user, ProvisionRequest request, WorkspaceCommands commands, IOptions<RuntimeOptions> runtime, HttpContext http,
        CancellationToken cancellationToken)
    {
        var email = request.Email?.Trim() ?? "";
        var template = request.Template?.Trim();
        var errors = ProvisionValidation.Validate(user, email, template, runtime.Value);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await commands.ProvisionAsync(user, email, template, Caller.Of(http), cancellationToken);
        return result.Outcome switch
        {
            CommandOutcome.Created => TypedResults.Created($"/api/workspaces/{user}", WorkspaceDto.From(result.Workspace!)),
            CommandOutcome.Conflict => Conflict(result.Problem!),
            _ => TypedResults.Ok(WorkspaceDto.From(result.Workspace!)),
        };
    }

    private static async Task<Results<Accepted<WorkspaceDto>, ProblemHttpResult, ValidationProblem>> ChangeAsync(
        string user, Func<string, Caller, CancellationToken, Task<CommandResult>> command, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (InvalidName(user) is { } invalid)
        {
            return invalid;
        }

        var result = await command(user, Caller.Of(http), cancellationToken);
        return result.Outcome switch
        {
            CommandOutcome.NotFound => NotFound(user),
            CommandOutcome.Conflict => Conflict(result.Problem!),
            _ => TypedResults.Accepted($"/api/workspaces/{user}", WorkspaceDto.From(result.Workspace!)),
        };
    }

    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult, ValidationProblem>> LogsAsync(
        string user, ControlDbContext db, IWorkspaceRuntime runtime, int tail = 200, bool follow = false,
        CancellationToken cancellationToken = default)
    {
        if (InvalidName(user) is { } invalid)
        {
            return invalid;
        }

        if (tail is < 0 or > MaxLogLines)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["tail"] = [$"tail is 0 to {MaxLogLines} lines."] });
        }

        var workspace = await db.Workspaces.AsNoTracking().SingleOrDefaultAsync(w => w.UserName == user, cancellationToken);
        if (workspace is null)
        {
            return NotFound(user);
        }

        if (workspace.ContainerId is not { } containerId)
        {
            return Conflict($"Workspace '{user}' has no container yet.");
        }

        return TypedResults.Stream(async body =>
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
        }, "text/plain; charset=utf-8");
    }

    public static async Task<Results<Ok<WorkspaceStats>, ProblemHttpResult, ValidationProblem>> WorkspaceStatsAsync(
        string user, ControlDbContext db, IWorkspaceRuntime runtime, CancellationToken cancellationToken)
    {
        if (InvalidName(user) is { } invalid)
        {
            return invalid;
        }

        var workspace = await db.Workspaces.AsNoTracking().SingleOrDefaultAsync(w => w.UserName == user, cancellationToken);
        if (workspace is null)
        {
            return NotFound(user);
        }

        return workspace is { ContainerId: { } containerId, State: WorkspaceState.Running }
            ? TypedResults.Ok(await runtime.GetStatsAsync(containerId, cancellationToken))
            : Conflict($"Workspace '{user}' is not running.");
    }

    public static async Task<Ok<ControlStats>> StatsAsync(ControlStatsReader stats, CancellationToken cancellationToken) =>
        TypedResults.Ok(await stats.ReadAsync(cancellationToken));

    public static async Task<Results<Ok<Page<AuditEntry>>, ValidationProblem>> AuditAsync(ControlDbContext db,
        int page = 1, int pageSize = 50, string? user = null, string? action = null, CancellationToken cancellationToken = default)
    {
        var query = new AuditQuery(page, pageSize, user, action);
        if (!query.IsValid)
        {
            return PagingProblem();
        }

        var (items, total) = await query.RunAsync(db, cancellationToken);
        return TypedResults.Ok(new Page<AuditEntry>(items, page, pageSize, total));
    }

    /// <summary>
    /// Subscribes before reading the snapshot, so no change falls between the two; events carry full
    /// state, so one seen twice does no harm.
    /// </summary>
    public static async Task StreamChangesAsync(HttpContext http, ControlDbContext db, WorkspaceChangeFeed feed,
        IOptions<JsonOptions> json, IHostApplicationLifetime lifetime, CancellationToken requestAborted)
    {
        // Ends when Control stops too: an open stream (the gateway keeps one) would otherwise hold up the shutdown.
        using var streaming = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        var cancellationToken = streaming.Token;
        using var subscription = feed.Subscribe();
        var snapshot = await db.Workspaces.AsNoTracking().ToListAsync(cancellationToken);

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        var output = http.Response.BodyWriter;
        var options = json.Value.SerializerOptions;
        // Routes (endpoint, gateway secret) go to the gateway's service token only, never to a browser.
        var withRoutes = http.User.Identity?.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName;
        string Serialize(WorkspaceChangeEvent change) => JsonSerializer.Serialize(withRoutes ? change : change.WithoutRoute(), options);

        try
        {
            foreach (var workspace in snapshot)
            {
                await WriteEventAsync(http.Response, WorkspaceChangeEvent.WorkspaceEventType, Serialize(WorkspaceChanges.From(workspace)), cancellationToken);
            }

            await WriteEventAsync(http.Response, WorkspaceChangeEvent.ReadyEventType, "{}", cancellationToken);
            await output.FlushAsync(cancellationToken);

            while (true)
            {
                using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                keepAlive.CancelAfter(KeepAliveInterval);
                bool available;
                try
                {
                    available = await subscription.Changes.WaitToReadAsync(keepAlive.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await output.FlushAsync(cancellationToken);
                    continue;
                }

                if (!available)
                {
                    return;
                }

                while (subscription.Changes.TryRead(out var change))
                {
                    await WriteEventAsync(http.Response, WorkspaceChangeEvent.WorkspaceEventType, Serialize(change), cancellationToken);
                }

                await output.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The subscriber disconnected.
        }
    }

    private static Task WriteEventAsync(HttpResponse response, string type, string data, CancellationToken cancellationToken) =>
        response.WriteAsync($"event: {type}\ndata: {data}\n\n", cancellationToken);

    private static ValidationProblem? InvalidName(string user) =>
        UserNames.Validate(user) is { } error
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["user"] = [error] })
            : null;

    private static ValidationProblem PagingProblem() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            ["page"] = [$"page starts at 1 and pageSize is 1 to {WorkspaceQuery.MaxPageSize}."],
        });

    private static ProblemHttpResult NotFound(string user) =>
        TypedResults.Problem($"There is no workspace named '{user}'.", statusCode: StatusCodes.Status404NotFound, title: "No such workspace");

    private static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
}

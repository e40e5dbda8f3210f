using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Control.Data;
using SaasPanel.Control.Plans;
using SaasPanel.Control.Reconciler;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Apis;

/// <summary><c>/api/plans</c>: the plans an admin defines, and <c>PUT /api/workspaces/{user}/plan</c> that moves a workspace to one.</summary>
public static class PlansApi
{
    public static RouteGroupBuilder MapPlansApi(this RouteGroupBuilder api)
    {
        var plans = api.MapGroup("/plans").WithTags("Plans");
        plans.MapGet("/", ListAsync);
        plans.MapGet("/{name}", GetAsync);
        plans.MapPut("/{name}", PutAsync).WithSummary("Creates or replaces a plan; its workspaces roll to changed limits.");
        plans.MapDelete("/{name}", DeleteAsync).WithSummary("Deletes a plan no workspace has (409 otherwise, and for the default plan).");
        api.MapPut("/workspaces/{user}/plan", ChangePlanAsync).WithTags("Workspaces")
            .WithSummary("Moves a workspace to a plan; its container rolls to the plan's limits, its files stay.");
        return api;
    }

    public static async Task<Ok<List<PlanDto>>> ListAsync(ControlDbContext db, CancellationToken cancellationToken)
    {
        var counts = await WorkspaceCountsAsync(db, cancellationToken);
        var plans = await db.Plans.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok(plans.Select(p => PlanDto.From(p, counts.GetValueOrDefault(p.Name))).ToList());
    }

    public static async Task<Results<Ok<PlanDto>, ProblemHttpResult, ValidationProblem>> GetAsync(
        string name, ControlDbContext db, CancellationToken cancellationToken)
    {
        if (Invalid(name) is { } invalid)
        {
            return invalid;
        }

        return await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Name == name, cancellationToken) is { } plan
            ? TypedResults.Ok(PlanDto.From(plan, await db.Workspaces.CountAsync(w => w.Plan == name, cancellationToken)))
            : NoSuchPlan(name);
    }

    public static async Task<Results<Ok<PlanDto>, Created<PlanDto>, ValidationProblem>> PutAsync(
        string name, PlanRequest request, ControlDbContext db, WorkspaceReconciler reconciler, IOptions<RuntimeOptions> runtime,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = request.Validate(name, runtime.Value);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var plan = await db.Plans.SingleOrDefaultAsync(p => p.Name == name, cancellationToken);
        var created = plan is null;
        plan ??= db.Plans.Add(new Plan { Name = name }).Entity;
        request.ApplyTo(plan);
        plan.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);

        // Its workspaces' containers may now have other limits than the plan's: the reconciler rolls those.
        var users = await db.Workspaces.Where(w => w.Plan == name).Select(w => w.UserName).ToListAsync(cancellationToken);
        foreach (var user in users)
        {
            reconciler.Wake(user);
        }

        var dto = PlanDto.From(plan, users.Count);
        return created ? TypedResults.Created($"/api/plans/{name}", dto) : TypedResults.Ok(dto);
    }

    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> DeleteAsync(
        string name, ControlDbContext db, IOptions<PlanOptions> options, CancellationToken cancellationToken)
    {
        if (Invalid(name) is { } invalid)
        {
            return invalid;
        }

        if (name == options.Value.Default)
        {
            return ApiProblems.Conflict($"Plan '{name}' is the default plan of new workspaces (Plans:Default).");
        }

        // One statement, so a workspace moved to the plan meanwhile keeps it from going.
        var deleted = await db.Plans.Where(p => p.Name == name && !db.Workspaces.Any(w => w.Plan == name))
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            return TypedResults.NoContent();
        }

        return await db.Plans.AnyAsync(p => p.Name == name, cancellationToken)
            ? ApiProblems.Conflict($"Plan '{name}' is in use by {await db.Workspaces.CountAsync(w => w.Plan == name, cancellationToken)} workspace(s); move them first.")
            : NoSuchPlan(name);
    }

    public static async Task<Results<Ok<WorkspaceDto>, Accepted<WorkspaceDto>, ProblemHttpResult, ValidationProblem>> ChangePlanAsync(
        string user, WorkspacePlanRequest request, ControlDbContext db, WorkspaceCommands commands, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (ApiProblems.InvalidName(user) is { } invalidUser)
        {
            return invalidUser;
        }

        var name = request.Plan?.Trim() ?? "";
        if (Invalid(name, "plan") is { } invalidPlan)
        {
            return invalidPlan;
        }

        if (await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Name == name, cancellationToken) is not { } plan)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["plan"] = [$"There is no plan named '{name}'."] });
        }

        var result = await commands.ChangePlanAsync(user, plan, Caller.Of(http), cancellationToken);
        return result.Outcome switch
        {
            CommandOutcome.NotFound => ApiProblems.NotFound(user),
            CommandOutcome.Conflict => ApiProblems.Conflict(result.Problem!),
            CommandOutcome.Unchanged => TypedResults.Ok(WorkspaceDto.From(result.Workspace!)),
            _ => TypedResults.Accepted($"/api/workspaces/{user}", WorkspaceDto.From(result.Workspace!)),
        };
    }

    private static ValidationProblem? Invalid(string name, string field = "name") =>
        PlanNames.Validate(name) is { } error ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] }) : null;

    private static ProblemHttpResult NoSuchPlan(string name) =>
        TypedResults.Problem($"There is no plan named '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "No such plan");

    private static Task<Dictionary<string, int>> WorkspaceCountsAsync(ControlDbContext db, CancellationToken cancellationToken) =>
        db.Workspaces.GroupBy(w => w.Plan).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, StringComparer.Ordinal, cancellationToken);
}

/// <summary>A plan as the API shows it, with how many workspaces have it.</summary>
public sealed record PlanDto(
    string Name, int MemoryLimitMb, double CpuLimit, int PidsLimit, TimeSpan IdleTimeout, TimeSpan MaxAge, int? MaxWorkspaces,
    IReadOnlyList<string> AllowedTemplates, int? StorageLimitMb, int Workspaces, DateTime UpdatedAt)
{
    public static PlanDto From(Plan p, int workspaces) =>
        new(p.Name, p.MemoryLimitMb, p.CpuLimit, p.PidsLimit, p.IdleTimeout, p.MaxAge, p.MaxWorkspaces, p.AllowedTemplates, p.StorageLimitMb,
            workspaces, p.UpdatedAt);
}

/// <summary>What <c>PUT /api/workspaces/{user}/plan</c> takes.</summary>
public sealed record WorkspacePlanRequest(string? Plan);

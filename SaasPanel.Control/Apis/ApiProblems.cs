using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SaasPanel.Contracts;
using SaasPanel.Control.Data;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Apis;

/// <summary>The API's problem details, and the one validate → load → 404 sequence of every per-workspace endpoint.</summary>
internal static class ApiProblems
{
    public static ValidationProblem? InvalidName(string user) =>
        UserNames.Validate(user) is { } error
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["user"] = [error] })
            : null;

    public static ValidationProblem Paging() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            ["page"] = [$"page starts at 1 and pageSize is 1 to {WorkspaceQuery.MaxPageSize}."],
        });

    public static ProblemHttpResult NotFound(string user) =>
        TypedResults.Problem($"There is no workspace named '{user}'.", statusCode: StatusCodes.Status404NotFound, title: "No such workspace");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    /// <summary>A well-formed request that the workspace's plan refuses: 422, with the problem on <paramref name="field"/>.</summary>
    public static ProblemHttpResult Refused(string field, string detail) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] })
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Refused by the plan",
            Detail = detail,
        });

    /// <summary>Checks the name, loads the workspace (400 / 404 otherwise) and answers with what <paramref name="answer"/> makes of it.</summary>
    public static async Task<Results<TOk, ProblemHttpResult, ValidationProblem>> ForWorkspaceAsync<TOk>(string user, ControlDbContext db,
        Func<Workspace, Task<Results<TOk, ProblemHttpResult>>> answer, CancellationToken cancellationToken)
        where TOk : IResult
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

        return (await answer(workspace)).Result switch
        {
            TOk ok => ok,
            ProblemHttpResult problem => problem,
            var other => throw new InvalidOperationException($"Unexpected result {other?.GetType().Name}."),
        };
    }
}

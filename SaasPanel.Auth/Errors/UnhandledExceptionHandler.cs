using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using SaasPanel.Auth.Pages;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;

namespace SaasPanel.Auth.Errors;

/// <summary>
/// What nobody caught becomes an answer without a stack trace: a request the framework could not read
/// (<see cref="BadHttpRequestException"/>) is the caller's mistake, a 400 saying what was wrong; anything else
/// is a logged 500 that says nothing of the server. Browsers get a page, every other client RFC 7807 problem details.
/// </summary>
internal sealed partial class UnhandledExceptionHandler(IProblemDetailsService problems, ILogger<UnhandledExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var request = httpContext.Request;
        var problem = exception is BadHttpRequestException badRequest
            ? new ProblemDetails
            {
                Status = badRequest.StatusCode,
                Title = "The request could not be read",
                Detail = badRequest.InnerException is { } inner ? $"{badRequest.Message} {inner.Message}" : badRequest.Message,
            }
            : new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "Something went wrong" };
        if (problem.Status >= StatusCodes.Status500InternalServerError)
        {
            Failed(logger, request.Method, request.Path, exception);
        }
        else
        {
            Unreadable(logger, request.Method, request.Path, problem.Detail);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (!WantsHtml(request)
            && await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem }))
        {
            return true;
        }

        await HtmlPage.WriteAsync(httpContext, (HttpStatusCode)problem.Status.Value, ErrorPage(problem));
        return true;
    }

    private static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static string ErrorPage(ProblemDetails problem) => HtmlPage.Render(
        problem.Title!,
        "",
        $"""
        <h1>{HtmlPage.Encode(problem.Title!)}</h1>
        <p>{(problem.Status >= StatusCodes.Status500InternalServerError
            ? "That did not work, and it is not your fault. Please try again in a moment."
            : "Your browser sent something this site could not read. Please go back and try again.")}</p>
        <p><a href="/">Back to the start</a></p>
        """);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error answering {Method} {Path}")]
    private static partial void Failed(ILogger logger, string method, PathString path, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not read a {Method} request to {Path}: {Error}")]
    private static partial void Unreadable(ILogger logger, string method, PathString path, string? error);
}

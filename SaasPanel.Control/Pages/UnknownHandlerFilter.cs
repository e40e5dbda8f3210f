using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace SaasPanel.Control.Pages;

/// <summary>
/// A request that selects none of the page's handlers (<c>?handler=junk</c>, or a method the page has no handler
/// for) gets 404. Razor Pages would render the page without running any handler, on a model nothing loaded: a 500.
/// </summary>
internal sealed class UnknownHandlerFilter : IPageFilter
{
    public const string Message = "This page has no such form or action.";

    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (context.HandlerMethod is null)
        {
            context.Result = new NotFoundObjectResult(Message);
        }
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}

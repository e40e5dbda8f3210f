using Microsoft.AspNetCore.Antiforgery;

namespace SaasPanel.Control.Security;

/// <summary>
/// A browser's cookie rides along on cross-site form posts; the API key does not. So a state change
/// made with the sign-in cookie must also carry an antiforgery token; one made with the key need not.
/// </summary>
internal sealed class CookieAntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var changesState = !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method));
        if (changesState && http.User.Identity?.AuthenticationType != ApiKeyAuthenticationHandler.SchemeName
            && !await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.Problem("This request needs an antiforgery token.", statusCode: StatusCodes.Status400BadRequest,
                title: "Antiforgery token missing or invalid");
        }

        return await next(context);
    }
}

namespace SaasPanel.Auth.Security;

/// <summary>
/// Whether the browser says a request comes from a page of this very origin (<c>Sec-Fetch-Site</c>, or
/// <c>Origin</c> for browsers without it). Pages cannot forge either header, so a form elsewhere can
/// not pass; a client that sends neither needs the antiforgery token instead.
/// </summary>
public static class SameOriginRequest
{
    public static bool IsSameOrigin(HttpRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"] is [{ } site])
        {
            return site == "same-origin";
        }

        return request.Headers.Origin is [{ } origin]
            && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
